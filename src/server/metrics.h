// Request metrics in the Prometheus text exposition format 0.0.4
// (https://prometheus.io/docs/instrumenting/exposition_formats/#text-based-format).
//
// Series:
//   calfdvt_http_requests_total{route,method,status}      counter, status is a class "2xx".."5xx"
//   calfdvt_http_request_duration_seconds{route}          histogram, buckets 0.5 ms .. 5 s
//   calfdvt_http_errors_total{kind}                       counter, transport-level failures
//   plus any gauges supplied by gauge sources (e.g. episodes by phase).
// `route` is the route pattern ("/episodes/{id}"), never the concrete path, so no identifier
// reaches the metrics.
//
// Thread safety: SetRoutes must happen before the first Record (the listener calls it in
// Start). Record and RecordError are lock-free (relaxed atomics) and may run on any thread;
// counters are sharded by thread so I/O threads do not contend for cache lines.
// AddGaugeSource and RenderPrometheus take an internal mutex (never on the request path of
// other routes); gauge sources are called during RenderPrometheus and must be thread-safe.
#pragma once

#include <array>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace calfdvt::server {

// One gauge value. `name` must be a valid Prometheus metric name ("calfdvt_episodes"); samples
// sharing a name are rendered under one # HELP / # TYPE block (the first sample's help wins).
struct GaugeSample {
  std::string name;
  std::string help;
  std::vector<std::pair<std::string, std::string>> labels;  // values are escaped on output
  double value = 0;
};
using GaugeSource = std::function<std::vector<GaugeSample>()>;

enum class TransportError {
  kMalformed = 0,       // unparseable request -> 400
  kBodyTooLarge = 1,    // -> 413
  kHeaderTooLarge = 2,  // -> 431
  kTimeout = 3,         // read/write/idle deadline hit with a request in progress
  kHandlerException = 4,
  kIo = 5,  // other socket errors (reset by peer mid-request, ...)
};

class Metrics {
 public:
  // Upper bounds of the latency buckets, seconds (+Inf is implicit).
  static constexpr std::array<double, 13> kBucketBounds = {
      0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5};

  Metrics();
  ~Metrics();
  Metrics(const Metrics&) = delete;
  Metrics& operator=(const Metrics&) = delete;

  // Declares the route labels (Router::patterns()); RouteRef::index selects one. Requests with
  // an index outside this list are counted under "(unmatched)". Replaces earlier routes and
  // resets their counters. Not thread-safe against Record.
  void SetRoutes(const std::vector<std::string>& patterns);

  // Counts one request. `method` outside GET/HEAD/POST/PUT/PATCH/DELETE/OPTIONS counts as
  // "OTHER"; `status` outside 100..599 counts as "5xx".
  void Record(size_t route_index, std::string_view method, int status,
              std::chrono::nanoseconds duration);
  void RecordError(TransportError kind);

  void AddGaugeSource(GaugeSource source);

  std::string RenderPrometheus() const;

  // For tests and the endpoint layer: requests counted so far for (route, method, status class
  // digit 1..5).
  uint64_t RequestCount(size_t route_index, std::string_view method, int status_class) const;
  uint64_t ErrorCount(TransportError kind) const;

 private:
  struct RouteSeries;
  static constexpr size_t kShards = 4;
  // Shard `shard` of route `route` (summed on read).
  RouteSeries& Series(size_t shard, size_t route) const;

  std::vector<std::string> route_names_;   // last entry is "(unmatched)"
  std::unique_ptr<RouteSeries[]> series_;  // kShards x route_names_.size()
  std::array<std::atomic<uint64_t>, 6> errors_{};
  mutable std::mutex gauge_mu_;
  std::vector<GaugeSource> gauge_sources_;
};

}  // namespace calfdvt::server
