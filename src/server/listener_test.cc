// Real sockets, real HTTP: the listener on 127.0.0.1 with port 0 and a raw-socket client, so
// every byte on the wire (half-sent requests, oversized Content-Length) is under test control.
#include "server/listener.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <chrono>
#include <csignal>
#include <future>
#include <optional>
#include <string>
#include <thread>
#include <vector>

namespace calfdvt::server {
namespace {

using namespace std::chrono_literals;

// ---- a tiny blocking HTTP/1.1 client over a raw socket ----

struct ClientResponse {
  int status = 0;
  Headers headers;
  std::string body;
};

class Client {
 public:
  explicit Client(uint16_t port) {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(port);
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    connected_ = ::connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0;
    connect_errno_ = connected_ ? 0 : errno;
    timeval tv{5, 0};
    ::setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    int one = 1;
    ::setsockopt(fd_, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  }
  ~Client() { ::close(fd_); }
  Client(const Client&) = delete;
  Client& operator=(const Client&) = delete;

  bool connected() const { return connected_; }
  int connect_errno() const { return connect_errno_; }

  bool Send(std::string_view data) {
    while (!data.empty()) {
      const ssize_t n = ::send(fd_, data.data(), data.size(), MSG_NOSIGNAL);
      if (n <= 0) return false;
      data.remove_prefix(static_cast<size_t>(n));
    }
    return true;
  }

  // Reads one response; nullopt on EOF/timeout before a complete response. `head` = the request
  // was HEAD (Content-Length present, no body follows).
  std::optional<ClientResponse> Read(bool head = false) {
    size_t end;
    while ((end = buf_.find("\r\n\r\n")) == std::string::npos) {
      if (!Fill()) return std::nullopt;
    }
    ClientResponse r;
    const std::string head_block = buf_.substr(0, end);
    buf_.erase(0, end + 4);
    size_t line_end = head_block.find("\r\n");
    const std::string status_line = head_block.substr(0, line_end);
    r.status = std::stoi(status_line.substr(9, 3));
    while (line_end != std::string::npos) {
      const size_t start = line_end + 2;
      line_end = head_block.find("\r\n", start);
      const std::string line = head_block.substr(start, line_end - start);
      const size_t colon = line.find(':');
      r.headers.Add(line.substr(0, colon), line.substr(colon + 2));
    }
    size_t length = 0;
    if (auto cl = r.headers.Get("Content-Length"); cl && !head)
      length = std::stoul(std::string(*cl));
    while (buf_.size() < length) {
      if (!Fill()) return std::nullopt;
    }
    r.body = buf_.substr(0, length);
    buf_.erase(0, length);
    return r;
  }

  std::optional<ClientResponse> RoundTrip(std::string_view request, bool head = false) {
    if (!Send(request)) return std::nullopt;
    return Read(head);
  }

  // True when the server closed the connection (EOF) within `timeout`.
  bool ClosedWithin(std::chrono::milliseconds timeout) {
    pollfd p{fd_, POLLIN, 0};
    if (::poll(&p, 1, static_cast<int>(timeout.count())) <= 0) return false;
    char c;
    const ssize_t n = ::recv(fd_, &c, 1, 0);
    return n == 0 || (n < 0 && errno == ECONNRESET);
  }

 private:
  bool Fill() {
    char tmp[16384];
    const ssize_t n = ::recv(fd_, tmp, sizeof tmp, 0);
    if (n <= 0) return false;
    buf_.append(tmp, static_cast<size_t>(n));
    return true;
  }

  int fd_ = -1;
  bool connected_ = false;
  int connect_errno_ = 0;
  std::string buf_;
};

// Metrics are recorded when the write completes, which may be just after the client has read
// the response: poll briefly.
template <class F>
bool Eventually(F condition) {
  const auto deadline = std::chrono::steady_clock::now() + 2s;
  while (!condition()) {
    if (std::chrono::steady_clock::now() > deadline) return false;
    std::this_thread::sleep_for(1ms);
  }
  return true;
}

std::string Get(std::string_view path, std::string_view extra = "") {
  return "GET " + std::string(path) + " HTTP/1.1\r\nHost: t\r\n" + std::string(extra) + "\r\n";
}

std::string Post(std::string_view path, std::string_view body) {
  return "POST " + std::string(path) +
         " HTTP/1.1\r\nHost: t\r\nContent-Type: application/json\r\n"
         "Content-Length: " +
         std::to_string(body.size()) + "\r\n\r\n" + std::string(body);
}

// ---- fixture: a server with a test router ----

class ListenerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(router_
                    .Add("GET", "/hello",
                         [](const Request&, const PathParams&) {
                           return Json(200, R"({"hello":"world"})");
                         })
                    .ok());
    ASSERT_TRUE(router_
                    .Add("GET", "/items/{id}",
                         [](const Request& req, const PathParams& p) {
                           return Json(200,
                                       "{\"id\":\"" + std::string(p.Get("id")) + "\",\"q\":\"" +
                                           std::string(req.QueryParam("q").value_or("")) + "\"}");
                         })
                    .ok());
    ASSERT_TRUE(router_
                    .Add("POST", "/echo",
                         [](const Request& req, const PathParams&) {
                           Response r = Json(201, req.body);
                           r.headers.Add("Location", "/echo/1");
                           // A header value with CR LF must never reach the wire.
                           if (req.Header("X-Test-Bad-Header")) {
                             r.headers.Add("X-Bad", "a\r\nInjected: yes");
                           }
                           return r;
                         })
                    .ok());
    ASSERT_TRUE(router_
                    .Add("GET", "/slow",
                         [this](const Request&, const PathParams&) {
                           slow_entered_ = true;
                           std::this_thread::sleep_for(300ms);
                           return Json(200, R"({"slow":true})");
                         })
                    .ok());
    ASSERT_TRUE(router_
                    .Add("GET", "/throw",
                         [](const Request&, const PathParams&) -> Response {
                           throw std::runtime_error("boom");
                         })
                    .ok());
    ASSERT_TRUE(router_
                    .Add("GET", "/metrics",
                         [this](const Request&, const PathParams&) {
                           return Text(200, metrics_.RenderPrometheus(),
                                       "text/plain; version=0.0.4");
                         })
                    .ok());
    ASSERT_TRUE(router_
                    .Add("GET", "/id",
                         [](const Request& req, const PathParams&) {
                           return Text(200,
                                       req.request_id + " " + req.remote_address.substr(0, 10));
                         })
                    .ok());
  }

