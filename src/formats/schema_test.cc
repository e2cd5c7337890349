// docs/case.schema.json and the case parser must describe the same format. These tests check it
// three ways:
//  1. Field lists: for every object of the schema, the parser's list of allowed keys (read from its
//     unknown_field error) equals the schema's "properties", and null is rejected ("required")
//     exactly for the schema's required fields.
//  2. Verdicts: documents generated from the schema (for every field: null, values of every JSON
//     type, every enum value, values at and past every bound) are accepted by the parser exactly
//     when a small draft 2020-12 validator accepts them against the schema.
//  3. The examples/*.json files are valid for both.
// Rules a JSON Schema cannot express (calendar days, dates after as_of, cross-field agreement) are
// listed explicitly: the parser rejects those documents and the schema accepts them.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <simdjson.h>

#include <filesystem>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "formats/case_json.h"
#include "formats/knowledge_json.h"
#include "formats/testing/json_schema_check.h"

namespace calfdvt::formats {
namespace {

using schema_check::CollectObjects;
using schema_check::DottedPath;
using schema_check::Json;
using schema_check::ReadSourceFile;

class Schema : public schema_check::Schema {
 public:
  Schema() : schema_check::Schema("docs/case.schema.json") {}
};

schema_check::Parsed Parse(std::string_view json) {
  CaseParser parser;
  auto r = parser.Parse(json);
  if (r.ok()) return {true, {}};
  return {false, r.errors()};
}

bool ParserAccepts(std::string_view json) { return Parse(json).ok; }

// The base for generated documents: valid, with every object present and no field set that takes
// part in a cross-field rule, so each generated document tests one field alone.
Json BaseDocument() {
  Json doc;
  doc.Set({"as_of"}, 0, R"("2026-11-21")");
  doc.Set({"patient"}, 0, "{}");
  doc.Set({"imaging", "date"}, 0, R"("2026-11-20")");
  doc.Set({"imaging", "protocol"}, 0, R"("whole_leg_duplex")");
  doc.Set({"imaging", "thrombi", "[0]", "vein"}, 0, R"("soleal")");
  doc.Set({"labs", "d_dimer"}, 0, "{}");
  doc.Set({"history"}, 0, "{}");
  doc.Set({"bleeding"}, 0, "{}");
  doc.Set({"preferences"}, 0, "{}");
  return doc;
}

TEST(CaseSchema, IsDraft202012AndClosedEverywhere) {
  Schema s;
  schema_check::ExpectDraft202012AndClosedEverywhere(s);
}

TEST(CaseSchema, CoversEveryObjectOfTheFormat) {
  Schema s;
  std::set<std::string> paths;
  for (const auto& o : CollectObjects(s)) paths.insert(DottedPath(o.path));
  EXPECT_THAT(
      paths, ::testing::UnorderedElementsAre("", "patient", "imaging", "imaging.thrombi[0]", "labs",
                                             "labs.d_dimer", "history", "bleeding", "preferences"));
}

// Both directions: every schema property is a key the parser accepts, and every key the parser
// accepts is a schema property.
TEST(CaseSchema, PropertiesAreExactlyTheParsersKeys) {
  Schema s;
  schema_check::ExpectPropertiesAreExactlyTheParsersKeys(s, BaseDocument(), Parse);
}

// null is "unknown" for optional fields and a "required" error for required ones, in both.
TEST(CaseSchema, RequiredFieldsAgree) {
  Schema s;
  schema_check::ExpectRequiredFieldsAgree(s, BaseDocument(), Parse);
}

// Values tried for every field: every JSON type, edge numbers, date shapes, plus the field's own
// enum values and bounds (added per field).
std::vector<std::string> CommonSamples() {
  return {"null",
          R"("x")",
          R"("")",
          "1",
          "-1",
          "0",
          "0.5",
          "34.5",
          "1e6",
          "true",
          "false",
          "{}",
          "[]",
          R"(["x"])",
          "[{}]",
          "[1]",
          R"("2026-11-21")",
          R"("2026-1-5")",
          R"("21/11/2026")",
          R"("2026-11-21T00:00:00Z")",
          R"("1899-12-31")",
          R"("calfdvt/case@1")",
          R"("calfdvt/case@2")"};
}

TEST(CaseSchema, ParserAndSchemaGiveTheSameVerdictFieldByField) {
  Schema s;
  const int documents =
      schema_check::ExpectSameVerdictFieldByField(s, BaseDocument(), CommonSamples(), Parse);
  EXPECT_GT(documents, 1000);  // the walk really generated documents
}

TEST(CaseSchema, ParserAndSchemaAgreeOnTheRootAndOnWholeDocuments) {
  Schema s;
  const std::vector<std::string> documents = {
      "[]",
      "null",
      "1",
      R"("x")",
      "{}",
      R"({"as_of": "2026-11-21"})",
      R"({"imaging": {"date": "2026-11-20", "protocol": "whole_leg_duplex"}})",
      R"({"as_of": "2026-11-21", "imaging": {"date": "2026-11-20", "protocol": "whole_leg_duplex"}})",
      // The if/then rule: pregnancy with sex male.
      R"({"as_of": "2026-11-21", "imaging": {"date": "2026-11-20", "protocol": "whole_leg_duplex"}, "patient": {"sex": "male", "pregnancy": "pregnant"}})",
      R"({"as_of": "2026-11-21", "imaging": {"date": "2026-11-20", "protocol": "whole_leg_duplex"}, "patient": {"sex": "male", "pregnancy": "postpartum"}})",
      R"({"as_of": "2026-11-21", "imaging": {"date": "2026-11-20", "protocol": "whole_leg_duplex"}, "patient": {"sex": "male", "pregnancy": "none"}})",
      R"({"as_of": "2026-11-21", "imaging": {"date": "2026-11-20", "protocol": "whole_leg_duplex"}, "patient": {"sex": "female", "pregnancy": "pregnant"}})",
      R"({"as_of": "2026-11-21", "imaging": {"date": "2026-11-20", "protocol": "whole_leg_duplex"}, "patient": {"sex": null, "pregnancy": "pregnant"}})",
      // Bilateral study: any thrombus side.
      R"({"as_of": "2026-11-21", "imaging": {"date": "2026-11-20", "protocol": "whole_leg_duplex", "side": "bilateral", "thrombi": [{"vein": "soleal", "side": "left"}, {"vein": "soleal", "side": "right"}]}})",
  };
  for (const std::string& json : documents) EXPECT_EQ(ParserAccepts(json), s.Valid(json)) << json;
}

// The rules the schema states only in words: the parser rejects these documents, the schema
// accepts them. If the schema ever learns one, move the document to the agreement test.
TEST(CaseSchema, RulesOnlyTheParserChecks) {
  Schema s;
  const std::string base =
      R"({"as_of": "2026-11-21", "imaging": {"date": "2026-11-20", "protocol": "whole_leg_duplex"}})";
  const std::vector<std::string> documents = {
      R"({"as_of": "2026-02-30", "imaging": {"date": "2026-01-20", "protocol": "whole_leg_duplex"}})",
      R"({"as_of": "2026-11-21", "imaging": {"date": "2026-11-22", "protocol": "whole_leg_duplex"}})",
      R"({"as_of": "2026-11-21", "imaging": {"date": "2026-11-20", "protocol": "whole_leg_duplex"}, "patient": {"delivery_date": "2026-11-22"}})",
      R"({"as_of": "2026-11-21", "imaging": {"date": "2026-11-20", "protocol": "whole_leg_duplex", "side": "left", "thrombi": [{"vein": "soleal", "side": "right"}]}})",
      R"({"as_of": "2026-11-21", "imaging": {"date": "2026-11-20", "protocol": "whole_leg_duplex"}, "labs": {"d_dimer": {"value": 900, "cutoff": 500}, "d_dimer_result": "negative"}})",
      R"({"as_of": "2026-11-21", "imaging": {"date": "2026-11-20", "protocol": "whole_leg_duplex"}, "as_of": "2026-11-21"})",
  };
  EXPECT_TRUE(ParserAccepts(base));
  EXPECT_TRUE(s.Valid(base));
  for (const std::string& json : documents) {
    EXPECT_FALSE(ParserAccepts(json)) << json;
    EXPECT_TRUE(s.Valid(json)) << json;
  }
}

TEST(CaseSchema, ExamplesAreValidForParserAndSchema) {
  Schema s;
  auto k = LoadEmbeddedKnowledge();
  ASSERT_TRUE(k.ok());
  int examples = 0;
  for (const auto& entry :
       std::filesystem::directory_iterator(std::string(CALFDVT_SOURCE_DIR) + "/examples")) {
    if (entry.path().extension() != ".json") continue;
    const std::string json = ReadSourceFile("examples/" + entry.path().filename().string());
    // Examples of other formats (a "format" other than the case's) are not cases.
    simdjson::dom::parser peek;
    std::string_view format;
    if (peek.parse(json).at_key("format").get(format) == simdjson::SUCCESS && format != kCaseFormat)
      continue;
    ++examples;
    CaseParser parser;
    auto r = parser.Parse(json, *k);
    EXPECT_TRUE(r.ok()) << entry.path() << ": " << (r.ok() ? "" : core::FormatError(r.errors()[0]));
    EXPECT_TRUE(s.Valid(json)) << entry.path();
  }
  EXPECT_GE(examples, 1);
}

// The validator itself can say no (guards against a vacuous agreement).
TEST(CaseSchema, TheTestValidatorRejectsWhatItShould) {
  Schema s;
  EXPECT_FALSE(s.Valid("{}"));
  EXPECT_FALSE(s.Valid(
      R"({"as_of": "2026-1-5", "imaging": {"date": "2026-11-20", "protocol": "whole_leg_duplex"}})"));
  EXPECT_TRUE(s.Valid(
      R"({"as_of": "2026-11-21", "imaging": {"date": "2026-11-20", "protocol": "whole_leg_duplex"}})"));
  EXPECT_FALSE(s.Valid(
      R"({"as_of": "2026-11-21", "imaging": {"date": "2026-11-20", "protocol": "whole_leg_duplex"}, "x": 1})"));
  EXPECT_FALSE(s.Valid(
      R"({"as_of": "2026-11-21", "imaging": {"date": "2026-11-20", "protocol": "whole_leg_duplex", "thrombi": [{"vein": "soleal", "max_diameter_mm": 51}]}})"));
  EXPECT_TRUE(s.Valid(
      R"({"as_of": "2026-11-21", "imaging": {"date": "2026-11-20", "protocol": "whole_leg_duplex", "thrombi": [{"vein": "soleal", "max_diameter_mm": 50}]}})"));
}

}  // namespace
}  // namespace calfdvt::formats
