// Statistics for the calf-squeeze registry: binomial confidence intervals (exact Clopper-Pearson
// and Wilson score) and descriptive summaries. Standard library only; pure and thread-safe.
// Accuracy: intervals and quantiles are exact to about 1e-12 (bisection to convergence on the
// regularized incomplete beta, evaluated by its continued fraction).
#pragma once

#include <optional>
#include <span>

#include "core/status.h"

namespace calfdvt::thrombectomy {

struct Interval {
  double low = 0;   // 0 <= low <= high <= 1 for proportions
  double high = 0;
  friend bool operator==(const Interval&, const Interval&) = default;
};

// Whether two closed intervals share a point.
inline bool Overlaps(const Interval& a, const Interval& b) {
  return a.low <= b.high && b.low <= a.high;
}

// The regularized incomplete beta function I_x(a, b). Preconditions: a > 0, b > 0, 0 <= x <= 1.
double RegularizedIncompleteBeta(double x, double a, double b);

// The x in [0, 1] with I_x(a, b) = p (the Beta(a, b) quantile). Preconditions: a > 0, b > 0,
// 0 <= p <= 1.
double BetaQuantile(double p, double a, double b);

// The standard normal quantile: the z with P(Z <= z) = p. Precondition: 0 < p < 1.
double NormalQuantile(double p);

// Exact (Clopper-Pearson) interval for k successes in n trials at `confidence` (0.95 for a 95%
// interval): low = Beta quantile alpha/2 of (k, n-k+1), 0 when k = 0; high = Beta quantile
// 1-alpha/2 of (k+1, n-k), 1 when k = n; alpha = 1 - confidence.
// Errors: n == 0 -> rule "no_data" (no interval exists); k outside 0..n, n < 0 or confidence
// outside (0, 1) -> rule "range".
core::Result<Interval> ClopperPearson(int k, int n, double confidence);

// Wilson score interval for k successes in n trials with normal quantile z (1.959964 for 95%):
// (p + z^2/2n -/+ z sqrt(p(1-p)/n + z^2/4n^2)) / (1 + z^2/n), p = k/n.
// Errors as ClopperPearson; z must be finite and > 0 (rule "range").
core::Result<Interval> Wilson(int k, int n, double z);

// Descriptive statistics of a sample. Every field is nullopt for an empty sample; sd needs two
// values (sample standard deviation, divisor n - 1).
struct Summary {
  int n = 0;
  std::optional<double> mean;
  std::optional<double> sd;
  std::optional<double> median;  // mean of the two middle values for even n
  std::optional<double> min;
  std::optional<double> max;
};
Summary Summarize(std::span<const double> values);

}  // namespace calfdvt::thrombectomy
