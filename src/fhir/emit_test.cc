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


// The knowledge and profile texts are rendered once per thread and kept while they stay the same
// (emit.cc StampFor): switching profile, or to another knowledge, on one thread must re-render
// them, and switching back must give the first bytes again.
TEST(Emit, PerThreadTextsFollowTheProfileAndTheKnowledge) {
  const auto seed = AssessExample("examples/gastrocnemius-low-risk.json", "seed001");
  const auto chest = AssessExample("examples/gastrocnemius-low-risk.json", "chest");
  const auto first = EmitProposals(seed, "Patient/p1");
  const auto other = EmitProposals(chest, "Patient/p1");
  const auto again = EmitProposals(seed, "Patient/p1");
  ASSERT_FALSE(first.empty());
  ASSERT_FALSE(other.empty());
  EXPECT_NE(first[0].json.find(R"({"url":"profile","valueString":"seed001"})"), std::string::npos);
  EXPECT_NE(other[0].json.find(R"({"url":"profile","valueString":"chest"})"), std::string::npos);
  EXPECT_EQ(other[0].json.find("seed001"), std::string::npos) << other[0].json;
  ASSERT_EQ(first.size(), again.size());
  for (size_t i = 0; i < first.size(); ++i) EXPECT_EQ(first[i].json, again[i].json);

  // Another knowledge (a copy with another version and hash), same profile id.
  pw::Knowledge k2 = ShippedKnowledge();
  k2.version = "9.9.9";
  k2.sha256 = std::string(64, 'a');
  pw::Assessment b = seed;
  b.knowledge = &k2;
  b.profile = k2.FindProfile("seed001");
  const auto changed = EmitProposals(b, "Patient/p1");
  ASSERT_FALSE(changed.empty());
  EXPECT_NE(changed[0].json.find("distal-dvt@9.9.9"), std::string::npos) << changed[0].json;
  EXPECT_NE(changed[0].json.find(std::string(64, 'a')), std::string::npos);
  EXPECT_EQ(changed[0].json.find(ShippedKnowledge().sha256), std::string::npos);
  EXPECT_EQ(EmitProposals(seed, "Patient/p1")[0].json, first[0].json);
}

}  // namespace
}  // namespace calfdvt::fhir
