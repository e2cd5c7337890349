// Binomial intervals against known values (exact Clopper-Pearson and Wilson, 3 decimals), the
// incomplete beta and normal quantile against closed forms, the edge cases k = 0, k = n, n = 1 and
// n = 0 (no interval: "no_data"), and the descriptive summary.
#include "thrombectomy/stats.h"

#include <gtest/gtest.h>

#include <cmath>
#include <vector>

namespace calfdvt::thrombectomy {
namespace {

constexpr double k3 = 0.0005;  // agreement to 3 decimals
const double kZ95 = NormalQuantile(0.975);

TEST(Stats, NormalQuantile) {
  EXPECT_NEAR(NormalQuantile(0.975), 1.959963984540054, 1e-9);
  EXPECT_NEAR(NormalQuantile(0.5), 0.0, 1e-12);
  EXPECT_NEAR(NormalQuantile(0.05), -1.6448536269514722, 1e-9);
}

TEST(Stats, IncompleteBetaClosedForms) {
  // I_x(1, 1) = x; I_x(a, 1) = x^a; I_x(1, b) = 1 - (1-x)^b.
  EXPECT_NEAR(RegularizedIncompleteBeta(0.3, 1, 1), 0.3, 1e-14);
  EXPECT_NEAR(RegularizedIncompleteBeta(0.7, 10, 1), std::pow(0.7, 10), 1e-14);
  EXPECT_NEAR(RegularizedIncompleteBeta(0.2, 1, 10), 1 - std::pow(0.8, 10), 1e-14);
  // Symmetry I_x(a, b) = 1 - I_{1-x}(b, a), on both sides of the switch point.
  EXPECT_NEAR(RegularizedIncompleteBeta(0.35, 7, 4), 1 - RegularizedIncompleteBeta(0.65, 4, 7), 1e-13);
  EXPECT_EQ(RegularizedIncompleteBeta(0, 2, 3), 0);
  EXPECT_EQ(RegularizedIncompleteBeta(1, 2, 3), 1);
  // Binomial tail: I_0.5(3, 3) = 0.5.
  EXPECT_NEAR(RegularizedIncompleteBeta(0.5, 3, 3), 0.5, 1e-14);
}

TEST(Stats, BetaQuantileInvertsTheIncompleteBeta) {
  for (double p : {0.025, 0.5, 0.975}) {
    const double x = BetaQuantile(p, 7, 4);
    EXPECT_NEAR(RegularizedIncompleteBeta(x, 7, 4), p, 1e-12) << p;
  }
  EXPECT_NEAR(BetaQuantile(0.025, 10, 1), std::pow(0.025, 0.1), 1e-12);
}

TEST(ClopperPearson, PublishedRecanalizationTenOfTen) {
  auto ci = ClopperPearson(10, 10, 0.95);
  ASSERT_TRUE(ci.ok());
  EXPECT_NEAR(ci->low, 0.692, k3);
  EXPECT_EQ(ci->high, 1.0);
  EXPECT_NEAR(ci->low, std::pow(0.025, 0.1), 1e-12);  // closed form for k = n
}

TEST(ClopperPearson, PublishedComplicationsZeroOfTen) {
  auto ci = ClopperPearson(0, 10, 0.95);
  ASSERT_TRUE(ci.ok());
  EXPECT_EQ(ci->low, 0.0);
  EXPECT_NEAR(ci->high, 0.308, k3);
  EXPECT_NEAR(ci->high, 1 - std::pow(0.025, 0.1), 1e-12);  // closed form for k = 0
}

TEST(ClopperPearson, InteriorValues) {
  // 7/10: 0.3475-0.9333 (standard tables).
  auto ci = ClopperPearson(7, 10, 0.95);
  ASSERT_TRUE(ci.ok());
  EXPECT_NEAR(ci->low, 0.348, k3);
  EXPECT_NEAR(ci->high, 0.933, k3);
  // 1/2: 0.0126-0.9874.
  ci = ClopperPearson(1, 2, 0.95);
  ASSERT_TRUE(ci.ok());
  EXPECT_NEAR(ci->low, 0.0126, 0.00005);
  EXPECT_NEAR(ci->high, 0.9874, 0.00005);
  // 90% interval is narrower than 95%.
  auto ci90 = ClopperPearson(7, 10, 0.90);
  ASSERT_TRUE(ci90.ok());
  EXPECT_GT(ci90->low, 0.348);
}

TEST(ClopperPearson, SingleProcedure) {
  auto one = ClopperPearson(1, 1, 0.95);
  ASSERT_TRUE(one.ok());
  EXPECT_NEAR(one->low, 0.025, 1e-12);
  EXPECT_EQ(one->high, 1.0);
  auto none = ClopperPearson(0, 1, 0.95);
  ASSERT_TRUE(none.ok());
  EXPECT_EQ(none->low, 0.0);
  EXPECT_NEAR(none->high, 0.975, 1e-12);
}

TEST(ClopperPearson, NoDataAndBadArguments) {
  auto r = ClopperPearson(0, 0, 0.95);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.errors()[0].rule, "no_data");
  EXPECT_EQ(r.errors()[0].path, "n");
  EXPECT_EQ(ClopperPearson(11, 10, 0.95).errors()[0].rule, "range");
  EXPECT_EQ(ClopperPearson(-1, 10, 0.95).errors()[0].path, "k");
  EXPECT_EQ(ClopperPearson(1, -1, 0.95).errors()[0].path, "n");
  EXPECT_EQ(ClopperPearson(1, 10, 1.0).errors()[0].path, "confidence");
  EXPECT_EQ(ClopperPearson(1, 10, 0.0).errors()[0].rule, "range");
}

TEST(Wilson, SevenOfTen) {
  auto ci = Wilson(7, 10, kZ95);
  ASSERT_TRUE(ci.ok());
  EXPECT_NEAR(ci->low, 0.397, k3);
  EXPECT_NEAR(ci->high, 0.892, k3);
}

TEST(Wilson, EdgesAreExactlyZeroAndOne) {
  auto all = Wilson(10, 10, kZ95);
  ASSERT_TRUE(all.ok());
  EXPECT_NEAR(all->low, 0.722, k3);  // 10 / (10 + z^2)
  EXPECT_EQ(all->high, 1.0);
  auto none = Wilson(0, 10, kZ95);
  ASSERT_TRUE(none.ok());
  EXPECT_EQ(none->low, 0.0);
  EXPECT_NEAR(none->high, 0.278, k3);
  auto one = Wilson(1, 1, kZ95);
  ASSERT_TRUE(one.ok());
  EXPECT_NEAR(one->low, 1 / (1 + kZ95 * kZ95), 1e-12);
  EXPECT_EQ(one->high, 1.0);
}

TEST(Wilson, NoDataAndBadArguments) {
  auto r = Wilson(0, 0, kZ95);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.errors()[0].rule, "no_data");
  EXPECT_EQ(Wilson(3, 2, kZ95).errors()[0].rule, "range");
  EXPECT_EQ(Wilson(1, 2, 0).errors()[0].path, "z");
  EXPECT_EQ(Wilson(1, 2, NAN).errors()[0].path, "z");
}

