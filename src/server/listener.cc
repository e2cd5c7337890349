#include "server/listener.h"

#include <boost/asio/ip/address.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <condition_variable>
#include <csignal>
#include <cstdio>
#include <exception>
#include <future>
#include <mutex>
#include <random>
#include <thread>
#include <typeinfo>
#include <vector>

#include "server/session.h"

namespace calfdvt::server {
namespace {

namespace net = boost::asio;
using tcp = net::ip::tcp;

constexpr std::chrono::milliseconds kAcceptRetryDelay{50};
constexpr std::chrono::milliseconds kDrainPoll{2};

// Runs `ioc` until it is stopped. A handler that throws (it should not: the Router catches
// handler exceptions) is logged by type and the loop continues.
void RunLoop(net::io_context& ioc) {
  while (true) {
    try {
      ioc.run();
      return;
    } catch (const std::exception& e) {
      std::fprintf(stderr, "http event_loop_exception type=%s\n", typeid(e).name());
    } catch (...) {
      std::fprintf(stderr, "http event_loop_exception type=unknown\n");
    }
  }
}

std::string RandomPrefix() {
  std::random_device rd;
  char buf[16];
  std::snprintf(buf, sizeof buf, "%08x", static_cast<unsigned>(rd()));
  return buf;
}

core::Status Invalid(std::string field, std::string message) {
  return core::Status::Invalid("server." + field, "range", std::move(message));
}

}  // namespace

core::Status ValidateServerOptions(const ServerOptions& o) {
  boost::system::error_code ec;
  net::ip::make_address(o.host, ec);
  if (ec) {
    return core::Status::Invalid("server.host", "format",
                                 "host must be an IPv4 or IPv6 address literal");
  }
  if (o.threads < 1 || o.threads > 256) return Invalid("threads", "threads must be in 1..256");
  if (o.max_body_bytes < 1 || o.max_body_bytes > (size_t{1} << 30)) {
    return Invalid("max_body_bytes", "max_body_bytes must be in 1..1073741824");
  }
  if (o.read_timeout.count() < 1) return Invalid("read_timeout", "read_timeout must be >= 1 s");
  if (o.write_timeout.count() < 1) {
    return Invalid("write_timeout", "write_timeout must be >= 1 s");
  }
  if (o.idle_timeout.count() < 1) return Invalid("idle_timeout", "idle_timeout must be >= 1 s");
  if (o.drain_timeout.count() < 0) {
    return Invalid("drain_timeout", "drain_timeout must be >= 0 s");
  }
  if (o.backlog < 1 || o.backlog > 65535) return Invalid("backlog", "backlog must be in 1..65535");
  return core::OkStatus();
}

struct HttpServer::Impl {
  ServerOptions options;
  Metrics* metrics = nullptr;

  mutable std::mutex mu;  // guards running/port for running(), port(), Wait()
  std::condition_variable stopped_cv;
  bool running = false;
  uint16_t port = 0;

  // Valid while running. Destruction order matters: acceptor before its context; workers (and
  // with them the sessions) before the shared state.
  std::unique_ptr<internal::ServerState> state;
  std::vector<std::unique_ptr<internal::Worker>> workers;
  std::unique_ptr<net::io_context> accept_ioc;
  std::unique_ptr<tcp::acceptor> acceptor;
  std::unique_ptr<net::steady_timer> retry_timer;
  std::thread accept_thread;
  size_t next_worker = 0;  // touched on the accept thread only

  // The acceptor has its own thread so a slow handler never delays accepting or Stop; each
  // connection then moves, once, to the next worker round-robin.
  void Accept() {
    internal::Worker& target = *workers[next_worker];
    next_worker = (next_worker + 1) % workers.size();
    acceptor->async_accept(
        target.ioc, [this, &target](boost::system::error_code ec, tcp::socket socket) {
          if (ec == net::error::operation_aborted || !acceptor->is_open()) return;
          if (ec) {  // e.g. out of file descriptors: back off instead of spinning
            std::fprintf(stderr, "http accept_error error=%s\n", ec.message().c_str());
            retry_timer->expires_after(kAcceptRetryDelay);
            retry_timer->async_wait([this](boost::system::error_code tec) {
              if (!tec && acceptor->is_open()) Accept();
            });
            return;
          }
          internal::StartSession(target, std::move(socket));
          Accept();
        });
  }

