// The HTTP/1.1 transport: an asynchronous server (Boost.Beast + Asio) that reads requests, hands
// them to a Router and writes the responses. Modelled on boostorg/beast
// example/http/server/async: the accept loop, the per-connection session and request handling
// (the Router) are separate.
//
// Design: one io_context per thread; the acceptor lives on the first and hands each new
// connection to the next context round-robin. A connection is served entirely on its thread: no
// strands, no locks, no thread hops per request; handlers run on the I/O thread (keep them short).
//
// Protocol behaviour: keep-alive (HTTP/1.1 default, HTTP/1.0 with "Connection: keep-alive");
// request bodies over max_body_bytes -> 413 decided from the header before the body is read;
// header block over 8 KiB -> 431; malformed requests -> 400; "Expect: 100-continue" answered
// after the header is accepted. Every response carries X-Request-Id and Date.
//
// Access log: one line per request to stderr,
//   http ts=2024-05-01T12:00:00Z method=GET route=/episodes/{id} status=200 dur_us=123
//   id=5f3a..-0-1
// (dur_us: from the complete request to the response handed to the kernel)
// with the route pattern, never the concrete path, query string or body (no patient data).
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

#include "core/status.h"
#include "server/metrics.h"
#include "server/router.h"

namespace calfdvt::server {

struct ServerOptions {
  // Address to bind: an IPv4/IPv6 literal ("127.0.0.1", "::", "0.0.0.0"). Loopback by default so
  // nothing is exposed unless asked for.
  std::string host = "127.0.0.1";
  // TCP port; 0 binds a free port (Start reports which).
  uint16_t port = 8080;
  // I/O threads, each running its own event loop; 1..256.
  int threads = 2;
  // Largest accepted request body, bytes; 1..1 GiB. Larger -> 413 without reading the body.
  size_t max_body_bytes = 1 << 20;
  // Time allowed to receive one complete request once its first byte arrived; >= 1 s.
  std::chrono::seconds read_timeout{15};
  // Time allowed to send one complete response; >= 1 s.
  std::chrono::seconds write_timeout{15};
  // How long a keep-alive connection may wait for its next request; >= 1 s.
  std::chrono::seconds idle_timeout{60};
  // Graceful Stop: how long in-flight requests may take to finish before connections are cut;
  // >= 0 s.
  std::chrono::seconds drain_timeout{10};
  // Pending connections the kernel queues before accept (listen backlog); 1..65535.
  int backlog = 1024;
  // One access-log line per request to stderr.
  bool access_log = true;
};

// Rejects invalid settings (kInvalidInput, path "server.<field>"); never adjusts them.
core::Status ValidateServerOptions(const ServerOptions& options);

enum class StopMode {
  kGraceful,   // stop accepting, let in-flight requests finish (up to drain_timeout), then stop
  kImmediate,  // stop accepting and close every connection now
};

// Thread safety: Start and Stop may be called from any thread but not concurrently with each
// other, and never from a handler (Stop joins the I/O threads). The Router and Metrics must outlive
// the server (or the last Stop). A stopped server can be started again.
class HttpServer {
 public:
  // `metrics` (optional, not owned) receives every request; its routes are set in Start.
  explicit HttpServer(ServerOptions options, Metrics* metrics = nullptr);
  ~HttpServer();  // Stop(kImmediate) if running
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  // Validates the options, binds, listens and starts the I/O threads; returns the bound port.
  // Errors: kInvalidInput for bad options, kInternal when the address cannot be bound (the
  // message names host, port and the system error), kConflict when already running.
  core::Result<uint16_t> Start(const Router& router);

  // Idempotent. Blocks until the I/O threads have exited. After Stop returns, new connections
  // are refused and no handler is running.
  void Stop(StopMode mode = StopMode::kGraceful);

  // Blocks until the server has stopped (by Stop on another thread or a signal helper).
  void Wait();

  bool running() const;
  uint16_t port() const;  // bound port while running, else 0
  const ServerOptions& options() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// Blocks the calling thread until SIGINT or SIGTERM arrives (asio::signal_set) or the server
// stops by other means, then calls server.Stop(kGraceful). Returns the signal number, or 0 when
// the server stopped without a signal. While it waits, these signals do not kill the process.
int StopOnSignal(HttpServer& server);

}  // namespace calfdvt::server