  void TearDown() override {
    if (server_) server_->Stop(StopMode::kImmediate);
  }

  uint16_t StartServer(ServerOptions options = {}) {
    options.host = "127.0.0.1";
    options.port = 0;
    options.access_log = false;
    server_ = std::make_unique<HttpServer>(options, &metrics_);
    auto port = server_->Start(router_);
    EXPECT_TRUE(port.ok());
    return port.ok() ? *port : 0;
  }

  Router router_;
  Metrics metrics_;
  std::unique_ptr<HttpServer> server_;
  std::atomic<bool> slow_entered_{false};
};

TEST_F(ListenerTest, PortZeroPicksAFreePortAndBusyPortFails) {
  const uint16_t port = StartServer();
  ASSERT_NE(port, 0);
  EXPECT_EQ(server_->port(), port);
  EXPECT_TRUE(server_->running());

  ServerOptions same;
  same.port = port;
  HttpServer second(same);
  const auto r = second.Start(router_);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.kind(), core::ErrorKind::kInternal);
  EXPECT_NE(r.errors()[0].message.find(std::to_string(port)), std::string::npos);

  EXPECT_EQ(server_->Start(router_).kind(), core::ErrorKind::kConflict);
}

TEST_F(ListenerTest, InvalidOptionsAreRejectedNotClamped) {
  const auto bad = [this](auto mutate, std::string_view path) {
    ServerOptions o;
    o.port = 0;
    mutate(o);
    HttpServer s(o);
    const auto r = s.Start(router_);
    ASSERT_FALSE(r.ok()) << path;
    EXPECT_EQ(r.kind(), core::ErrorKind::kInvalidInput);
    EXPECT_EQ(r.errors()[0].path, path);
  };
  bad([](ServerOptions& o) { o.threads = 0; }, "server.threads");
  bad([](ServerOptions& o) { o.host = "localhost:80"; }, "server.host");
  bad([](ServerOptions& o) { o.max_body_bytes = 0; }, "server.max_body_bytes");
  bad([](ServerOptions& o) { o.read_timeout = 0s; }, "server.read_timeout");
  bad([](ServerOptions& o) { o.write_timeout = -1s; }, "server.write_timeout");
  bad([](ServerOptions& o) { o.idle_timeout = 0s; }, "server.idle_timeout");
  bad([](ServerOptions& o) { o.drain_timeout = -1s; }, "server.drain_timeout");
  bad([](ServerOptions& o) { o.backlog = 0; }, "server.backlog");
  EXPECT_TRUE(ValidateServerOptions(ServerOptions{}).ok());
}

