// Registry statistics over records built in code: the published-like series reproduces the
// published summary; filters select records; per-vein outcomes, unknowns, protocol check counts
// and the published comparison (overlap) are computed as documented; an empty selection has no
// intervals.
#include "thrombectomy/registry.h"

#include <gtest/gtest.h>

#include <vector>

#include "thrombectomy/test_knowledge.h"

namespace calfdvt::thrombectomy {
namespace {

using test_support::PublishedLikeProcedure;
using test_support::TestKnowledge;
using core::Vein;

// Ten records: squeeze counts 1,1,1,2,1,1,3,1,1,1 (13 in all), operators op-a / op-b alternating,
// one procedure a month from January 2026.
std::vector<Procedure> PublishedLikeSeries() {
  const int counts[10] = {1, 1, 1, 2, 1, 1, 3, 1, 1, 1};
  std::vector<Procedure> out;
  for (int i = 0; i < 10; ++i) {
    Procedure p = PublishedLikeProcedure();
    p.id = "proc-" + std::to_string(i + 1);
    p.date = core::Date::FromCivil(2026, static_cast<unsigned>(i + 1), 15);
    p.operator_name = i % 2 ? "op-b" : "op-a";
    const Squeeze s = p.squeezes[0];
    p.squeezes.assign(static_cast<size_t>(counts[i]), s);
    if (counts[i] == 3) p.squeezes[2] = Squeeze{{Vein::kSoleal}, true, true};
    out.push_back(p);
  }
  return out;
}

RegistryReport Report(const std::vector<Procedure>& records, const RegistryFilter& f = {}) {
  auto r = Registry(records, f, TestKnowledge());
  EXPECT_TRUE(r.ok());
  return r.ok() ? std::move(r).value() : RegistryReport{};
}

TEST(Registry, PublishedLikeSeriesReproducesThePublishedSummary) {
  const RegistryReport r = Report(PublishedLikeSeries());
  EXPECT_EQ(r.records, 10);
  EXPECT_EQ(r.procedures, 10);
  EXPECT_EQ(r.squeezes.total, 13);
  EXPECT_EQ(r.squeezes.summary.mean, 1.3);
  EXPECT_EQ(r.squeezes.summary.min, 1.0);
  EXPECT_EQ(r.squeezes.summary.max, 3.0);
  EXPECT_EQ(r.squeezes.summary.median, 1.0);
  EXPECT_NEAR(*r.squeezes.summary.sd, 0.675, 0.0005);
  const std::vector<std::pair<int, int>> distribution = {{1, 8}, {2, 1}, {3, 1}};
  EXPECT_EQ(r.squeezes.distribution, distribution);
  EXPECT_EQ(r.migration.k, 10);
  EXPECT_EQ(r.migration.n, 10);
  EXPECT_EQ(r.recanalization.k, 10);
  EXPECT_EQ(r.recanalization.n, 10);
  EXPECT_NEAR(r.recanalization.exact->low, 0.692, 0.0005);
  EXPECT_EQ(r.recanalization.exact->high, 1.0);
  EXPECT_EQ(r.complications.k, 0);
  EXPECT_EQ(r.complications.n, 10);
  EXPECT_NEAR(r.complications.exact->high, 0.308, 0.0005);
  EXPECT_EQ(r.removal_grades[1], 10);
  EXPECT_EQ(r.published.squeezes_range_within, true);
  EXPECT_EQ(r.published.recanalization.overlap, true);
  EXPECT_TRUE(r.published.recanalization.published_interval_stated);
  EXPECT_EQ(r.published.recanalization.published_interval, (Interval{0.69, 1.0}));
  EXPECT_EQ(r.published.complications.overlap, true);
  EXPECT_EQ(r.published.migration.overlap, true);
  // Migration has no stated interval: the exact interval of 10/10 is used.
  EXPECT_FALSE(r.published.migration.published_interval_stated);
  EXPECT_NEAR(r.published.migration.published_interval.low, 0.692, 0.0005);
  for (const CheckCount& c : r.checks) EXPECT_EQ(c.fired + c.unknown, 0) << kCheckIdNames.Name(c.id);
  EXPECT_EQ(r.knowledge_id, "calf-squeeze");
}

TEST(Registry, PerVeinOutcomes) {
  std::vector<Procedure> records = PublishedLikeSeries();
  records[0].squeezes[0].migration_observed = false;
  records[1].squeezes[0].thrombus_aspirated.reset();
  const RegistryReport r = Report(records);
  ASSERT_EQ(r.veins.size(), 3u);  // vocabulary order: gastrocnemius_medial, soleal, popliteal
  EXPECT_EQ(r.veins[0].vein, Vein::kGastrocnemiusMedial);
  EXPECT_EQ(r.veins[1].vein, Vein::kSoleal);
  EXPECT_EQ(r.veins[2].vein, Vein::kPopliteal);
  const VeinOutcome& popliteal = r.veins[2];
  EXPECT_EQ(popliteal.procedures, 10);
  EXPECT_EQ(popliteal.squeezes, 12);
  EXPECT_EQ(popliteal.migration_observed, 11);
  EXPECT_EQ(popliteal.migration_unknown, 0);
  EXPECT_EQ(popliteal.aspirated, 11);
  EXPECT_EQ(popliteal.aspirated_unknown, 1);
  EXPECT_EQ(r.veins[1].procedures, 1);
  EXPECT_EQ(r.veins[1].squeezes, 1);
  EXPECT_EQ(r.migration.k, 9);  // record 0 had its only squeeze without migration
  EXPECT_EQ(r.published.migration.overlap, true);  // 9/10 exact 0.555-0.997 meets 0.692-1
  EXPECT_EQ(r.checks[static_cast<size_t>(CheckId::kSqueezeWithoutAspiration)].unknown, 1);
}

TEST(Registry, Filters) {
  const std::vector<Procedure> records = PublishedLikeSeries();
  RegistryFilter f;
  f.operator_name = "op-b";
  EXPECT_EQ(Report(records, f).procedures, 5);
  f = {};
  f.from = core::Date::FromCivil(2026, 3, 15);
  f.to = core::Date::FromCivil(2026, 5, 15);  // inclusive on both ends
  EXPECT_EQ(Report(records, f).procedures, 3);
  f = {};
  f.iliac_obstruction = false;
  EXPECT_EQ(Report(records, f).procedures, 0);
  f.iliac_obstruction = true;
  EXPECT_EQ(Report(records, f).procedures, 10);
  f = {};
  f.thrombosed_vein = Vein::kSoleal;
  EXPECT_EQ(Report(records, f).procedures, 0);
  f.thrombosed_vein = Vein::kCommonIliac;
  EXPECT_EQ(Report(records, f).procedures, 10);
  f = {};
  f.side = core::Side::kRight;
  const RegistryReport right = Report(records, f);
  EXPECT_EQ(right.procedures, 0);
  EXPECT_EQ(right.records, 10);
  EXPECT_EQ(right.filter, f);
}

TEST(Registry, UnknownFilterValuesDoNotMatch) {
  std::vector<Procedure> records = PublishedLikeSeries();
  records[0].indication->iliac_obstruction.reset();
  records[1].indication.reset();
  records[2].operator_name.reset();
  RegistryFilter f;
  f.iliac_obstruction = true;
  EXPECT_EQ(Report(records, f).procedures, 8);
  f = {};
  f.operator_name = "op-a";
  EXPECT_EQ(Report(records, f).procedures, 4);
}

TEST(Registry, EmptySelectionHasNoIntervals) {
  RegistryFilter f;
  f.operator_name = "nobody";
  const RegistryReport r = Report(PublishedLikeSeries(), f);
  EXPECT_EQ(r.procedures, 0);
  EXPECT_EQ(r.squeezes.summary.mean, std::nullopt);
  EXPECT_EQ(r.recanalization.n, 0);
  EXPECT_EQ(r.recanalization.estimate, std::nullopt);
  EXPECT_EQ(r.recanalization.exact, std::nullopt);
  EXPECT_EQ(r.recanalization.wilson, std::nullopt);
  EXPECT_EQ(r.published.recanalization.overlap, std::nullopt);
  EXPECT_EQ(r.published.squeezes_range_within, std::nullopt);
  EXPECT_TRUE(r.veins.empty());
  EXPECT_EQ(r.checks.size(), kCheckCount);
}

TEST(Registry, UnknownOutcomesAreCountedApart) {
  std::vector<Procedure> records = PublishedLikeSeries();
  records[0].complications.reset();
  records[1].result->antegrade_flow.reset();
  records[2].squeezes.clear();
  records[3].complications = std::vector<Complication>{
      {ComplicationType::kPulmonaryEmbolism, ComplicationSeverity::kMajor}};
  const RegistryReport r = Report(records);
  EXPECT_EQ(r.complications.k, 1);
  EXPECT_EQ(r.complications.n, 9);
  EXPECT_EQ(r.complications.unknown, 1);
  EXPECT_EQ(r.major_complications.k, 1);
  EXPECT_EQ(r.recanalization.n, 9);
  EXPECT_EQ(r.recanalization.unknown, 1);
  EXPECT_EQ(r.procedures_with_squeeze, 9);
  EXPECT_EQ(r.migration.n, 9);
  EXPECT_EQ(r.squeezes.summary.min, 0.0);
  EXPECT_EQ(r.published.squeezes_range_within, false);
}

TEST(Registry, DisjointIntervalsDoNotOverlap) {
  std::vector<Procedure> records = PublishedLikeSeries();
  for (auto& p : records) p.result->antegrade_flow = false;
  const RegistryReport r = Report(records);
  EXPECT_EQ(r.recanalization.k, 0);
  EXPECT_EQ(r.published.recanalization.overlap, false);
}

TEST(Registry, ProtocolCheckCounts) {
  std::vector<Procedure> records = PublishedLikeSeries();
  records[0].ivc_filter = IvcFilter::kNone;
  records[1].ivc_filter.reset();
  records[2].squeezes.assign(4, records[2].squeezes[0]);
  const RegistryReport r = Report(records);
  const CheckCount& filter = r.checks[static_cast<size_t>(CheckId::kNoEmbolicProtection)];
  EXPECT_EQ(filter.fired, 2);
  EXPECT_EQ(filter.severity, Severity::kCritical);
  EXPECT_EQ(r.checks[static_cast<size_t>(CheckId::kSqueezesBeyondPublished)].fired, 1);
}

TEST(Registry, InvalidFiltersAreRejected) {
  RegistryFilter f;
  f.from = core::Date::FromCivil(2026, 5, 2);
  f.to = core::Date::FromCivil(2026, 5, 1);
  f.side = core::Side::kBilateral;
  f.operator_name = "";
  auto r = Registry(PublishedLikeSeries(), f, TestKnowledge());
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.kind(), core::ErrorKind::kInvalidInput);
  ASSERT_EQ(r.errors().size(), 3u);
  EXPECT_EQ(r.errors()[0].path, "filter.to");
  EXPECT_EQ(r.errors()[0].rule, "range");
  EXPECT_EQ(r.errors()[1].path, "filter.side");
  EXPECT_EQ(r.errors()[2].path, "filter.operator");
  f = {};
  f.from = f.to = core::Date::FromCivil(2026, 5, 1);  // a single day is valid
  EXPECT_TRUE(Registry(PublishedLikeSeries(), f, TestKnowledge()).ok());
}

}  // namespace
}  // namespace calfdvt::thrombectomy
