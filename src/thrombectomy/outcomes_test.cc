// Per-procedure outcomes (clinical-spec §7): squeeze count, migration, removal grade at and around
// the cut-offs, recanalization (antegrade flow AND grade II/III), complications with SIR classes,
// and unknown inputs giving unknown outcomes.
#include "thrombectomy/outcomes.h"

#include <gtest/gtest.h>

#include "thrombectomy/test_knowledge.h"

namespace calfdvt::thrombectomy {
namespace {

using test_support::PublishedLikeProcedure;
using test_support::TestKnowledge;
using core::Vein;

Outcomes Of(const Procedure& p) { return ComputeOutcomes(p, TestKnowledge()); }

TEST(Outcomes, PublishedLikeRecord) {
  const Outcomes o = Of(PublishedLikeProcedure());
  EXPECT_EQ(o.squeeze_count, 1);
  EXPECT_EQ(o.migration, true);
  EXPECT_EQ(o.removal_percent, 90.0);
  EXPECT_EQ(o.removal_grade, RemovalGrade::kII);
  EXPECT_EQ(o.recanalization, true);
  EXPECT_EQ(o.complication, false);
  EXPECT_EQ(o.major_complication, false);
  EXPECT_EQ(o.complications, 0);
}

TEST(Outcomes, RemovalGradeCutOffs) {
  const auto& k = TestKnowledge();
  EXPECT_EQ(GradeOf(0, k), RemovalGrade::kI);
  EXPECT_EQ(GradeOf(49.9, k), RemovalGrade::kI);
  EXPECT_EQ(GradeOf(50, k), RemovalGrade::kII);
  EXPECT_EQ(GradeOf(99, k), RemovalGrade::kII);
  EXPECT_EQ(GradeOf(99.9, k), RemovalGrade::kII);
  EXPECT_EQ(GradeOf(100, k), RemovalGrade::kIII);
  ThrombectomyKnowledge other = k;
  other.grade_ii_min_removal_percent = 40;
  EXPECT_EQ(GradeOf(45, other), RemovalGrade::kII);
}

TEST(Outcomes, GradeFromResidualThrombus) {
  Procedure p = PublishedLikeProcedure();
  p.result->residual_thrombus_percent = 0;
  EXPECT_EQ(Of(p).removal_grade, RemovalGrade::kIII);
  p.result->residual_thrombus_percent = 50;
  EXPECT_EQ(Of(p).removal_grade, RemovalGrade::kII);
  p.result->residual_thrombus_percent = 50.5;
  EXPECT_EQ(Of(p).removal_grade, RemovalGrade::kI);
  EXPECT_EQ(Of(p).recanalization, false);
  p.result->residual_thrombus_percent = 100;
  EXPECT_EQ(Of(p).removal_percent, 0.0);
  EXPECT_EQ(Of(p).removal_grade, RemovalGrade::kI);
}

TEST(Outcomes, RecanalizationNeedsAntegradeFlowAndGradeTwoOrThree) {
  Procedure p = PublishedLikeProcedure();
  p.result->antegrade_flow = false;
  EXPECT_EQ(Of(p).recanalization, false);
  p.result->antegrade_flow.reset();
  EXPECT_EQ(Of(p).recanalization, std::nullopt);
  p.result->residual_thrombus_percent = 80;  // grade I: known failure despite unknown flow
  EXPECT_EQ(Of(p).recanalization, false);
  p.result->antegrade_flow = true;
  p.result->residual_thrombus_percent.reset();
  EXPECT_EQ(Of(p).recanalization, std::nullopt);
  EXPECT_EQ(Of(p).removal_grade, std::nullopt);
  p.result.reset();
  EXPECT_EQ(Of(p).recanalization, std::nullopt);
}

TEST(Outcomes, Migration) {
  Procedure p = PublishedLikeProcedure();
  p.squeezes = {Squeeze{{Vein::kSoleal}, false, true}, Squeeze{{Vein::kSoleal}, true, true}};
  EXPECT_EQ(Of(p).migration, true);
  p.squeezes[1].migration_observed = false;
  EXPECT_EQ(Of(p).migration, false);
  p.squeezes[1].migration_observed.reset();
  EXPECT_EQ(Of(p).migration, std::nullopt);
  p.squeezes.clear();
  EXPECT_EQ(Of(p).migration, false);
  EXPECT_EQ(Of(p).squeeze_count, 0);
}

TEST(Outcomes, Complications) {
  Procedure p = PublishedLikeProcedure();
  p.complications = std::vector<Complication>{
      {ComplicationType::kAccessSiteHematoma, ComplicationSeverity::kMinor}};
  Outcomes o = Of(p);
  EXPECT_EQ(o.complication, true);
  EXPECT_EQ(o.major_complication, false);
  EXPECT_EQ(o.minor_complications, 1);
  p.complications->push_back({ComplicationType::kBleeding, std::nullopt});
  o = Of(p);
  EXPECT_EQ(o.major_complication, std::nullopt);  // the unclassified one could be major
  EXPECT_EQ(o.unclassified_complications, 1);
  p.complications->push_back({ComplicationType::kPulmonaryEmbolism, ComplicationSeverity::kMajor});
  o = Of(p);
  EXPECT_EQ(o.major_complication, true);
  EXPECT_EQ(o.complications, 3);
  EXPECT_EQ(o.major_complications, 1);
  p.complications.reset();
  o = Of(p);
  EXPECT_EQ(o.complication, std::nullopt);
  EXPECT_EQ(o.major_complication, std::nullopt);
}

}  // namespace
}  // namespace calfdvt::thrombectomy
