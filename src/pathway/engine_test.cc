// Engine unit tests that are not golden cases: regressions and properties across inputs.
#include "pathway/engine.h"

#include <gtest/gtest.h>

#include "formats/assessment_json.h"
#include "formats/case_json.h"
#include "formats/knowledge_json.h"
#include "pathway/extension.h"

namespace calfdvt::pathway {
namespace {

const Knowledge& K() {
  static const Knowledge k = formats::LoadEmbeddedKnowledge().value();
  return k;
}

Case Parse(const std::string& json) {
  formats::CaseParser parser;
  auto c = parser.Parse(json, K());
  EXPECT_TRUE(c.ok()) << (c.ok() ? "" : c.errors()[0].path + ": " + c.errors()[0].message);
  return c.value();
}

const char* kLowRisk = R"({"as_of":"2026-11-21","imaging":{"date":"2026-11-20","protocol":"whole_leg_duplex",
  "side":"left","thrombi":[{"vein":"gastrocnemius_medial","length_cm":3,"max_diameter_mm":5,
  "distance_to_popliteal_cm":8,"acute":true}]},"labs":{"d_dimer_result":"negative"},
  "history":{"provocation":"transient","active_cancer":false,"prior_vte":false,"inpatient":false,
  "recent_hospitalization":false,"recent_surgery":%s,"severe_symptoms":false,"covid19":false,
  "end_stage_renal_disease":false,"stroke":false},"bleeding":{"risk":"low",
  "anticoagulation_contraindicated":false},"preferences":{"anticoagulation":"no_preference"},
  "patient":{"sex":"male","crcl_ml_min":90,"severe_liver_disease":false,"antiphospholipid_syndrome":false}})";

std::string LowRisk(bool surgery) {
  char buf[2048];
  std::snprintf(buf, sizeof buf, kLowRisk, surgery ? "true" : "false");
  return buf;
}

// Regression: the seed-only alert's detail was built from a string_view bound to a temporary
// std::string (use after scope, found by ASan in formats_test).
TEST(EngineRegressionTest, SeedOnlyAlertDetailNamesTheFlagSource) {
  const Case c = Parse(LowRisk(true));
  const Assessment a = Assess(c, K(), *K().FindProfile("seed001"));
  EXPECT_EQ(a.strategy, Strategy::kAnticoagulate);
  bool found = false;
  for (const auto& al : a.alerts) {
    if (al.code != AlertCode::kSeedOnlyCriterion) continue;
    found = true;
    EXPECT_EQ(al.detail, "Not in the chest list.");
  }
  EXPECT_TRUE(found);
}

TEST(EngineTest, SameInputSameOutput) {
  const Case c = Parse(LowRisk(false));
  const Assessment a = Assess(c, K(), *K().FindProfile("seed001"));
  const Assessment b = Assess(c, K(), *K().FindProfile("seed001"));
  EXPECT_EQ(a.strategy, b.strategy);
  EXPECT_EQ(a.trace, b.trace);
  EXPECT_EQ(a.notes, b.notes);
}

// The overload that fills a caller-owned Assessment (batch work) gives what Assess returns,
// whatever the Assessment held before: longer and shorter lists in turn, both profiles.
TEST(EngineTest, ReusedAssessmentEqualsFreshOne) {
  const char* kProximal = R"({"as_of":"2026-11-21","imaging":{"date":"2026-11-20",
    "protocol":"whole_leg_duplex","thrombi":[{"vein":"popliteal","acute":true}]}})";
  const char* kUnknowns = R"({"as_of":"2026-11-21","imaging":{"date":"2026-11-20",
    "protocol":"whole_leg_duplex","thrombi":[{"vein":"peroneal"},{"vein":"soleal","side":"left"}]}})";
  const char* kNoThrombus = R"({"as_of":"2026-11-21","imaging":{"date":"2026-11-20",
    "protocol":"whole_leg_duplex","thrombi":[]}})";
  const char* kLimited = R"({"as_of":"2026-11-21","imaging":{"date":"2026-11-20",
    "protocol":"proximal_compression_2point"}})";
  const std::vector<std::string> cases = {LowRisk(true), kUnknowns, kProximal,      kNoThrombus,
                                          kUnknowns,     kLimited,  LowRisk(false), kUnknowns};
  for (const char* profile : {"seed001", "chest"}) {
    const ProfileDef& p = *K().FindProfile(profile);
    Assessment reused;
    for (const std::string& json : cases) {
      const Case c = Parse(json);
      Assess(c, K(), p, reused);
      const Assessment fresh = Assess(c, K(), p);
      EXPECT_EQ(formats::AssessmentJson(reused), formats::AssessmentJson(fresh))
          << profile << " " << json;
      EXPECT_EQ(reused.trace, fresh.trace);
      EXPECT_EQ(reused.unknowns, fresh.unknowns);
      EXPECT_EQ(reused.decisive_unknowns, fresh.decisive_unknowns);
      EXPECT_EQ(reused.notes, fresh.notes);
    }
  }
}