TEST_F(ListenerTest, KeepAliveServesSeveralRequestsOnOneConnection) {
  Client c(StartServer());
  ASSERT_TRUE(c.connected());
  std::vector<std::string> ids;
  for (int i = 0; i < 5; ++i) {
    auto r = c.RoundTrip(Get("/items/a%20b?q=x%26y"));
    ASSERT_TRUE(r) << i;
    EXPECT_EQ(r->status, 200);
    EXPECT_EQ(r->body, R"({"id":"a b","q":"x&y"})");
    EXPECT_EQ(r->headers.Get("Content-Type"), "application/json");
    EXPECT_FALSE(r->headers.Has("Connection"));
    EXPECT_TRUE(r->headers.Has("Date"));
    ASSERT_TRUE(r->headers.Get("X-Request-Id"));
    ids.emplace_back(*r->headers.Get("X-Request-Id"));
  }
  EXPECT_NE(ids[0], ids[1]);
  // A well-formed incoming request id is kept.
  auto r = c.RoundTrip(Get("/id", "X-Request-Id: trace-42\r\n"));
  ASSERT_TRUE(r);
  EXPECT_EQ(r->body, "trace-42 127.0.0.1:");
  EXPECT_EQ(r->headers.Get("X-Request-Id"), "trace-42");
}

TEST_F(ListenerTest, PipelinedRequestsAnsweredInOrder) {
  Client c(StartServer());
  ASSERT_TRUE(c.Send(Get("/hello") + Post("/echo", "[1]") + Get("/items/7")));
  auto a = c.Read();
  auto b = c.Read();
  auto d = c.Read();
  ASSERT_TRUE(a && b && d);
  EXPECT_EQ(a->body, R"({"hello":"world"})");
  EXPECT_EQ(b->body, "[1]");
  EXPECT_EQ(d->body, R"({"id":"7","q":""})");
}

TEST_F(ListenerTest, PostBodyAndHandlerHeaders) {
  Client c(StartServer());
  auto r = c.RoundTrip(
      "POST /echo HTTP/1.1\r\nHost: t\r\nX-Test-Bad-Header: 1\r\nContent-Length: 7\r\n\r\n"
      R"({"a":1})");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 201);
  EXPECT_EQ(r->body, R"({"a":1})");
  EXPECT_EQ(r->headers.Get("Location"), "/echo/1");
  EXPECT_FALSE(r->headers.Has("X-Bad"));
  EXPECT_FALSE(r->headers.Has("Injected"));
}