TEST(Overlaps, ClosedIntervals) {
  EXPECT_TRUE(Overlaps({0.69, 1.0}, {0.692, 1.0}));
  EXPECT_TRUE(Overlaps({0.0, 0.31}, {0.31, 0.5}));  // a shared end point
  EXPECT_FALSE(Overlaps({0.0, 0.31}, {0.32, 0.5}));
  EXPECT_FALSE(Overlaps({0.5, 0.6}, {0.1, 0.4}));
}

TEST(Summarize, PublishedLikeSqueezes) {
  const std::vector<double> v = {1, 1, 1, 2, 1, 1, 3, 1, 1, 1};
  const Summary s = Summarize(v);
  EXPECT_EQ(s.n, 10);
  EXPECT_EQ(s.mean, 1.3);
  EXPECT_NEAR(*s.sd, std::sqrt(4.1 / 9), 1e-12);
  EXPECT_EQ(s.median, 1.0);
  EXPECT_EQ(s.min, 1.0);
  EXPECT_EQ(s.max, 3.0);
}

TEST(Summarize, SmallSamples) {
  const Summary empty = Summarize({});
  EXPECT_EQ(empty.n, 0);
  EXPECT_FALSE(empty.mean || empty.sd || empty.median || empty.min || empty.max);
  const std::vector<double> one = {2};
  const Summary s1 = Summarize(one);
  EXPECT_EQ(s1.mean, 2.0);
  EXPECT_EQ(s1.sd, std::nullopt);  // sample SD needs two values
  EXPECT_EQ(s1.median, 2.0);
  const std::vector<double> two = {1, 4};
  const Summary s2 = Summarize(two);
  EXPECT_EQ(s2.median, 2.5);
  EXPECT_NEAR(*s2.sd, std::sqrt(4.5), 1e-12);
}

}  // namespace
}  // namespace calfdvt::thrombectomy
