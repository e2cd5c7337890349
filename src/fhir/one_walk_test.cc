// The session-3 reading paths keep the mapping's meaning: the facts' arena (TextArena), members
// found in one walk (first of duplicated keys wins, as simdjson's at_key did; wrong types are
// still reported with their path), AddParsed == Add, and order-only proposals for CDS Hooks.
#include <gtest/gtest.h>
#include <simdjson.h>

#include <string>
#include <vector>

#include "fhir/emit.h"
#include "fhir/record.h"
#include "fhir/test_util.h"
#include "fhir/text_arena.h"
#include "pathway/engine.h"

namespace calfdvt::fhir {
namespace {

using namespace testing;  // NOLINT: the helpers of fhir/test_util.h

TEST(TextArena, ViewsStayValidAcrossChunks) {
  internal::TextArena arena;
  std::vector<std::string_view> views;
  std::vector<std::string> expected;
  for (int i = 0; i < 2000; ++i) {  // ~40 KB: many 4 KB chunks
    expected.push_back("value-" + std::to_string(i) + std::string(static_cast<size_t>(i % 17), 'x'));
    views.push_back(arena.Copy(expected.back()));
  }
  const std::string big(10000, 'b');  // larger than a chunk
  const std::string_view big_view = arena.Copy(big);
  const std::string_view joined = arena.Join({"Observation", "/", "abc"});
  const std::string_view no_id = arena.Join({"Observation", "/", std::string_view()});  // no data
  auto ints = arena.Array<int>(5);
  for (size_t i = 0; i < ints.size(); ++i) EXPECT_EQ(ints[i], 0);  // value-initialised
  for (size_t i = 0; i < views.size(); ++i) ASSERT_EQ(views[i], expected[i]);
  EXPECT_EQ(big_view, big);
  EXPECT_EQ(joined, "Observation/abc");
  EXPECT_EQ(no_id, "Observation/");
  EXPECT_TRUE(arena.Join({std::string_view(), std::string_view()}).empty());
  EXPECT_TRUE(arena.Copy("").empty());
  EXPECT_TRUE(arena.Array<int>(0).empty());
}

TEST(OneWalk, FirstOfDuplicatedTopLevelMembersWins) {
  const std::string patient =
      R"({"resourceType":"Patient","id":"p1","gender":"female","gender":"male","birthDate":"1962-05-10"})";
  const MappedCase m = Map({patient, StandardStudy()});
  ASSERT_TRUE(m.c.patient.sex.has_value());
  EXPECT_EQ(*m.c.patient.sex, pathway::Sex::kFemale);
}

TEST(OneWalk, FirstOfDuplicatedCodingMembersWins) {
  // The first "code" is active breast cancer (C50.9), the duplicate a code the map does not know.
  const std::string cancer =
      R"({"resourceType":"Condition","id":"c1","subject":{"reference":"Patient/p1"},)"
      R"("clinicalStatus":{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/condition-clinical","code":"active"}]},)"
      R"("code":{"coding":[{"system":"http://hl7.org/fhir/sid/icd-10-cm","code":"C50.9","code":"Z00.0"}]},)"
      R"("onsetDateTime":"2026-10-01"})";
  const MappedCase m = Map({Patient(), StandardStudy(), cancer});
  ASSERT_TRUE(m.c.history.active_cancer.has_value());
  EXPECT_TRUE(*m.c.history.active_cancer);
}

TEST(OneWalk, WrongTypedCodingMembersAreReportedWithTheirPath) {
  const std::string bad =
      R"({"resourceType":"Condition","id":"c2","subject":{"reference":"Patient/p1"},)"
      R"("code":{"coding":[{"system":7,"code":"C50.9"}],"text":false}})";
  const MappedCase m = Map({Patient(), StandardStudy(), bad});
  bool system = false, text = false;
  for (const auto& u : m.unmapped) {
    if (u.resource != "Condition/c2") continue;
    system = system || (u.path == "code.coding.system" && u.reason == "must be a string; ignored");
    text = text || (u.path == "code.text" && u.reason == "must be a string; ignored");
  }
  EXPECT_TRUE(system);
  EXPECT_TRUE(text);
}

TEST(OneWalk, AddParsedEqualsAdd) {
  const std::vector<std::string> resources = {Patient(), StandardStudy(),
                                              Condition("c3", kIcd, "C50.9")};
  PatientRecord by_text(DefaultCodeMap()), by_element(DefaultCodeMap());
  simdjson::dom::parser parser;
  for (const std::string& group : resources) {
    size_t start = 0;
    while (start <= group.size()) {
      size_t end = group.find(kNext, start);
      if (end == std::string::npos) end = group.size();
      const std::string one = group.substr(start, end - start);
      start = end + std::string(kNext).size();
      ASSERT_TRUE(by_text.Add(one).ok());
      simdjson::dom::element e;
      ASSERT_EQ(parser.parse(one).get(e), simdjson::SUCCESS);
      ASSERT_TRUE(by_element.AddParsed(e).ok());
    }
  }
  const MappedCase a = by_text.ToCase(kAsOf), b = by_element.ToCase(kAsOf);
  EXPECT_EQ(a.patient_id, b.patient_id);
  EXPECT_EQ(a.usable, b.usable);
  EXPECT_EQ(a.c.history.active_cancer, b.c.history.active_cancer);
  ASSERT_EQ(a.unmapped.size(), b.unmapped.size());
  for (size_t i = 0; i < a.unmapped.size(); ++i) {
    EXPECT_EQ(a.unmapped[i].resource, b.unmapped[i].resource);
    EXPECT_EQ(a.unmapped[i].reason, b.unmapped[i].reason);
  }
}

TEST(OneWalk, OrdersOnlyProposalsAreTheOrdersOfAll) {
  const MappedCase m = Map({Patient(), StandardStudy()});
  ASSERT_TRUE(m.usable);
  const auto& k = ShippedKnowledge();
  const pathway::Assessment a = pathway::Assess(m.c, k, *k.FindProfile(k.default_profile));
  const auto all = EmitProposals(a, "Patient/p1");
  const auto orders = EmitProposals(a, "Patient/p1", ProposalKinds::kOrdersOnly);
  std::vector<std::string> expected;
  for (const auto& r : all)
    if (r.type != "DetectedIssue") expected.push_back(r.json);
  ASSERT_LT(expected.size(), all.size()) << "the case should raise a critical alert";
  ASSERT_EQ(orders.size(), expected.size());
  for (size_t i = 0; i < orders.size(); ++i) {
    EXPECT_NE(orders[i].type, "DetectedIssue");
    EXPECT_EQ(orders[i].json, expected[i]);
  }
}

}  // namespace
}  // namespace calfdvt::fhir