TEST_F(ListenerTest, NotFoundAndMethodNotAllowedAreJson) {
  Client c(StartServer());
  auto nf = c.RoundTrip(Get("/nope"));
  ASSERT_TRUE(nf);
  EXPECT_EQ(nf->status, 404);
  EXPECT_EQ(nf->headers.Get("Content-Type"), "application/json");
  EXPECT_NE(nf->body.find(R"("code":"not_found")"), std::string::npos);

  auto na = c.RoundTrip(Post("/hello", "{}"));
  ASSERT_TRUE(na);
  EXPECT_EQ(na->status, 405);
  EXPECT_EQ(na->headers.Get("Allow"), "GET, HEAD, OPTIONS");
  EXPECT_NE(na->body.find(R"("code":"method_not_allowed")"), std::string::npos);

  // HEAD: same headers as GET, no body; the connection stays usable.
  auto head = c.RoundTrip("HEAD /hello HTTP/1.1\r\nHost: t\r\n\r\n", /*head=*/true);
  ASSERT_TRUE(head);
  EXPECT_EQ(head->status, 200);
  EXPECT_EQ(head->headers.Get("Content-Length"), "17");
  EXPECT_EQ(head->body, "");
  auto after = c.RoundTrip(Get("/hello"));
  ASSERT_TRUE(after);
  EXPECT_EQ(after->body, R"({"hello":"world"})");

  auto options = c.RoundTrip("OPTIONS /hello HTTP/1.1\r\nHost: t\r\n\r\n");
  ASSERT_TRUE(options);
  EXPECT_EQ(options->status, 204);
  EXPECT_FALSE(options->headers.Has("Content-Length"));
}

TEST_F(ListenerTest, OversizedBodyGets413BeforeTheBodyIsSent) {
  ServerOptions o;
  o.max_body_bytes = 1024;
  Client c(StartServer(o));
  // Announce 100 MB and send none of it: the answer must come from the header alone.
  auto r = c.RoundTrip(
      "POST /echo HTTP/1.1\r\nHost: t\r\nContent-Type: application/json\r\n"
      "Content-Length: 100000000\r\n\r\n");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 413);
  EXPECT_EQ(r->headers.Get("Connection"), "close");
  EXPECT_NE(r->body.find(R"("code":"body_too_large")"), std::string::npos);
  EXPECT_TRUE(c.ClosedWithin(3s));
  EXPECT_EQ(metrics_.ErrorCount(TransportError::kBodyTooLarge), 1u);

  // Exactly at the limit is fine.
  Client ok(server_->port());
  auto fine = ok.RoundTrip(Post("/echo", std::string(1024, 'x')));
  ASSERT_TRUE(fine);
  EXPECT_EQ(fine->status, 201);
}

TEST_F(ListenerTest, OversizedChunkedBodyGets413) {
  ServerOptions o;
  o.max_body_bytes = 1024;
  Client c(StartServer(o));
  const std::string chunk(800, 'x');
  auto r = c.RoundTrip(
      "POST /echo HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n"
      "320\r\n" +
      chunk + "\r\n320\r\n" + chunk + "\r\n0\r\n\r\n");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 413);
}

TEST_F(ListenerTest, ExpectContinueIsAnswered) {
  Client c(StartServer());
  ASSERT_TRUE(
      c.Send("POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 2\r\n"
             "Expect: 100-continue\r\n\r\n"));
  auto interim = c.Read();
  ASSERT_TRUE(interim);
  EXPECT_EQ(interim->status, 100);
  auto r = c.RoundTrip("{}");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 201);
  EXPECT_EQ(r->body, "{}");
}

TEST_F(ListenerTest, MalformedRequestGets400AndClose) {
  Client c(StartServer());
  auto r = c.RoundTrip("GET /hello HTTP/1.1\r\nHost: t\r\nBad Header\r\n\r\n");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 400);
  EXPECT_NE(r->body.find(R"("code":"malformed_request")"), std::string::npos);
  EXPECT_TRUE(c.ClosedWithin(3s));

  Client d(server_->port());
  auto bad_target = d.RoundTrip(Get("/items/%zz"));
  ASSERT_TRUE(bad_target);
  EXPECT_EQ(bad_target->status, 400);

  Client e(server_->port());
  auto huge = e.RoundTrip(Get("/hello", "X-Big: " + std::string(9000, 'a') + "\r\n"));
  ASSERT_TRUE(huge);
  EXPECT_EQ(huge->status, 431);
  EXPECT_GE(metrics_.ErrorCount(TransportError::kMalformed), 2u);
}

