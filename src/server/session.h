// Internal to the listener: per-thread worker state and the per-connection session. Not part of
// the server's public surface (include listener.h instead).
//
// Threading: a Worker's io_context is run by exactly one thread. Everything in a Worker except
// `ioc` (whose post/stop are thread-safe) is touched only on that thread, and so is every Session
// living on it. ServerState is immutable while the server runs except for its atomics.
#pragma once

#include <atomic>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <cstdint>
#include <string>
#include <thread>

#include "server/listener.h"

namespace calfdvt::server::internal {

class Session;

// Read-mostly state shared by all workers of one running server.
struct ServerState {
  ServerOptions options;
  const Router* router = nullptr;
  Metrics* metrics = nullptr;  // may be null
  std::string id_prefix;       // random per Start, prefixes generated request ids
  std::atomic<int> open_sessions{0};
  // Set by Stop before draining, read by every worker: responses written from now on close
  // their connection.
  std::atomic<bool> stopping{false};
};

struct Worker {
  Worker(ServerState& state, unsigned index);
  ~Worker();

  // Posts to this worker's thread: stop reading new requests; idle keep-alive connections close
  // now, busy ones after their current response.
  void BeginDrain();

  ServerState& state;
  const unsigned index;
  // Intrusive list of live sessions (for draining). Declared before `ioc` so it outlives the
  // sessions that io_context destroys during its own destruction.
  Session* sessions = nullptr;
  bool draining = false;
  uint64_t next_request = 0;
  boost::asio::io_context ioc{1};
  boost::asio::executor_work_guard<boost::asio::io_context::executor_type> work{ioc.get_executor()};
  std::thread thread;
};

// Takes ownership of an accepted socket (already bound to worker.ioc) and serves it until the
// connection ends. Call from any thread; the session starts on the worker's thread.
void StartSession(Worker& worker, boost::asio::ip::tcp::socket socket);

}  // namespace calfdvt::server::internal
