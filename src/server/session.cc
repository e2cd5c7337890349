#include "server/session.h"

#include <unistd.h>

#include <array>
#include <boost/asio/dispatch.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/error.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <charconv>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <memory>
#include <optional>

namespace calfdvt::server::internal {
namespace {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using tcp = net::ip::tcp;
using Clock = std::chrono::steady_clock;

constexpr size_t kHeaderLimit = 8 * 1024;
constexpr size_t kIdleReadChunk = 8 * 1024;
// How long an idle keep-alive connection may still deliver a request once draining starts.
constexpr std::chrono::milliseconds kDrainIdleGrace{500};
constexpr size_t kLingerDiscardLimit = 1 << 20;
constexpr std::chrono::seconds kLingerTimeout{2};
constexpr std::string_view kContinue = "HTTP/1.1 100 Continue\r\n\r\n";

// "Sun, 06 Nov 1994 08:49:37 GMT" (RFC 9110 section 5.6.7), recomputed once per second per thread.
std::string_view HttpDate() {
  thread_local std::time_t cached_second = 0;
  thread_local char buf[64];
  thread_local size_t len = 0;
  const std::time_t now = std::time(nullptr);
  if (now != cached_second) {
    std::tm tm{};
    gmtime_r(&now, &tm);
    len = std::strftime(buf, sizeof buf, "%a, %d %b %Y %H:%M:%S GMT", &tm);
    cached_second = now;
  }
  return {buf, len};
}

// "2024-05-01T12:00:00Z" for the access log, cached per second per thread.
std::string_view LogTime() {
  thread_local std::time_t cached_second = 0;
  thread_local char buf[32];
  thread_local size_t len = 0;
  const std::time_t now = std::time(nullptr);
  if (now != cached_second) {
    std::tm tm{};
    gmtime_r(&now, &tm);
    len = std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
    cached_second = now;
  }
  return {buf, len};
}

bool IsTokenChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
         std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
}

bool ValidFieldName(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    if (!IsTokenChar(c)) return false;
  }
  return true;
}

bool ValidFieldValue(std::string_view s) {
  for (char c : s) {
    if (c == '\r' || c == '\n' || c == '\0') return false;
  }
  return true;
}

// Accept a client's X-Request-Id only when it is short and safe to log.
bool ValidRequestId(std::string_view s) {
  if (s.empty() || s.size() > 64) return false;
  for (char c : s) {
    if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
          c == '_' || c == '.')) {
      return false;
    }
  }
  return true;
}

void AppendUint(std::string& out, uint64_t v, int base = 10) {
  char buf[24];
  const auto r = std::to_chars(buf, buf + sizeof buf, v, base);
  out.append(buf, r.ptr);
}

// Headers the listener owns; handler-supplied copies are dropped.
bool ReservedField(std::string_view name) {
  return EqualsIgnoreCase(name, "Content-Length") || EqualsIgnoreCase(name, "Content-Type") ||
         EqualsIgnoreCase(name, "Connection") || EqualsIgnoreCase(name, "Date") ||
         EqualsIgnoreCase(name, "Transfer-Encoding") || EqualsIgnoreCase(name, "X-Request-Id");
}

}  // namespace

class Session : public std::enable_shared_from_this<Session> {
 public:
  Session(Worker& worker, tcp::socket socket)
      : worker_(worker), stream_(std::move(socket)), drain_timer_(stream_.get_executor()) {
    ++worker_.state.open_sessions;
    next_ = worker_.sessions;
    if (next_ != nullptr) next_->prev_ = this;
    worker_.sessions = this;
  }

  ~Session() {
    if (prev_ != nullptr) prev_->next_ = next_;
    if (next_ != nullptr) next_->prev_ = prev_;
    if (worker_.sessions == this) worker_.sessions = next_;
    --worker_.state.open_sessions;
  }

  Session(const Session&) = delete;
  Session& operator=(const Session&) = delete;

  void Start() {
    beast::error_code ec;
    stream_.socket().set_option(tcp::no_delay(true), ec);
    const tcp::endpoint peer = stream_.socket().remote_endpoint(ec);
    if (!ec) {
      remote_ = peer.address().to_string();
      remote_.push_back(':');
      AppendUint(remote_, peer.port());
    }
    if (worker_.draining) {
      stream_.close();
      return;
    }
    WaitForRequest();
  }

