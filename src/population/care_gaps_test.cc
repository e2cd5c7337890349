#include "population/care_gaps.h"

#include <gtest/gtest.h>

namespace calfdvt::population {
namespace {

using core::Date;
const Date kAsOf = Date::FromCivil(2026, 11, 21);

fhir::CareFacts Distal() {
  fhir::CareFacts f;
  f.distal_dvt = true;
  f.calf_veins_assessed = true;
  return f;
}

std::vector<GapCode> Gaps(const fhir::CareFacts& f) { return CareGaps(f, kAsOf, GapRules{}); }

TEST(CareGaps, NoDvtNoGap) { EXPECT_TRUE(Gaps(fhir::CareFacts{}).empty()); }

TEST(CareGaps, UntreatedDistalWithoutFollowup) {
  EXPECT_EQ(Gaps(Distal()), std::vector{GapCode::kUntreatedDistalWithoutFollowup});
}

TEST(CareGaps, AnticoagulatedDistalHasNoGap) {
  auto f = Distal();
  f.anticoagulant_active = true;
  EXPECT_TRUE(Gaps(f).empty());
}

TEST(CareGaps, UpcomingFollowupIsNoGap) {
  auto f = Distal();
  f.followups.push_back({"s1", kAsOf.AddDays(3), false});
  EXPECT_TRUE(Gaps(f).empty());
}

TEST(CareGaps, OverdueOnlyAfterTheGraceDays) {
  auto f = Distal();
  f.followups.push_back({"s1", kAsOf.AddDays(-2), false});
  EXPECT_TRUE(Gaps(f).empty()) << "due 2 days ago: still inside the +2-day window";
  f.followups[0].due = kAsOf.AddDays(-3);
  EXPECT_EQ(Gaps(f), std::vector{GapCode::kFollowupOverdue});
  f.followups[0].completed = true;
  EXPECT_TRUE(Gaps(f).empty());
}

TEST(CareGaps, FollowupWithoutDueDateIsNeverOverdue) {
  auto f = Distal();
  f.followups.push_back({"s1", std::nullopt, false});
  EXPECT_TRUE(Gaps(f).empty());
}

TEST(CareGaps, LimitedScanOnly) {
  auto f = Distal();
  f.calf_veins_assessed = false;
  f.limited_scan_only = true;
  f.anticoagulant_active = true;
  EXPECT_EQ(Gaps(f), std::vector{GapCode::kCalfVeinsNotAssessed});
  f.proximal_dvt = true;  // a proximal thrombus on a limited scan is proximal: no calf alert
  EXPECT_TRUE(Gaps(f).empty());
}

TEST(CareGaps, ProximalUntreated) {
  fhir::CareFacts f;
  f.proximal_dvt = true;
  EXPECT_EQ(Gaps(f), std::vector{GapCode::kProximalDvtUntreated});
  f.distal_dvt = true;  // distal beside proximal: not isolated, so no distal gap
  EXPECT_EQ(Gaps(f), std::vector{GapCode::kProximalDvtUntreated});
  f.anticoagulant_active = true;
  EXPECT_TRUE(Gaps(f).empty());
}

TEST(CareGaps, SeveralGapsInCodeOrder) {
  auto f = Distal();
  f.limited_scan_only = true;
  f.calf_veins_assessed = false;
  f.followups.push_back({"s1", kAsOf.AddDays(-20), false});
  EXPECT_EQ(Gaps(f), (std::vector{GapCode::kFollowupOverdue, GapCode::kCalfVeinsNotAssessed}));
}

}  // namespace
}  // namespace calfdvt::population
