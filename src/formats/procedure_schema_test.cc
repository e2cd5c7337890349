// docs/procedure.schema.json and the procedure parser must describe the same format
// (calfdvt/procedure@1). Checked as for cases (schema_test.cc):
//  1. Field lists: for every object of the schema, the parser's allowed keys (read from its
//     unknown_field error) equal the schema's "properties", and null is rejected ("required")
//     exactly for the schema's required fields.
//  2. Verdicts: documents generated from the schema (for every field: null, values of every JSON
//     type, every enum value, values at and past every bound) are accepted by the parser exactly
//     when a small draft 2020-12 validator accepts them against the schema.
//  3. The fixture records are valid for both.
// Rules a JSON Schema cannot express (real calendar days) are listed explicitly.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <set>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "formats/procedure_json.h"
#include "formats/testing/json_schema_check.h"

namespace calfdvt::formats {
namespace {

using schema_check::CollectObjects;
using schema_check::DottedPath;
using schema_check::Json;
using schema_check::ReadSourceFile;

class Schema : public schema_check::Schema {
 public:
  Schema() : schema_check::Schema("docs/procedure.schema.json") {}
};

schema_check::Parsed Parse(std::string_view json) {
  auto r = ParseProcedure(json);
  if (r.ok()) return {true, {}};
  return {false, r.errors()};
}

bool ParserAccepts(std::string_view json) { return Parse(json).ok; }

// Valid, every object present, no field set that takes part in a cross-field rule.
Json BaseDocument() {
  Json doc;
  doc.Set({"patient_id"}, 0, R"("P-1")");
  doc.Set({"date"}, 0, R"("2026-11-20")");
  doc.Set({"side"}, 0, R"("left")");
  doc.Set({"access_vein"}, 0, R"("popliteal")");
  doc.Set({"indication"}, 0, "{}");
  doc.Set({"thrombolysis"}, 0, "{}");
  doc.Set({"squeezes", "[0]", "target_veins"}, 0, R"(["soleal"])");
  doc.Set({"result"}, 0, "{}");
  doc.Set({"complications", "[0]", "type"}, 0, R"("bleeding")");
  return doc;
}

TEST(ProcedureSchema, IsDraft202012AndClosedEverywhere) {
  Schema s;
  schema_check::ExpectDraft202012AndClosedEverywhere(s);
}

TEST(ProcedureSchema, CoversEveryObjectOfTheFormat) {
  Schema s;
  std::set<std::string> paths;
  for (const auto& o : CollectObjects(s)) paths.insert(DottedPath(o.path));
  EXPECT_THAT(paths, ::testing::UnorderedElementsAre("", "indication", "thrombolysis",
                                                     "squeezes[0]", "result", "complications[0]"));
}

TEST(ProcedureSchema, PropertiesAreExactlyTheParsersKeys) {
  Schema s;
  schema_check::ExpectPropertiesAreExactlyTheParsersKeys(s, BaseDocument(), Parse);
}

TEST(ProcedureSchema, RequiredFieldsAgree) {
  Schema s;
  schema_check::ExpectRequiredFieldsAgree(s, BaseDocument(), Parse);
}

std::vector<std::string> CommonSamples() {
  return {"null", R"("x")", R"("")", "1", "-1", "0", "0.5", "3.9", "4", "30", "30.5", "100",
          "100.5", "1e6", "true", "false", "{}", "[]", R"(["x"])", "[{}]", "[1]", "[null]",
          R"("2026-11-21")", R"("2026-1-5")", R"("21/11/2026")", R"("2026-11-21T00:00:00Z")",
          R"("1899-12-31")", R"("calfdvt/procedure@1")", R"("calfdvt/procedure@2")",
          R"("bilateral")", R"([{"target_veins": []}])", R"([{"type": "death", "severity": "minor"}])",
          R"([{"type": "death", "severity": "major"}])"};
}

TEST(ProcedureSchema, ParserAndSchemaGiveTheSameVerdictFieldByField) {
  Schema s;
  const int documents =
      schema_check::ExpectSameVerdictFieldByField(s, BaseDocument(), CommonSamples(), Parse);
  EXPECT_GT(documents, 1000);
}

TEST(ProcedureSchema, ParserAndSchemaAgreeOnWholeDocuments) {
  Schema s;
  const std::string minimal =
      R"({"patient_id": "P-1", "date": "2026-11-20", "side": "left", "access_vein": "popliteal", "squeezes": [])";
  const std::vector<std::string> documents = {
      "[]", "null", "1", R"("x")", "{}",
      minimal + "}",
      minimal + R"(, "complications": [{"type": "death", "severity": "minor"}]})",
      minimal + R"(, "complications": [{"type": "death"}]})",
      minimal + R"(, "complications": [{"type": "death", "severity": null}]})",
      minimal + R"(, "complications": [{"type": "bleeding", "severity": "minor"}, {"type": "death", "severity": "minor"}]})",
      minimal + R"(, "complications": [{"severity": "minor"}]})",
  };
  for (const std::string& json : documents) EXPECT_EQ(ParserAccepts(json), s.Valid(json)) << json;
  EXPECT_TRUE(ParserAccepts(minimal + "}"));
}

// Rules the schema states only in words: the parser rejects, the schema accepts.
TEST(ProcedureSchema, RulesOnlyTheParserChecks) {
  Schema s;
  const std::vector<std::string> documents = {
      R"({"patient_id": "P-1", "date": "2026-02-30", "side": "left", "access_vein": "popliteal", "squeezes": []})",
      R"({"patient_id": "P-1", "date": "2026-11-20", "side": "left", "access_vein": "popliteal", "squeezes": [], "squeezes": []})",
  };
  for (const std::string& json : documents) {
    EXPECT_FALSE(ParserAccepts(json)) << json;
    EXPECT_TRUE(s.Valid(json)) << json;
  }
}

TEST(ProcedureSchema, FixtureRecordsAreValidForParserAndSchema) {
  Schema s;
  std::istringstream lines(ReadSourceFile("tests/fixtures/calf_squeeze_published_series.ndjson"));
  int n = 0;
  for (std::string line; std::getline(lines, line); ++n) {
    EXPECT_TRUE(ParserAccepts(line)) << line;
    EXPECT_TRUE(s.Valid(line)) << line;
  }
  EXPECT_EQ(n, 10);
}

TEST(ProcedureSchema, TheTestValidatorRejectsWhatItShould) {
  Schema s;
  EXPECT_FALSE(s.Valid("{}"));
  EXPECT_FALSE(s.Valid(R"({"patient_id": "", "date": "2026-11-20", "side": "left", "access_vein": "popliteal", "squeezes": []})"));
  EXPECT_FALSE(s.Valid(R"({"patient_id": "P", "date": "2026-11-20", "side": "left", "access_vein": "popliteal", "squeezes": [{"target_veins": []}]})"));
  EXPECT_FALSE(s.Valid(R"({"patient_id": "P", "date": "2026-11-20", "side": "left", "access_vein": "popliteal", "squeezes": [], "aspiration_catheter_fr": 31})"));
  EXPECT_TRUE(s.Valid(R"({"patient_id": "P", "date": "2026-11-20", "side": "left", "access_vein": "popliteal", "squeezes": [], "aspiration_catheter_fr": 30})"));
}

}  // namespace
}  // namespace calfdvt::formats