  // Drain: an idle connection closes now; a busy one closes after its response (sent with
  // "Connection: close"). A connection whose next request has already arrived in the socket
  // buffer is busy, not idle: closing it would reset a request the client has sent.
  // Rather than closing an idle connection at once (racing a request already on its way), its
  // idle wait is cut to a short grace period: a request arriving within it is served with
  // "Connection: close"; otherwise the wait times out and the connection closes.
  void OnDrain() {
    if (!idle_) return;
    drain_timer_.expires_after(kDrainIdleGrace);
    drain_timer_.async_wait([self = shared_from_this()](beast::error_code ec) {
      if (!ec && self->idle_) self->stream_.close();
    });
  }

  Session* next() const { return next_; }

 private:
  const ServerOptions& options() const { return worker_.state.options; }

  // Waits (up to idle_timeout) for the first byte of the next request.
  void WaitForRequest() {
    if (worker_.draining) {
      stream_.close();
      return;
    }
    if (buffer_.size() > 0) {  // pipelined bytes already here
      ReadHeader();
      return;
    }
    idle_ = true;
    stream_.expires_after(options().idle_timeout);
    stream_.async_read_some(
        buffer_.prepare(kIdleReadChunk),
        [self = shared_from_this()](beast::error_code ec, size_t n) { self->OnFirstBytes(ec, n); });
  }

  void OnFirstBytes(beast::error_code ec, size_t n) {
    idle_ = false;
    if (ec) {  // idle timeout, peer closed, or drained: nothing in progress, nothing to report
      stream_.close();
      return;
    }
    buffer_.commit(n);
    ReadHeader();
  }

  void ReadHeader() {
    parser_.emplace();
    parser_->header_limit(kHeaderLimit);
    parser_->body_limit(options().max_body_bytes);
    stream_.expires_after(options().read_timeout);
    bhttp::async_read_header(
        stream_, buffer_, *parser_,
        [self = shared_from_this()](beast::error_code ec, size_t) { self->OnHeader(ec); });
  }

  void OnHeader(beast::error_code ec) {
    if (ec) {
      OnReadError(ec);
      return;
    }
    const auto& req = parser_->get();
    if (const auto length = parser_->content_length();
        length && *length > options().max_body_bytes) {
      RejectBodyTooLarge();
      return;
    }
    if (parser_->is_done()) {
      OnRequest();
      return;
    }
    const auto expect = req.find(bhttp::field::expect);
    if (expect != req.end() && EqualsIgnoreCase(expect->value(), "100-continue")) {
      net::async_write(stream_, net::buffer(kContinue.data(), kContinue.size()),
                       [self = shared_from_this()](beast::error_code wec, size_t) {
                         if (wec) {
                           self->stream_.close();
                           return;
                         }
                         self->ReadBody();
                       });
      return;
    }
    ReadBody();
  }

  void ReadBody() {
    bhttp::async_read(stream_, buffer_, *parser_,
                      [self = shared_from_this()](beast::error_code ec, size_t) {
                        if (ec) {
                          self->OnReadError(ec);
                          return;
                        }
                        self->OnRequest();
                      });
  }

  void OnReadError(beast::error_code ec) {
    Metrics* metrics = worker_.state.metrics;
    if (ec == bhttp::error::body_limit) {
      RejectBodyTooLarge();
    } else if (ec == bhttp::error::header_limit) {
      if (metrics) metrics->RecordError(TransportError::kHeaderTooLarge);
      SendFinal(Error(431, "header_too_large", "request header block exceeds 8 KiB", ""));
    } else if (ec == beast::error::timeout) {
      if (metrics) metrics->RecordError(TransportError::kTimeout);
      stream_.close();
    } else if (ec == bhttp::error::end_of_stream || ec == bhttp::error::partial_message ||
               ec == net::error::eof || ec == net::error::operation_aborted ||
               ec == net::error::connection_reset) {
      if (metrics && ec != net::error::operation_aborted) {
        metrics->RecordError(TransportError::kIo);
      }
      stream_.close();
    } else if (ec.category() == bhttp::make_error_code(bhttp::error::bad_target).category()) {
      if (metrics) metrics->RecordError(TransportError::kMalformed);
      SendFinal(Error(400, "malformed_request", "the request is not valid HTTP/1.1", ""));
    } else {
      if (metrics) metrics->RecordError(TransportError::kIo);
      stream_.close();
    }
  }