TEST_F(ListenerTest, ReadTimeoutClosesHalfSentRequest) {
  ServerOptions o;
  o.read_timeout = 1s;
  Client c(StartServer(o));
  const auto start = std::chrono::steady_clock::now();
  ASSERT_TRUE(c.Send("GET /hello HTTP/1.1\r\nHost: t\r\n"));  // header never finished
  EXPECT_TRUE(c.ClosedWithin(4s));
  const auto elapsed = std::chrono::steady_clock::now() - start;
  EXPECT_GE(elapsed, 900ms);
  EXPECT_TRUE(Eventually([&] { return metrics_.ErrorCount(TransportError::kTimeout) == 1u; }));
}

TEST_F(ListenerTest, IdleKeepAliveConnectionIsClosed) {
  ServerOptions o;
  o.idle_timeout = 1s;
  o.read_timeout = 5s;
  Client c(StartServer(o));
  ASSERT_TRUE(c.RoundTrip(Get("/hello")));
  EXPECT_TRUE(c.ClosedWithin(4s));
  EXPECT_EQ(metrics_.ErrorCount(TransportError::kTimeout), 0u);  // idling is not an error
}

TEST_F(ListenerTest, HandlerExceptionIs500AndServerCarriesOn) {
  Client c(StartServer());
  auto r = c.RoundTrip(Get("/throw"));
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 500);
  EXPECT_EQ(r->body,
            R"({"error":{"code":"internal","message":"internal server error","path":""}})");
  auto ok = c.RoundTrip(Get("/hello"));
  ASSERT_TRUE(ok);
  EXPECT_EQ(ok->status, 200);
  EXPECT_EQ(metrics_.ErrorCount(TransportError::kHandlerException), 1u);
}

TEST_F(ListenerTest, Http10ClosesUnlessKeepAliveAsked) {
  Client c(StartServer());
  auto r = c.RoundTrip("GET /hello HTTP/1.0\r\n\r\n");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->headers.Get("Connection"), "close");
  EXPECT_TRUE(c.ClosedWithin(3s));

  Client k(server_->port());
  auto a = k.RoundTrip("GET /hello HTTP/1.0\r\nConnection: keep-alive\r\n\r\n");
  ASSERT_TRUE(a);
  EXPECT_EQ(a->headers.Get("Connection"), "keep-alive");
  EXPECT_TRUE(k.RoundTrip("GET /hello HTTP/1.0\r\nConnection: keep-alive\r\n\r\n"));
}