TEST(ExtensionTest, DistalExtensionAnticoagulatesNowWithRegimenAndAlert) {
  const Case c = Parse(LowRisk(false));
  ExtensionFinding f;
  f.date = *core::Date::Parse("2026-11-27");
  f.scan_day = 7;
  const Assessment a = AssessExtension(c, f, K(), *K().FindProfile("seed001"));
  EXPECT_EQ(a.strategy, Strategy::kAnticoagulate);
  EXPECT_EQ(a.strength, Strength::kWeak);
  EXPECT_FALSE(a.surveillance.has_value());
  ASSERT_TRUE(a.regimen.has_value());
  EXPECT_EQ(a.regimen->agent, Agent::kDoac);
  EXPECT_EQ(a.regimen->earliest_stop->ToString(), "2027-02-27");
  ASSERT_FALSE(a.alerts.empty());
  EXPECT_EQ(a.alerts[0].code, AlertCode::kExtensionDetected);
  for (const auto& al : a.alerts) EXPECT_NE(al.code, AlertCode::kFollowupImagingRequired);
}

TEST(ExtensionTest, ProximalExtensionWithoutFindingsIsTheProximalPathway) {
  const Case c = Parse(LowRisk(false));
  ExtensionFinding f;
  f.proximal = true;
  f.date = *core::Date::Parse("2026-11-27");
  f.scan_day = 7;
  const Assessment a = AssessExtension(c, f, K(), *K().FindProfile("seed001"));
  EXPECT_EQ(a.classification, Classification::kProximal);
  EXPECT_EQ(a.strategy, Strategy::kProximalDvtPathway);
  EXPECT_EQ(a.strength, Strength::kStrong);
  EXPECT_TRUE(a.features.empty());
}

TEST(ExtensionTest, ProximalFindingsGiveTheProximalPathwayFromTheEngine) {
  const Case c = Parse(LowRisk(false));
  ExtensionFinding f;
  f.proximal = true;
  f.date = *core::Date::Parse("2026-11-27");
  f.scan_day = 7;
  Thrombus t;
  t.vein = core::Vein::kPopliteal;
  t.acute = true;
  f.findings = std::vector<Thrombus>{t};
  const Assessment a = AssessExtension(c, f, K(), *K().FindProfile("seed001"));
  EXPECT_EQ(a.classification, Classification::kProximal);
  EXPECT_EQ(a.strategy, Strategy::kProximalDvtPathway);
  EXPECT_EQ(a.alerts[0].code, AlertCode::kExtensionDetected);
}

TEST(ExtensionTest, ContraindicationMeansSpecialistReviewNotAnticoagulation) {
  std::string json = LowRisk(false);
  json.replace(json.find("\"anticoagulation_contraindicated\":false"),
               std::string("\"anticoagulation_contraindicated\":false").size(),
               "\"anticoagulation_contraindicated\":true");
  const Case c = Parse(json);
  ExtensionFinding f;
  f.date = *core::Date::Parse("2026-11-27");
  f.scan_day = 7;
  const Assessment a = AssessExtension(c, f, K(), *K().FindProfile("seed001"));
  EXPECT_EQ(a.strategy, Strategy::kSerialImaging);
  EXPECT_NE(a.alerts[0].detail.find("specialist review"), std::string::npos);
}

}  // namespace
}  // namespace calfdvt::pathway