  void RejectBodyTooLarge() {
    if (Metrics* metrics = worker_.state.metrics) {
      metrics->RecordError(TransportError::kBodyTooLarge);
    }
    SendFinal(Error(413, "body_too_large",
                    "request body exceeds " + std::to_string(options().max_body_bytes) + " bytes",
                    ""));
  }

  // Sends a transport-generated response and closes the connection afterwards.
  void SendFinal(Response response) {
    method_ = parser_ && parser_->is_header_done() ? std::string(parser_->get().method_string())
                                                   : std::string("-");
    route_ = kUnmatchedRoute;
    route_index_ = kNoRoute;
    request_id_.clear();
    NewRequestId();
    is_head_ = false;
    keep_alive_ = false;
    started_ = Clock::now();
    Write(std::move(response), /*linger=*/true);
  }

  void NewRequestId() {
    request_id_ = worker_.state.id_prefix;
    request_id_.push_back('-');
    AppendUint(request_id_, worker_.index, 16);
    request_id_.push_back('-');
    AppendUint(request_id_, ++worker_.next_request, 16);
  }

  void OnRequest() {
    started_ = Clock::now();
    auto& msg = parser_->get();
    Request request;
    request.method.assign(msg.method_string());
    if (!ParseTarget(msg.target(), request).ok()) {
      if (Metrics* metrics = worker_.state.metrics) {
        metrics->RecordError(TransportError::kMalformed);
      }
      SendFinal(Error(400, "malformed_request", "malformed request target", ""));
      return;
    }
    for (const auto& field : msg) {
      request.headers.Add(std::string(field.name_string()), std::string(field.value()));
    }
    request.body = std::move(msg.body());
    request.remote_address = remote_;
    const auto incoming_id = request.headers.Get("X-Request-Id");
    if (incoming_id && ValidRequestId(*incoming_id)) {
      request_id_.assign(*incoming_id);
    } else {
      NewRequestId();
    }
    request.request_id = request_id_;
    method_ = request.method;
    is_head_ = request.method == "HEAD";
    keep_alive_ = parser_->keep_alive() && !worker_.draining;
    http10_ = msg.version() < 11;

    RouteRef ref;
    Response response = worker_.state.router->Handle(request, &ref);
    route_ = ref.pattern;
    route_index_ = ref.index;
    if (ref.handler_threw) {
      if (Metrics* metrics = worker_.state.metrics) {
        metrics->RecordError(TransportError::kHandlerException);
      }
    }
    Write(std::move(response), /*linger=*/false);
  }

  void Write(Response response, bool linger) {
    // A status outside 100..999 is a handler defect: send (and count) a 500 instead.
    status_ = response.status >= 100 && response.status <= 999 ? response.status : 500;
    linger_ = linger;
    body_ = std::move(response.body);
    const bool no_body_status =
        status_ == 204 || status_ == 304 || (status_ >= 100 && status_ < 200);
    if (no_body_status) body_.clear();
    if (worker_.draining || worker_.state.stopping.load(std::memory_order_relaxed)) {
      keep_alive_ = false;
    }

    head_.clear();
    head_ += "HTTP/1.1 ";
    AppendUint(head_, static_cast<uint64_t>(status_));
    head_.push_back(' ');
    head_ += ReasonPhrase(status_);
    head_ += "\r\nDate: ";
    head_ += HttpDate();
    head_ += "\r\nX-Request-Id: ";
    head_ += request_id_;
    if (!response.content_type.empty() && ValidFieldValue(response.content_type) &&
        !no_body_status) {
      head_ += "\r\nContent-Type: ";
      head_ += response.content_type;
    }
    if (!no_body_status) {
      head_ += "\r\nContent-Length: ";
      AppendUint(head_, body_.size());
    }
    if (!keep_alive_) {
      head_ += "\r\nConnection: close";
    } else if (http10_) {
      head_ += "\r\nConnection: keep-alive";
    }
    for (const auto& [name, value] : response.headers.fields()) {
      if (!ValidFieldName(name) || !ValidFieldValue(value) || ReservedField(name)) {
        std::fprintf(stderr, "http dropped_response_header id=%s route=%.*s\n", request_id_.c_str(),
                     static_cast<int>(route_.size()), route_.data());
        continue;
      }
      head_ += "\r\n";
      head_ += name;
      head_ += ": ";
      head_ += value;
    }
    head_ += "\r\n\r\n";

    const std::array<net::const_buffer, 2> buffers = {
        net::buffer(head_), is_head_ ? net::const_buffer() : net::buffer(body_)};
    stream_.expires_after(options().write_timeout);
    // The write starts from the back of this thread's handler queue, not inline: when several
    // connections' requests arrived together (one epoll wake-up), their responses are computed
    // first and then sent back to back, so a client waiting on many connections is woken once
    // per burst instead of once per response. Alone (an idle server) the write starts at once.
    // Measured in docs/benchmarks.md ("CDS Hooks"): +25-40% requests/s, lower p99 under load.
    net::post(stream_.get_executor(), [self = shared_from_this(), buffers] {
      net::async_write(self->stream_, buffers, [self](beast::error_code ec, size_t) {
        self->OnWritten(ec);
      });
    });
  }