TEST_F(ListenerTest, ConcurrentClients) {
  ServerOptions o;
  o.threads = 3;
  const uint16_t port = StartServer(o);
  constexpr int kClients = 16;
  constexpr int kRequests = 50;
  std::atomic<int> ok{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kClients; ++t) {
    threads.emplace_back([&, t] {
      Client c(port);
      for (int i = 0; i < kRequests; ++i) {
        const std::string id = std::to_string(t) + "-" + std::to_string(i);
        auto r = c.RoundTrip(Get("/items/" + id));
        if (r && r->status == 200 && r->body == "{\"id\":\"" + id + "\",\"q\":\"\"}") ++ok;
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(ok.load(), kClients * kRequests);
  const size_t route = 1;  // "/items/{id}"
  ASSERT_EQ(router_.patterns()[route], "/items/{id}");
  EXPECT_TRUE(Eventually([&] {
    return metrics_.RequestCount(route, "GET", 2) == static_cast<uint64_t>(kClients * kRequests);
  }));
}

TEST_F(ListenerTest, GracefulStopFinishesInFlightRequestAndRefusesNewOnes) {
  const uint16_t port = StartServer();
  Client idle(port);  // an idle keep-alive connection is closed by the drain
  ASSERT_TRUE(idle.RoundTrip(Get("/hello")));

  Client slow(port);
  ASSERT_TRUE(slow.Send(Get("/slow")));
  while (!slow_entered_) std::this_thread::sleep_for(1ms);

  const auto start = std::chrono::steady_clock::now();
  auto stopped = std::async(std::launch::async, [this] { server_->Stop(StopMode::kGraceful); });
  std::this_thread::sleep_for(50ms);

  Client late(port);
  EXPECT_FALSE(late.connected());
  EXPECT_EQ(late.connect_errno(), ECONNREFUSED);
  EXPECT_TRUE(idle.ClosedWithin(1s));

  auto r = slow.Read();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(r->body, R"({"slow":true})");
  EXPECT_EQ(r->headers.Get("Connection"), "close");
  stopped.wait();
  EXPECT_LT(std::chrono::steady_clock::now() - start, 2s);
  EXPECT_FALSE(server_->running());
  EXPECT_EQ(server_->port(), 0);

  // A stopped server can start again.
  auto again = server_->Start(router_);
  ASSERT_TRUE(again.ok());
  Client c(*again);
  ASSERT_TRUE(c.RoundTrip(Get("/hello")));
}

TEST_F(ListenerTest, ImmediateStopDoesNotWait) {
  const uint16_t port = StartServer();
  Client slow(port);
  ASSERT_TRUE(slow.Send(Get("/slow")));
  while (!slow_entered_) std::this_thread::sleep_for(1ms);
  const auto start = std::chrono::steady_clock::now();
  server_->Stop(StopMode::kImmediate);  // returns once the running handler is done
  EXPECT_LT(std::chrono::steady_clock::now() - start, 1s);
  EXPECT_FALSE(server_->running());
  (void)slow.Read();  // whether or not the last response made it out, the connection is gone
  EXPECT_TRUE(slow.ClosedWithin(1s));
}

TEST_F(ListenerTest, MetricsCountRequestsAndRender) {
  Client c(StartServer());
  ASSERT_TRUE(c.RoundTrip(Get("/hello")));
  ASSERT_TRUE(c.RoundTrip(Get("/hello")));
  ASSERT_TRUE(c.RoundTrip(Get("/nope")));
  EXPECT_TRUE(Eventually([&] { return metrics_.RequestCount(kNoRoute, "GET", 4) == 1u; }));
  EXPECT_EQ(metrics_.RequestCount(0, "GET", 2), 2u);
  auto r = c.RoundTrip(Get("/metrics"));
  ASSERT_TRUE(r);
  EXPECT_EQ(r->headers.Get("Content-Type"), "text/plain; version=0.0.4");
  EXPECT_NE(r->body.find(
                "calfdvt_http_requests_total{route=\"/hello\",method=\"GET\",status=\"2xx\"} 2\n"),
            std::string::npos);
  EXPECT_NE(r->body.find("calfdvt_http_request_duration_seconds_count{route=\"/hello\"} 2\n"),
            std::string::npos);
  EXPECT_EQ(r->body.find("/nope"), std::string::npos);  // concrete paths never appear
}

TEST_F(ListenerTest, ClientConnectionCloseIsHonoured) {
  Client c(StartServer());
  auto r = c.RoundTrip(Get("/hello", "Connection: close\r\n"));
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(r->headers.Get("Connection"), "close");
  EXPECT_TRUE(c.ClosedWithin(3s));
}

TEST_F(ListenerTest, GarbageInputNeverTakesTheServerDown) {
  const uint16_t port = StartServer();
  uint32_t seed = 12345;
  const auto next = [&seed] {
    seed = seed * 1664525u + 1013904223u;
    return seed >> 24;
  };
  const std::vector<std::string> prefixes = {"", "GET ", "GET /hello HTTP/1.1\r\n",
                                             "POST /echo HTTP/1.1\r\nContent-Length: 5\r\n"
                                             "Transfer-Encoding: chunked\r\n\r\n"};
  for (int i = 0; i < 200; ++i) {
    std::string junk = prefixes[static_cast<size_t>(i) % prefixes.size()];
    const size_t n = next() % 64 + 1;
    for (size_t k = 0; k < n; ++k) junk.push_back(static_cast<char>(next()));
    junk += "\r\n\r\n";
    Client c(port);
    ASSERT_TRUE(c.connected());
    c.Send(junk);
    if (auto r = c.Read()) {
      EXPECT_TRUE(r->status == 400 || r->status == 404 || r->status == 405 || r->status == 501 ||
                  r->status == 200 || r->status == 413 || r->status == 431)
          << r->status;
    }
  }
  Client ok(port);
  auto r = ok.RoundTrip(Get("/hello"));
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
}

TEST_F(ListenerTest, GracefulStopUnderLoadNeitherHangsNorCrashes) {
  ServerOptions o;
  o.drain_timeout = 2s;
  const uint16_t port = StartServer(o);
  std::atomic<bool> stop_clients{false};
  std::atomic<int> completed{0};
  std::vector<std::thread> clients;
  for (int t = 0; t < 8; ++t) {
    clients.emplace_back([&] {
      while (!stop_clients) {
        Client c(port);
        if (!c.connected()) {
          std::this_thread::sleep_for(1ms);
          continue;
        }
        for (int i = 0; i < 20 && !stop_clients; ++i) {
          auto r = c.RoundTrip(Post("/echo", "{\"n\":1}"));
          if (!r) break;
          if (r->status == 201) ++completed;
        }
      }
    });
  }
  ASSERT_TRUE(Eventually([&] { return completed.load() > 200; }));
  const auto start = std::chrono::steady_clock::now();
  server_->Stop(StopMode::kGraceful);
  EXPECT_LT(std::chrono::steady_clock::now() - start, 3s);
  stop_clients = true;
  for (auto& t : clients) t.join();
  EXPECT_FALSE(server_->running());
}

TEST_F(ListenerTest, AccessLogNamesTheRouteButNeverPathQueryOrBody) {
  char path[] = "/tmp/calfdvt_access_log_XXXXXX";
  const int log_fd = ::mkstemp(path);
  ASSERT_GE(log_fd, 0);
  const int saved_stderr = ::dup(STDERR_FILENO);
  ::dup2(log_fd, STDERR_FILENO);
  {
    ServerOptions o;
    o.host = "127.0.0.1";
    o.port = 0;
    o.access_log = true;
    HttpServer server(o, &metrics_);
    auto port = server.Start(router_);
    ASSERT_TRUE(port.ok());
    Client c(*port);
    ASSERT_TRUE(c.RoundTrip(Get("/items/patient-4711?name=Doe")));
    ASSERT_TRUE(c.RoundTrip(Post("/echo", R"({"mrn":"secret-mrn"})")));
    server.Stop();
  }
  ::dup2(saved_stderr, STDERR_FILENO);
  ::close(saved_stderr);
  std::string log;
  char buf[4096];
  ssize_t n;
  ::lseek(log_fd, 0, SEEK_SET);
  while ((n = ::read(log_fd, buf, sizeof buf)) > 0) log.append(buf, static_cast<size_t>(n));
  ::close(log_fd);
  ::unlink(path);
  EXPECT_NE(log.find("method=GET route=/items/{id} status=200 dur_us="), std::string::npos) << log;
  EXPECT_NE(log.find("method=POST route=/echo status=201"), std::string::npos) << log;
  EXPECT_EQ(log.find("4711"), std::string::npos) << log;
  EXPECT_EQ(log.find("Doe"), std::string::npos) << log;
  EXPECT_EQ(log.find("secret-mrn"), std::string::npos) << log;
}

TEST_F(ListenerTest, StopOnSignalStopsGracefully) {
  StartServer();
  auto waiter = std::async(std::launch::async, [this] { return StopOnSignal(*server_); });
  std::this_thread::sleep_for(100ms);  // let the signal_set install its handler
  std::raise(SIGTERM);
  ASSERT_EQ(waiter.wait_for(5s), std::future_status::ready);
  EXPECT_EQ(waiter.get(), SIGTERM);
  EXPECT_FALSE(server_->running());

  // Without a signal it returns 0 once the server is stopped by someone else.
  StartServer();
  auto waiter2 = std::async(std::launch::async, [this] { return StopOnSignal(*server_); });
  std::this_thread::sleep_for(50ms);
  server_->Stop();
  ASSERT_EQ(waiter2.wait_for(5s), std::future_status::ready);
  EXPECT_EQ(waiter2.get(), 0);
}

}  // namespace
}  // namespace calfdvt::server
