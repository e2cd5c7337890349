#include "server/metrics.h"

#include <charconv>
#include <cmath>

#include "server/router.h"

namespace calfdvt::server {
namespace {

constexpr std::array<std::string_view, 8> kMethods = {"GET",   "HEAD",   "POST",    "PUT",
                                                      "PATCH", "DELETE", "OPTIONS", "OTHER"};
constexpr std::array<std::string_view, 6> kErrorKinds = {
    "malformed", "body_too_large", "header_too_large", "timeout", "handler_exception", "io"};
constexpr size_t kBuckets = Metrics::kBucketBounds.size() + 1;  // + "+Inf"

// Bucket bounds in integer nanoseconds, so a duration exactly on a bound lands in that bucket.
constexpr std::array<int64_t, Metrics::kBucketBounds.size()> kBoundsNs = [] {
  std::array<int64_t, Metrics::kBucketBounds.size()> out{};
  for (size_t i = 0; i < out.size(); ++i) {
    out[i] = static_cast<int64_t>(Metrics::kBucketBounds[i] * 1e9 + 0.5);
  }
  return out;
}();

size_t MethodIndex(std::string_view m) {
  for (size_t i = 0; i + 1 < kMethods.size(); ++i) {
    if (kMethods[i] == m) return i;
  }
  return kMethods.size() - 1;
}

// Status class digit 1..5 -> index 0..4; anything else counts as 5xx.
size_t ClassIndex(int status) { return (status >= 100 && status <= 599) ? status / 100 - 1 : 4; }

void AppendDouble(std::string& out, double v) {
  if (std::isnan(v)) {
    out += "NaN";
  } else if (std::isinf(v)) {
    out += v > 0 ? "+Inf" : "-Inf";
  } else {
    char buf[32];
    const auto r = std::to_chars(buf, buf + sizeof buf, v);
    out.append(buf, r.ptr);
  }
}

void AppendLabelValue(std::string& out, std::string_view v) {
  out.push_back('"');
  for (char c : v) {
    if (c == '\\') {
      out += "\\\\";
    } else if (c == '"') {
      out += "\\\"";
    } else if (c == '\n') {
      out += "\\n";
    } else {
      out.push_back(c);
    }
  }
  out.push_back('"');
}

void AppendHeader(std::string& out, std::string_view name, std::string_view help,
                  std::string_view type) {
  out += "# HELP ";
  out += name;
  out.push_back(' ');
  for (char c : help) {  // HELP escapes backslash and newline only
    if (c == '\\') {
      out += "\\\\";
    } else if (c == '\n') {
      out += "\\n";
    } else {
      out.push_back(c);
    }
  }
  out += "\n# TYPE ";
  out += name;
  out.push_back(' ');
  out += type;
  out.push_back('\n');
}

}  // namespace

// One cache line group per route so routes do not share lines.
struct alignas(64) Metrics::RouteSeries {
  std::array<std::array<std::atomic<uint64_t>, 5>, kMethods.size()> requests{};
  std::array<std::atomic<uint64_t>, kBuckets> buckets{};  // per bucket, not cumulative
  std::atomic<uint64_t> sum_ns{0};
  std::atomic<uint64_t> count{0};
};

namespace {
// Each thread records into one shard, picked round-robin on its first Record.
std::atomic<size_t> g_next_shard{0};
}  // namespace

Metrics::RouteSeries& Metrics::Series(size_t shard, size_t route) const {
  return series_[shard * route_names_.size() + route];
}

Metrics::Metrics() { SetRoutes({}); }
Metrics::~Metrics() = default;

void Metrics::SetRoutes(const std::vector<std::string>& patterns) {
  route_names_ = patterns;
  route_names_.emplace_back(kUnmatchedRoute);
  series_ = std::make_unique<RouteSeries[]>(kShards * route_names_.size());
}

void Metrics::Record(size_t route_index, std::string_view method, int status,
                     std::chrono::nanoseconds duration) {
  thread_local const size_t shard = g_next_shard.fetch_add(1) % kShards;
  if (route_index >= route_names_.size() - 1) route_index = route_names_.size() - 1;
  RouteSeries& s = Series(shard, route_index);
  s.requests[MethodIndex(method)][ClassIndex(status)].fetch_add(1, std::memory_order_relaxed);
  const int64_t ns = duration.count();
  size_t b = 0;
  while (b < kBoundsNs.size() && ns > kBoundsNs[b]) ++b;
  s.buckets[b].fetch_add(1, std::memory_order_relaxed);
  s.sum_ns.fetch_add(duration.count() > 0 ? static_cast<uint64_t>(duration.count()) : 0,
                     std::memory_order_relaxed);
  s.count.fetch_add(1, std::memory_order_relaxed);
}

void Metrics::RecordError(TransportError kind) {
  errors_[static_cast<size_t>(kind)].fetch_add(1, std::memory_order_relaxed);
}

void Metrics::AddGaugeSource(GaugeSource source) {
  std::lock_guard lock(gauge_mu_);
  gauge_sources_.push_back(std::move(source));
}

uint64_t Metrics::RequestCount(size_t route_index, std::string_view method,
                               int status_class) const {
  if (route_index >= route_names_.size() - 1) route_index = route_names_.size() - 1;
  if (status_class < 1 || status_class > 5) return 0;
  uint64_t total = 0;
  for (size_t shard = 0; shard < kShards; ++shard) {
    total += Series(shard, route_index)
                 .requests[MethodIndex(method)][static_cast<size_t>(status_class - 1)]
                 .load(std::memory_order_relaxed);
  }
  return total;
}

uint64_t Metrics::ErrorCount(TransportError kind) const {
  return errors_[static_cast<size_t>(kind)].load(std::memory_order_relaxed);
}

std::string Metrics::RenderPrometheus() const {
  std::string out;
  out.reserve(4096);

  AppendHeader(out, "calfdvt_http_requests_total",
               "HTTP requests by route pattern, method and status class.", "counter");
  for (size_t r = 0; r < route_names_.size(); ++r) {
    for (size_t m = 0; m < kMethods.size(); ++m) {
      for (size_t c = 0; c < 5; ++c) {
        uint64_t v = 0;
        for (size_t shard = 0; shard < kShards; ++shard) {
          v += Series(shard, r).requests[m][c].load(std::memory_order_relaxed);
        }
        if (v == 0) continue;
        out += "calfdvt_http_requests_total{route=";
        AppendLabelValue(out, route_names_[r]);
        out += ",method=\"";
        out += kMethods[m];
        out += "\",status=\"";
        out.push_back(static_cast<char>('1' + c));
        out += "xx\"} ";
        out += std::to_string(v);
        out.push_back('\n');
      }
    }
  }

  AppendHeader(out, "calfdvt_http_request_duration_seconds",
               "Time from a complete request to the response being handed to the socket.",
               "histogram");
  for (size_t r = 0; r < route_names_.size(); ++r) {
    uint64_t count = 0;
    uint64_t sum_ns = 0;
    std::array<uint64_t, kBuckets> buckets{};
    for (size_t shard = 0; shard < kShards; ++shard) {
      const RouteSeries& s = Series(shard, r);
      count += s.count.load(std::memory_order_relaxed);
      sum_ns += s.sum_ns.load(std::memory_order_relaxed);
      for (size_t b = 0; b < kBuckets; ++b)
        buckets[b] += s.buckets[b].load(std::memory_order_relaxed);
    }
    if (count == 0) continue;
    uint64_t cumulative = 0;
    for (size_t b = 0; b < kBuckets; ++b) {
      cumulative += buckets[b];
      out += "calfdvt_http_request_duration_seconds_bucket{route=";
      AppendLabelValue(out, route_names_[r]);
      out += ",le=\"";
      if (b < kBucketBounds.size()) {  // fixed notation: "0.0005", not "5e-04"
        char buf[32];
        const auto res =
            std::to_chars(buf, buf + sizeof buf, kBucketBounds[b], std::chars_format::fixed);
        out.append(buf, res.ptr);
      } else {
        out += "+Inf";
      }
      out += "\"} ";
      out += std::to_string(cumulative);
      out.push_back('\n');
    }
    out += "calfdvt_http_request_duration_seconds_sum{route=";
    AppendLabelValue(out, route_names_[r]);
    out += "} ";
    AppendDouble(out, static_cast<double>(sum_ns) / 1e9);
    out += "\ncalfdvt_http_request_duration_seconds_count{route=";
    AppendLabelValue(out, route_names_[r]);
    out += "} ";
    // Buckets are read one by one while requests complete; report the bucket total so the
    // +Inf bucket and _count always agree.
    out += std::to_string(cumulative);
    out.push_back('\n');
  }

  AppendHeader(out, "calfdvt_http_errors_total",
               "Transport-level failures (malformed requests, limits, timeouts, handler "
               "exceptions, socket errors).",
               "counter");
  for (size_t k = 0; k < kErrorKinds.size(); ++k) {
    out += "calfdvt_http_errors_total{kind=\"";
    out += kErrorKinds[k];
    out += "\"} ";
    out += std::to_string(errors_[k].load(std::memory_order_relaxed));
    out.push_back('\n');
  }

  std::vector<GaugeSample> samples;
  {
    std::lock_guard lock(gauge_mu_);
    for (const GaugeSource& source : gauge_sources_) {
      std::vector<GaugeSample> more = source();
      for (GaugeSample& g : more) samples.push_back(std::move(g));
    }
  }
  // Group by name in order of first appearance, one HELP/TYPE block per name.
  std::vector<bool> done(samples.size(), false);
  for (size_t i = 0; i < samples.size(); ++i) {
    if (done[i]) continue;
    AppendHeader(out, samples[i].name, samples[i].help, "gauge");
    for (size_t j = i; j < samples.size(); ++j) {
      if (done[j] || samples[j].name != samples[i].name) continue;
      done[j] = true;
      out += samples[j].name;
      if (!samples[j].labels.empty()) {
        out.push_back('{');
        for (size_t l = 0; l < samples[j].labels.size(); ++l) {
          if (l > 0) out.push_back(',');
          out += samples[j].labels[l].first;
          out.push_back('=');
          AppendLabelValue(out, samples[j].labels[l].second);
        }
        out.push_back('}');
      }
      out.push_back(' ');
      AppendDouble(out, samples[j].value);
      out.push_back('\n');
    }
  }
  return out;
}

}  // namespace calfdvt::server