  void TearDown() {
    for (auto& w : workers) {
      w->work.reset();
      w->ioc.stop();
    }
    for (auto& w : workers) {
      if (w->thread.joinable()) w->thread.join();
    }
    if (accept_ioc) accept_ioc->stop();
    if (accept_thread.joinable()) accept_thread.join();
    retry_timer.reset();
    acceptor.reset();
    accept_ioc.reset();
    workers.clear();
    state.reset();
  }
};

HttpServer::HttpServer(ServerOptions options, Metrics* metrics) : impl_(std::make_unique<Impl>()) {
  impl_->options = std::move(options);
  impl_->metrics = metrics;
}

HttpServer::~HttpServer() { Stop(StopMode::kImmediate); }

core::Result<uint16_t> HttpServer::Start(const Router& router) {
  if (running()) {
    return core::Result<uint16_t>(core::ErrorKind::kConflict,
                                  {core::Error{"server", "state", "server is already running"}});
  }
  if (core::Status s = ValidateServerOptions(impl_->options); !s.ok()) {
    return core::Result<uint16_t>(s.kind(), s.errors());
  }
  Impl& m = *impl_;
  const ServerOptions& o = m.options;
  m.state = std::make_unique<internal::ServerState>();
  m.state->options = o;
  m.state->router = &router;
  m.state->metrics = m.metrics;
  m.state->id_prefix = RandomPrefix();
  if (m.metrics != nullptr) m.metrics->SetRoutes(router.patterns());
  for (int i = 0; i < o.threads; ++i) {
    m.workers.push_back(std::make_unique<internal::Worker>(*m.state, static_cast<unsigned>(i)));
  }
  m.accept_ioc = std::make_unique<net::io_context>(1);
  m.acceptor = std::make_unique<tcp::acceptor>(*m.accept_ioc);
  m.retry_timer = std::make_unique<net::steady_timer>(*m.accept_ioc);

  boost::system::error_code ec;
  const tcp::endpoint endpoint(net::ip::make_address(o.host), o.port);
  m.acceptor->open(endpoint.protocol(), ec);
  if (!ec) m.acceptor->set_option(net::socket_base::reuse_address(true), ec);
  if (!ec) m.acceptor->bind(endpoint, ec);
  if (!ec) m.acceptor->listen(o.backlog, ec);
  if (ec) {
    m.TearDown();
    return core::Result<uint16_t>(core::ErrorKind::kInternal,
                                  {core::Error{"server", "listen",
                                               "cannot listen on " + o.host + ":" +
                                                   std::to_string(o.port) + ": " + ec.message()}});
  }
  const uint16_t port = m.acceptor->local_endpoint().port();
  m.next_worker = 0;
  m.Accept();
  for (auto& w : m.workers) {
    internal::Worker* worker = w.get();
    worker->thread = std::thread([worker] { RunLoop(worker->ioc); });
  }
  m.accept_thread = std::thread([&m] { RunLoop(*m.accept_ioc); });
  {
    std::lock_guard lock(m.mu);
    m.running = true;
    m.port = port;
  }
  return port;
}

void HttpServer::Stop(StopMode mode) {
  Impl& m = *impl_;
  if (!running()) return;

  // 1. Stop accepting: after this, connection attempts are refused by the kernel.
  std::promise<void> closed;
  net::post(*m.accept_ioc, [&m, &closed] {
    boost::system::error_code ec;
    m.acceptor->close(ec);
    m.retry_timer->cancel();
    closed.set_value();
  });
  closed.get_future().wait();

  // 2. Drain: idle connections close now, busy ones after their current response.
  m.state->stopping = true;
  if (mode == StopMode::kGraceful) {
    for (auto& w : m.workers) w->BeginDrain();
    const auto deadline = std::chrono::steady_clock::now() + m.options.drain_timeout;
    while (m.state->open_sessions.load() > 0 && std::chrono::steady_clock::now() < deadline) {
      std::this_thread::sleep_for(kDrainPoll);
    }
  }

  // 3. Stop the loops; remaining connections are closed as their sessions are destroyed.
  m.TearDown();
  {
    std::lock_guard lock(m.mu);
    m.running = false;
    m.port = 0;
  }
  m.stopped_cv.notify_all();
}

void HttpServer::Wait() {
  std::unique_lock lock(impl_->mu);
  impl_->stopped_cv.wait(lock, [this] { return !impl_->running; });
}

bool HttpServer::running() const {
  std::lock_guard lock(impl_->mu);
  return impl_->running;
}

uint16_t HttpServer::port() const {
  std::lock_guard lock(impl_->mu);
  return impl_->port;
}

const ServerOptions& HttpServer::options() const { return impl_->options; }

int StopOnSignal(HttpServer& server) {
  net::io_context io(1);
  net::signal_set signals(io, SIGINT, SIGTERM);
  int received = 0;
  signals.async_wait([&received](boost::system::error_code ec, int signal_number) {
    if (!ec) received = signal_number;
  });
  // Ends the wait when the server stops for another reason.
  std::thread watcher([&server, &io, &signals] {
    server.Wait();
    net::post(io, [&signals] {
      boost::system::error_code ec;
      signals.cancel(ec);
    });
  });
  io.run();
  if (received != 0) {
    std::fprintf(stderr, "http signal=%d stopping gracefully\n", received);
    server.Stop(StopMode::kGraceful);
  }
  watcher.join();
  return received;
}

}  // namespace calfdvt::server
