// Assessment -> FHIR proposals (fhir/emit.h). Structure against the R4 definitions is checked by
// the Node suite (tests/fhir, @medplum/core validateResource); here: content, determinism, JSON.
#include "fhir/emit.h"

#include <gtest/gtest.h>
#include <simdjson.h>

#include "fhir/test_util.h"
#include "formats/case_json.h"
#include "pathway/engine.h"

namespace calfdvt::fhir {
namespace {

using testing::ReadSource;
using testing::ShippedKnowledge;
namespace pw = calfdvt::pathway;

pw::Assessment AssessExample(const std::string& path, const std::string& profile = "seed001") {
  const auto& k = ShippedKnowledge();
  formats::CaseParser parser;
  auto c = parser.Parse(ReadSource(path), k);
  EXPECT_TRUE(c.ok());
  return pw::Assess(*c, k, *k.FindProfile(profile));
}

simdjson::dom::element Parse(simdjson::dom::parser& p, const std::string& json) {
  simdjson::dom::element e;
  EXPECT_EQ(p.parse(json).get(e), simdjson::SUCCESS) << json;
  return e;
}

TEST(Emit, SerialImagingGivesTwoScansAndTheFollowUpIssue) {
  const auto a = AssessExample("examples/gastrocnemius-low-risk.json");
  ASSERT_EQ(a.strategy, pw::Strategy::kSerialImaging);
  const auto out = EmitProposals(a, "Patient/p1");
  ASSERT_EQ(out.size(), 3u);
  simdjson::dom::parser p;
  EXPECT_EQ(out[0].type, "ServiceRequest");
  auto sr = Parse(p, out[0].json);
  EXPECT_EQ(std::string_view(sr["intent"]), "proposal");
  EXPECT_EQ(std::string_view(sr["occurrencePeriod"]["start"]), "2026-11-25");
  EXPECT_EQ(std::string_view(sr["occurrencePeriod"]["end"]), "2026-11-29");
  EXPECT_EQ(std::string_view(sr["subject"]["reference"]), "Patient/p1");
  EXPECT_NE(out[0].json.find("\"valueDate\":\"2026-11-27\""), std::string::npos);
  EXPECT_NE(out[1].json.find("\"valueDate\":\"2026-12-04\""), std::string::npos);
  EXPECT_EQ(out[2].type, "DetectedIssue");
  EXPECT_NE(out[2].json.find("followup_imaging_required"), std::string::npos);
  EXPECT_NE(out[2].json.find("ServiceRequest/" + out[0].id), std::string::npos);
  for (const auto& r : out) {
    EXPECT_NE(r.json.find(a.knowledge->sha256), std::string::npos);
    EXPECT_NE(r.json.find("distal-dvt@" + a.knowledge->version), std::string::npos);
    EXPECT_FALSE(r.description.empty());
    EXPECT_LE(r.id.size(), 64u);
  }
}

TEST(Emit, AnticoagulateGivesTheRegimenOnly) {
  const auto a = AssessExample("examples/cancer-anticoagulate.json");
  const auto out = EmitProposals(a, "Patient/p1");
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].type, "MedicationRequest");
  EXPECT_NE(out[0].json.find("agent-lmwh"), std::string::npos);
  const auto chest =
      EmitProposals(AssessExample("examples/cancer-anticoagulate.json", "chest"), "Patient/p1");
  EXPECT_NE(chest[0].json.find("agent-oral_xa_inhibitor"), std::string::npos);
}

TEST(Emit, PregnancyGivesLmwhNeverDoacOrVka) {
  const auto out = EmitProposals(AssessExample("examples/pregnancy-lmwh.json"), "Patient/p1");
  ASSERT_EQ(out.size(), 1u);
  EXPECT_NE(out[0].json.find("agent-lmwh"), std::string::npos);
  EXPECT_EQ(out[0].json.find("agent-doac"), std::string::npos);
  EXPECT_NE(out[0].json.find("\"end\":\"2027-02-26\""), std::string::npos);  // delivery + 6 weeks
}

TEST(Emit, LimitedProtocolGivesTheCriticalIssueOnly) {
  const auto out = EmitProposals(AssessExample("examples/limited-protocol.json"), "");
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].type, "DetectedIssue");
  EXPECT_NE(out[0].json.find("calf_veins_not_assessed"), std::string::npos);
  EXPECT_NE(out[0].json.find("\"display\":\"case limited-protocol\""), std::string::npos);
}

TEST(Emit, BundleIsDeterministicJson) {
  const auto a = AssessExample("examples/gastrocnemius-low-risk.json");
  const std::string b1 = EmitBundle(a, "Patient/p1");
  EXPECT_EQ(b1, EmitBundle(a, "Patient/p1"));
  EXPECT_NE(b1, EmitBundle(a, "Patient/p2"));
  simdjson::dom::parser p;
  auto b = Parse(p, b1);
  EXPECT_EQ(std::string_view(b["type"]), "collection");
  EXPECT_EQ(simdjson::dom::array(b["entry"]).size(), 3u);
}

}  // namespace
}  // namespace calfdvt::fhir
