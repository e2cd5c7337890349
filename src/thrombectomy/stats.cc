#include "thrombectomy/stats.h"

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

namespace calfdvt::thrombectomy {

namespace {

// Continued fraction of the incomplete beta (modified Lentz), valid for x < (a+1)/(a+b+2).
double BetaContinuedFraction(double x, double a, double b) {
  constexpr double kTiny = 1e-300;
  constexpr double kEps = 1e-16;
  constexpr int kMaxIterations = 10000;
  const double qab = a + b, qap = a + 1, qam = a - 1;
  double c = 1;
  double d = 1 - qab * x / qap;
  if (std::fabs(d) < kTiny) d = kTiny;
  d = 1 / d;
  double h = d;
  for (int m = 1; m <= kMaxIterations; ++m) {
    const double m2 = 2.0 * m;
    double aa = m * (b - m) * x / ((qam + m2) * (a + m2));
    d = 1 + aa * d;
    if (std::fabs(d) < kTiny) d = kTiny;
    c = 1 + aa / c;
    if (std::fabs(c) < kTiny) c = kTiny;
    d = 1 / d;
    h *= d * c;
    aa = -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2));
    d = 1 + aa * d;
    if (std::fabs(d) < kTiny) d = kTiny;
    c = 1 + aa / c;
    if (std::fabs(c) < kTiny) c = kTiny;
    d = 1 / d;
    const double delta = d * c;
    h *= delta;
    if (std::fabs(delta - 1) < kEps) break;
  }
  return h;
}

// Root of the increasing function f on [lo, hi] with f(lo) <= target <= f(hi), by bisection.
template <class F>
double Bisect(F f, double target, double lo, double hi) {
  for (int i = 0; i < 200 && hi - lo > 1e-15 * std::max(1.0, std::fabs(lo)); ++i) {
    const double mid = lo + (hi - lo) / 2;
    if (f(mid) < target) lo = mid;
    else hi = mid;
  }
  return lo + (hi - lo) / 2;
}

core::Status CheckCounts(int k, int n) {
  if (n < 0) return core::Status::Invalid("n", "range", "n must not be negative");
  if (n == 0)
    return core::Status::Invalid("n", "no_data", "no data: n = 0, so there is no interval");
  if (k < 0 || k > n)
    return core::Status::Invalid("k", "range",
                                 "k must lie between 0 and n = " + std::to_string(n) + " (got " +
                                     std::to_string(k) + ")");
  return core::OkStatus();
}

}  // namespace

double RegularizedIncompleteBeta(double x, double a, double b) {
  if (x <= 0) return 0;
  if (x >= 1) return 1;
  const double log_front =
      std::lgamma(a + b) - std::lgamma(a) - std::lgamma(b) + a * std::log(x) + b * std::log1p(-x);
  const double front = std::exp(log_front);
  if (x < (a + 1) / (a + b + 2)) return front * BetaContinuedFraction(x, a, b) / a;
  return 1 - front * BetaContinuedFraction(1 - x, b, a) / b;
}

double BetaQuantile(double p, double a, double b) {
  if (p <= 0) return 0;
  if (p >= 1) return 1;
  return Bisect([&](double x) { return RegularizedIncompleteBeta(x, a, b); }, p, 0.0, 1.0);
}

double NormalQuantile(double p) {
  return Bisect([](double z) { return 0.5 * std::erfc(-z / std::sqrt(2.0)); }, p, -40.0, 40.0);
}

core::Result<Interval> ClopperPearson(int k, int n, double confidence) {
  if (auto s = CheckCounts(k, n); !s.ok()) return core::Result<Interval>(s.kind(), s.errors());
  if (!(confidence > 0 && confidence < 1))
    return core::Result<Interval>::Invalid("confidence", "range",
                                           "confidence must lie strictly between 0 and 1");
  const double alpha = 1 - confidence;
  Interval ci;
  ci.low = k == 0 ? 0.0 : BetaQuantile(alpha / 2, k, n - k + 1);
  ci.high = k == n ? 1.0 : BetaQuantile(1 - alpha / 2, k + 1, n - k);
  return ci;
}

core::Result<Interval> Wilson(int k, int n, double z) {
  if (auto s = CheckCounts(k, n); !s.ok()) return core::Result<Interval>(s.kind(), s.errors());
  if (!(std::isfinite(z) && z > 0))
    return core::Result<Interval>::Invalid("z", "range", "z must be a finite number above 0");
  const double nn = n;
  const double p = k / nn;
  const double z2 = z * z;
  const double denominator = 1 + z2 / nn;
  const double centre = (p + z2 / (2 * nn)) / denominator;
  const double half = z * std::sqrt(p * (1 - p) / nn + z2 / (4 * nn * nn)) / denominator;
  // At k = 0 and k = n the bound is 0 or 1 exactly; only rounding could move it.
  Interval ci;
  ci.low = k == 0 ? 0.0 : std::max(0.0, centre - half);
  ci.high = k == n ? 1.0 : std::min(1.0, centre + half);
  return ci;
}

Summary Summarize(std::span<const double> values) {
  Summary s;
  s.n = static_cast<int>(values.size());
  if (values.empty()) return s;
  std::vector<double> sorted(values.begin(), values.end());
  std::sort(sorted.begin(), sorted.end());
  double sum = 0;
  for (double v : sorted) sum += v;
  const double mean = sum / s.n;
  s.mean = mean;
  s.min = sorted.front();
  s.max = sorted.back();
  const size_t mid = sorted.size() / 2;
  s.median = sorted.size() % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
  if (s.n >= 2) {
    double squares = 0;
    for (double v : sorted) squares += (v - mean) * (v - mean);
    s.sd = std::sqrt(squares / (s.n - 1));
  }
  return s;
}

}  // namespace calfdvt::thrombectomy