  void OnWritten(beast::error_code ec) {
    const auto elapsed = Clock::now() - started_;
    if (Metrics* metrics = worker_.state.metrics) {
      metrics->Record(route_index_, method_, status_, elapsed);
      if (ec) {
        metrics->RecordError(ec == beast::error::timeout ? TransportError::kTimeout
                                                         : TransportError::kIo);
      }
    }
    if (options().access_log) AccessLog(elapsed);
    if (ec) {
      stream_.close();
      return;
    }
    if (!keep_alive_) {
      Close();
      return;
    }
    parser_.reset();
    WaitForRequest();
  }

  void AccessLog(Clock::duration elapsed) {
    thread_local std::string line;
    line.clear();
    line += "http ts=";
    line += LogTime();
    line += " method=";
    line += method_;
    line += " route=";
    line += route_;
    line += " status=";
    AppendUint(line, static_cast<uint64_t>(status_));
    line += " dur_us=";
    AppendUint(line, static_cast<uint64_t>(
                         std::chrono::duration_cast<std::chrono::microseconds>(elapsed).count()));
    line += " id=";
    line += request_id_;
    line.push_back('\n');
    // One write(2) per line keeps lines from different threads whole.
    [[maybe_unused]] const ssize_t n = ::write(STDERR_FILENO, line.data(), line.size());
  }

  // Half-closes after the final response. When the request may still be arriving (rejected
  // before its body was read), reads and discards for a short while so that closing does not
  // reset the connection before the client has read the response.
  void Close() {
    beast::error_code ec;
    stream_.socket().shutdown(tcp::socket::shutdown_send, ec);
    if (!linger_ || ec) {
      stream_.close();
      return;
    }
    discarded_ = 0;
    stream_.expires_after(kLingerTimeout);
    Discard();
  }

  void Discard() {
    buffer_.clear();
    stream_.async_read_some(buffer_.prepare(16 * 1024),
                            [self = shared_from_this()](beast::error_code ec, size_t n) {
                              self->discarded_ += n;
                              if (ec || self->discarded_ > kLingerDiscardLimit) {
                                self->stream_.close();
                                return;
                              }
                              self->Discard();
                            });
  }

  Worker& worker_;
  beast::tcp_stream stream_;
  net::steady_timer drain_timer_;  // grace period for an idle connection once draining starts
  beast::flat_buffer buffer_;  // reused across requests on this connection
  std::optional<bhttp::request_parser<bhttp::string_body>> parser_;
  std::string head_;  // serialised status line + header fields, reused
  std::string body_;
  std::string remote_;
  std::string method_;
  std::string request_id_;
  std::string_view route_ = kUnmatchedRoute;  // points into the Router
  size_t route_index_ = kNoRoute;
  int status_ = 0;
  Clock::time_point started_;
  size_t discarded_ = 0;
  bool idle_ = false;
  bool keep_alive_ = true;
  bool http10_ = false;
  bool is_head_ = false;
  bool linger_ = false;
  Session* prev_ = nullptr;
  Session* next_ = nullptr;
};

Worker::Worker(ServerState& s, unsigned i) : state(s), index(i) {}

Worker::~Worker() = default;

void Worker::BeginDrain() {
  net::post(ioc, [this] {
    draining = true;
    // OnDrain may close a session but never destroys it synchronously (its pending handler
    // holds a reference), so the list stays intact while we walk it.
    for (Session* s = sessions; s != nullptr; s = s->next()) s->OnDrain();
  });
}

void StartSession(Worker& worker, tcp::socket socket) {
  // The session joins the worker's list on the worker's own thread.
  net::dispatch(worker.ioc, [&worker, socket = std::move(socket)]() mutable {
    std::make_shared<Session>(worker, std::move(socket))->Start();
  });
}

}  // namespace calfdvt::server::internal
