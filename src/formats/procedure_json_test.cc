// Tests of the calfdvt/procedure@1 reader and writers (clinical-spec §7): one row per validation
// rule, each asserting the exact JSON path and rule id of the single error it provokes; accepted
// boundary values; unknowns; every error of a document reported; the squeeze and NDJSON entry
// points; canonical round trip; and the procedure report (outcomes, checks, sources, stamp).
// Documents are built by replacing one exact, unique substring of a valid base document.
#include "formats/procedure_json.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <simdjson.h>

#include <fstream>
#include <sstream>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "formats/testing/json_schema_check.h"
#include "formats/thrombectomy_knowledge_json.h"

namespace calfdvt::formats {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;
namespace th = calfdvt::thrombectomy;
using core::Vein;

// A valid record with every field of the format present.
constexpr std::string_view kFull = R"({
  "format": "calfdvt/procedure@1",
  "id": "proc-1",
  "patient_id": "P-001",
  "date": "2026-11-20",
  "side": "left",
  "operator": "op-a",
  "indication": {"thrombosed_veins": ["common_iliac", "common_femoral", "femoral", "popliteal",
                                      "posterior_tibial", "gastrocnemius_medial"],
                 "iliac_obstruction": true, "symptom_days": 4},
  "access_vein": "popliteal",
  "thrombolysis": {"agent": "urokinase", "hours": 24},
  "ivc_filter": "temporary",
  "aspiration_catheter_fr": 8,
  "squeezes": [{"target_veins": ["popliteal", "gastrocnemius_medial"],
                "migration_observed": true, "thrombus_aspirated": true}],
  "result": {"antegrade_flow": true, "residual_thrombus_percent": 10, "stent": true},
  "complications": [{"type": "access_site_hematoma", "severity": "minor"}]
})";

// The required fields only.
constexpr std::string_view kMinimal =
    R"({"patient_id": "P-001", "date": "2026-11-20", "side": "left", "access_vein": "popliteal", "squeezes": []})";

std::string Replace(std::string_view base, std::string_view from, std::string_view to) {
  const size_t pos = base.find(from);
  EXPECT_NE(pos, std::string_view::npos) << "not found: " << from;
  if (pos == std::string_view::npos) return std::string(base);
  EXPECT_EQ(base.find(from, pos + 1), std::string_view::npos) << "not unique: " << from;
  std::string out(base);
  out.replace(pos, from.size(), to);
  return out;
}

using PathRule = std::pair<std::string, std::string>;
std::vector<PathRule> PathRules(const core::Errors& errors) {
  std::vector<PathRule> out;
  for (const auto& e : errors) out.emplace_back(e.path, e.rule);
  return out;
}

std::vector<PathRule> Errors(std::string_view json) {
  auto r = ParseProcedure(json);
  if (r.ok()) return {};
  EXPECT_EQ(r.kind(), core::ErrorKind::kInvalidInput);
  for (const auto& e : r.errors()) EXPECT_FALSE(e.message.empty()) << e.path;
  return PathRules(r.errors());
}

th::Procedure ParseOk(std::string_view json) {
  auto r = ParseProcedure(json);
  EXPECT_TRUE(r.ok()) << (r.ok() ? "" : core::FormatError(r.errors()[0]) + " [" + r.errors()[0].rule + "]");
  return r.ok() ? std::move(r).value() : th::Procedure{};
}

using schema_check::ReadSourceFile;

TEST(ProcedureJson, BaseDocumentsAreValid) {
  EXPECT_THAT(Errors(kFull), IsEmpty());
  EXPECT_THAT(Errors(kMinimal), IsEmpty());
}

TEST(ProcedureJson, FullDocumentLandsInTheStruct) {
  const th::Procedure p = ParseOk(kFull);
  EXPECT_EQ(p.id, "proc-1");
  EXPECT_EQ(p.patient_id, "P-001");
  EXPECT_EQ(p.date, core::Date::FromCivil(2026, 11, 20));
  EXPECT_EQ(p.side, core::Side::kLeft);
  EXPECT_EQ(p.operator_name, "op-a");
  ASSERT_TRUE(p.indication && p.indication->thrombosed_veins);
  EXPECT_THAT(*p.indication->thrombosed_veins,
              ElementsAre(Vein::kCommonIliac, Vein::kCommonFemoral, Vein::kFemoral,
                          Vein::kPopliteal, Vein::kPosteriorTibial, Vein::kGastrocnemiusMedial));
  EXPECT_EQ(p.indication->iliac_obstruction, true);
  EXPECT_EQ(p.indication->symptom_days, 4.0);
  EXPECT_EQ(p.access_vein, Vein::kPopliteal);
  EXPECT_EQ(p.thrombolysis->agent, "urokinase");
  EXPECT_EQ(p.thrombolysis->hours, 24.0);
  EXPECT_EQ(p.ivc_filter, th::IvcFilter::kTemporary);
  EXPECT_EQ(p.aspiration_catheter_fr, 8.0);
  ASSERT_EQ(p.squeezes.size(), 1u);
  EXPECT_THAT(p.squeezes[0].target_veins, ElementsAre(Vein::kPopliteal, Vein::kGastrocnemiusMedial));
  EXPECT_EQ(p.squeezes[0].migration_observed, true);
  EXPECT_EQ(p.squeezes[0].thrombus_aspirated, true);
  EXPECT_EQ(p.result->antegrade_flow, true);
  EXPECT_EQ(p.result->residual_thrombus_percent, 10.0);
  EXPECT_EQ(p.result->stent, true);
  ASSERT_TRUE(p.complications);
  ASSERT_EQ(p.complications->size(), 1u);
  EXPECT_EQ((*p.complications)[0].type, th::ComplicationType::kAccessSiteHematoma);
  EXPECT_EQ((*p.complications)[0].severity, th::ComplicationSeverity::kMinor);
}

TEST(ProcedureJson, MissingAndNullAreUnknown) {
  const th::Procedure minimal = ParseOk(kMinimal);
  EXPECT_FALSE(minimal.id || minimal.operator_name || minimal.indication || minimal.thrombolysis ||
               minimal.ivc_filter || minimal.aspiration_catheter_fr || minimal.result ||
               minimal.complications);
  EXPECT_TRUE(minimal.squeezes.empty());
  std::string json = Replace(kFull, R"("ivc_filter": "temporary")", R"("ivc_filter": null)");
  json = Replace(json, R"("migration_observed": true)", R"("migration_observed": null)");
  json = Replace(json, R"("complications": [{"type": "access_site_hematoma", "severity": "minor"}])",
                 R"("complications": null)");
  const th::Procedure p = ParseOk(json);
  EXPECT_EQ(p.ivc_filter, std::nullopt);
  EXPECT_EQ(p.squeezes[0].migration_observed, std::nullopt);
  EXPECT_EQ(p.complications, std::nullopt);
  // [] records "none", distinct from unknown.
  const th::Procedure none = ParseOk(Replace(
      kFull, R"([{"type": "access_site_hematoma", "severity": "minor"}])", "[]"));
  ASSERT_TRUE(none.complications);
  EXPECT_TRUE(none.complications->empty());
}

TEST(ProcedureJson, BoundaryValuesAreAccepted) {
  for (const char* fr : {"4", "30", "4.5"})
    EXPECT_EQ(ParseOk(Replace(kFull, R"("aspiration_catheter_fr": 8)",
                              std::string(R"("aspiration_catheter_fr": )") + fr))
                  .aspiration_catheter_fr,
              std::stod(fr));
  for (const char* pct : {"0", "100", "0.5"})
    EXPECT_TRUE(ParseProcedure(Replace(kFull, R"("residual_thrombus_percent": 10)",
                                       std::string(R"("residual_thrombus_percent": )") + pct))
                    .ok());
  EXPECT_TRUE(ParseProcedure(Replace(kFull, R"("symptom_days": 4)", R"("symptom_days": 0)")).ok());
  EXPECT_TRUE(ParseProcedure(Replace(kFull, R"("hours": 24)", R"("hours": 0)")).ok());
  EXPECT_TRUE(ParseProcedure(Replace(kFull, R"("side": "left")", R"("side": "right")")).ok());
  EXPECT_TRUE(ParseProcedure(Replace(kFull, R"("type": "access_site_hematoma", "severity": "minor")",
                                     R"("type": "death", "severity": "major")"))
                  .ok());
  EXPECT_TRUE(ParseProcedure(Replace(kFull, R"("type": "access_site_hematoma", "severity": "minor")",
                                     R"("type": "death")"))
                  .ok());
  EXPECT_TRUE(ParseProcedure(Replace(kFull, R"("date": "2026-11-20")", R"("date": "2024-02-29")")).ok());
}

// ---------------------------------------------------------------------------------------------
// One error per row: `from` -> `to` in the base document gives exactly the error (path, rule).

enum class Base { kFull, kMinimal, kNone };

struct Row {
  const char* name;
  Base base;
  std::string_view from;  // for Base::kNone: unused
  std::string_view to;    // for Base::kNone: the whole document
  const char* path;
  const char* rule;
};

void PrintTo(const Row& row, std::ostream* os) { *os << row.name; }

class ProcedureRuleTest : public ::testing::TestWithParam<Row> {};

TEST_P(ProcedureRuleTest, ExactlyOneErrorWithPathAndRule) {
  const Row& row = GetParam();
  const std::string json = row.base == Base::kNone ? std::string(row.to)
                           : Replace(row.base == Base::kFull ? kFull : kMinimal, row.from, row.to);
  EXPECT_THAT(Errors(json), ElementsAre(PathRule{row.path, row.rule})) << json;
}

const Row kRows[] = {
    // The document.
    {"not_an_object", Base::kNone, "", "[]", "$", "type"},
    {"malformed", Base::kNone, "", R"({"patient_id": )", "", "malformed_json"},
    {"nan_is_malformed", Base::kFull, R"("aspiration_catheter_fr": 8)", R"("aspiration_catheter_fr": NaN)", "", "malformed_json"},
    {"duplicate_key", Base::kFull, R"("id": "proc-1",)", R"("id": "proc-1", "id": "proc-2",)", "id", "duplicate_key"},
    {"unknown_field", Base::kFull, R"("id": "proc-1",)", R"("id": "proc-1", "surgeon": "x",)", "surgeon", "unknown_field"},
    {"format_other", Base::kFull, R"("calfdvt/procedure@1")", R"("calfdvt/case@1")", "format", "format"},
    {"format_type", Base::kFull, R"("calfdvt/procedure@1")", "1", "format", "type"},
    {"id_empty", Base::kFull, R"("id": "proc-1")", R"("id": "")", "id", "empty"},
    {"id_type", Base::kFull, R"("id": "proc-1")", R"("id": 7)", "id", "type"},
    // Required fields.
    {"patient_id_missing", Base::kMinimal, R"("patient_id": "P-001", )", "", "patient_id", "required"},
    {"patient_id_null", Base::kMinimal, R"("P-001")", "null", "patient_id", "required"},
    {"patient_id_empty", Base::kMinimal, R"("P-001")", R"("")", "patient_id", "empty"},
    {"patient_id_type", Base::kMinimal, R"("P-001")", "1", "patient_id", "type"},
    {"date_missing", Base::kMinimal, R"("date": "2026-11-20", )", "", "date", "required"},
    {"date_not_a_day", Base::kMinimal, R"("2026-11-20")", R"("2026-02-30")", "date", "date"},
    {"date_shape", Base::kMinimal, R"("2026-11-20")", R"("20/11/2026")", "date", "date"},
    {"date_with_time", Base::kMinimal, R"("2026-11-20")", R"("2026-11-20T10:00:00Z")", "date", "date"},
    {"date_type", Base::kMinimal, R"("2026-11-20")", "20261120", "date", "type"},
    {"side_missing", Base::kMinimal, R"("side": "left", )", "", "side", "required"},
    {"side_bilateral", Base::kMinimal, R"("left")", R"("bilateral")", "side", "enum"},
    {"side_unknown", Base::kMinimal, R"("left")", R"("up")", "side", "enum"},
    {"access_vein_missing", Base::kMinimal, R"("access_vein": "popliteal", )", "", "access_vein", "required"},
    {"access_vein_unknown", Base::kMinimal, R"("popliteal")", R"("radial")", "access_vein", "enum"},
    {"access_vein_type", Base::kMinimal, R"("popliteal")", R"(["popliteal"])", "access_vein", "type"},
    {"squeezes_missing", Base::kMinimal, R"(, "squeezes": [])", "", "squeezes", "required"},
    {"squeezes_null", Base::kMinimal, R"("squeezes": [])", R"("squeezes": null)", "squeezes", "required"},
    {"squeezes_type", Base::kMinimal, R"("squeezes": [])", R"("squeezes": {})", "squeezes", "type"},
    // Optional scalars.
    {"operator_empty", Base::kFull, R"("op-a")", R"("")", "operator", "empty"},
    {"operator_type", Base::kFull, R"("op-a")", "true", "operator", "type"},
    {"ivc_filter_unknown", Base::kFull, R"("temporary")", R"("retrievable")", "ivc_filter", "enum"},
    {"ivc_filter_type", Base::kFull, R"("temporary")", "true", "ivc_filter", "type"},
    {"catheter_below_4", Base::kFull, R"("aspiration_catheter_fr": 8)", R"("aspiration_catheter_fr": 3.9)", "aspiration_catheter_fr", "range"},
    {"catheter_above_30", Base::kFull, R"("aspiration_catheter_fr": 8)", R"("aspiration_catheter_fr": 31)", "aspiration_catheter_fr", "range"},
    {"catheter_type", Base::kFull, R"("aspiration_catheter_fr": 8)", R"("aspiration_catheter_fr": "8F")", "aspiration_catheter_fr", "type"},
    // indication
    {"indication_type", Base::kMinimal, R"("squeezes": [])", R"("squeezes": [], "indication": 1)", "indication", "type"},
    {"indication_unknown_field", Base::kFull, R"("iliac_obstruction": true,)", R"("iliac_obstruction": true, "cdt": true,)", "indication.cdt", "unknown_field"},
    {"thrombosed_veins_type", Base::kMinimal, R"("squeezes": [])", R"("squeezes": [], "indication": {"thrombosed_veins": "popliteal"})", "indication.thrombosed_veins", "type"},
    {"thrombosed_vein_unknown", Base::kFull, R"(["common_iliac",)", R"(["iliac",)", "indication.thrombosed_veins[0]", "enum"},
    {"thrombosed_vein_type", Base::kFull, R"(["common_iliac",)", R"([12,)", "indication.thrombosed_veins[0]", "type"},
    {"thrombosed_vein_duplicate", Base::kFull, R"(["common_iliac", "common_femoral",)", R"(["common_iliac", "common_iliac",)", "indication.thrombosed_veins[1]", "duplicate"},
    {"iliac_obstruction_type", Base::kFull, R"("iliac_obstruction": true)", R"("iliac_obstruction": "yes")", "indication.iliac_obstruction", "type"},
    {"symptom_days_negative", Base::kFull, R"("symptom_days": 4)", R"("symptom_days": -1)", "indication.symptom_days", "range"},
    {"symptom_days_type", Base::kFull, R"("symptom_days": 4)", R"("symptom_days": "4")", "indication.symptom_days", "type"},
    // thrombolysis
    {"thrombolysis_type", Base::kFull, R"({"agent": "urokinase", "hours": 24})", "[]", "thrombolysis", "type"},
    {"thrombolysis_unknown_field", Base::kFull, R"("hours": 24)", R"("hours": 24, "dose": 1)", "thrombolysis.dose", "unknown_field"},
    {"thrombolysis_agent_empty", Base::kFull, R"("urokinase")", R"("")", "thrombolysis.agent", "empty"},
    {"thrombolysis_hours_negative", Base::kFull, R"("hours": 24)", R"("hours": -0.5)", "thrombolysis.hours", "range"},
    // squeezes
    {"squeeze_type", Base::kMinimal, R"("squeezes": [])", R"("squeezes": [1])", "squeezes[0]", "type"},
    {"squeeze_null", Base::kMinimal, R"("squeezes": [])", R"("squeezes": [null])", "squeezes[0]", "type"},
    {"squeeze_unknown_field", Base::kFull, R"("thrombus_aspirated": true}])", R"("thrombus_aspirated": true, "force": 3}])", "squeezes[0].force", "unknown_field"},
    {"squeeze_duplicate_key", Base::kFull, R"("thrombus_aspirated": true}])", R"("thrombus_aspirated": true, "thrombus_aspirated": false}])", "squeezes[0].thrombus_aspirated", "duplicate_key"},
    {"target_veins_missing", Base::kMinimal, R"("squeezes": [])", R"("squeezes": [{"migration_observed": true}])", "squeezes[0].target_veins", "required"},
    {"target_veins_empty", Base::kMinimal, R"("squeezes": [])", R"("squeezes": [{"target_veins": []}])", "squeezes[0].target_veins", "empty"},
    {"target_veins_type", Base::kMinimal, R"("squeezes": [])", R"("squeezes": [{"target_veins": "soleal"}])", "squeezes[0].target_veins", "type"},
    {"target_vein_unknown", Base::kMinimal, R"("squeezes": [])", R"("squeezes": [{"target_veins": ["soleal"]}, {"target_veins": ["calf"]}])", "squeezes[1].target_veins[0]", "enum"},
    {"target_vein_duplicate", Base::kFull, R"(["popliteal", "gastrocnemius_medial"])", R"(["popliteal", "popliteal"])", "squeezes[0].target_veins[1]", "duplicate"},
    {"migration_observed_type", Base::kFull, R"("migration_observed": true)", R"("migration_observed": 1)", "squeezes[0].migration_observed", "type"},
    {"thrombus_aspirated_type", Base::kFull, R"("thrombus_aspirated": true)", R"("thrombus_aspirated": "no")", "squeezes[0].thrombus_aspirated", "type"},
    // result
    {"result_type", Base::kMinimal, R"("squeezes": [])", R"("squeezes": [], "result": true)", "result", "type"},
    {"result_unknown_field", Base::kFull, R"("stent": true)", R"("stent": true, "patency": 1)", "result.patency", "unknown_field"},
    {"antegrade_flow_type", Base::kFull, R"("antegrade_flow": true)", R"("antegrade_flow": "true")", "result.antegrade_flow", "type"},
    {"residual_negative", Base::kFull, R"("residual_thrombus_percent": 10)", R"("residual_thrombus_percent": -1)", "result.residual_thrombus_percent", "range"},
    {"residual_above_100", Base::kFull, R"("residual_thrombus_percent": 10)", R"("residual_thrombus_percent": 100.5)", "result.residual_thrombus_percent", "range"},
    {"stent_type", Base::kFull, R"("stent": true)", R"("stent": 1)", "result.stent", "type"},
    // complications
    {"complications_type", Base::kFull, R"([{"type": "access_site_hematoma", "severity": "minor"}])", "{}", "complications", "type"},
    {"complication_type_missing", Base::kFull, R"("type": "access_site_hematoma", )", "", "complications[0].type", "required"},
    {"complication_type_unknown", Base::kFull, R"("access_site_hematoma")", R"("stroke")", "complications[0].type", "enum"},
    {"complication_severity_unknown", Base::kFull, R"("severity": "minor")", R"("severity": "moderate")", "complications[0].severity", "enum"},
    {"complication_unknown_field", Base::kFull, R"("severity": "minor")", R"("severity": "minor", "day": 2)", "complications[0].day", "unknown_field"},
    {"complication_item_type", Base::kFull, R"([{"type": "access_site_hematoma", "severity": "minor"}])", R"(["bleeding"])", "complications[0]", "type"},
    {"death_is_never_minor", Base::kFull, R"("access_site_hematoma")", R"("death")", "complications[0].severity", "contradiction"},
};

INSTANTIATE_TEST_SUITE_P(Rules, ProcedureRuleTest, ::testing::ValuesIn(kRows),
                         [](const auto& info) { return std::string(info.param.name); });

TEST(ProcedureJson, EveryErrorOfADocumentIsReported) {
  std::string json = Replace(kFull, R"("side": "left")", R"("side": "both")");
  json = Replace(json, R"("aspiration_catheter_fr": 8)", R"("aspiration_catheter_fr": 40)");
  json = Replace(json, R"("residual_thrombus_percent": 10)", R"("residual_thrombus_percent": -3)");
  json = Replace(json, R"("patient_id": "P-001",)", "");
  EXPECT_THAT(Errors(json),
              ElementsAre(PathRule{"patient_id", "required"}, PathRule{"side", "enum"},
                          PathRule{"aspiration_catheter_fr", "range"},
                          PathRule{"result.residual_thrombus_percent", "range"}));
}

TEST(ProcedureJson, MessagesNameTheRule) {
  auto r = ParseProcedure(Replace(kFull, R"("aspiration_catheter_fr": 8)", R"("aspiration_catheter_fr": 31)"));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(core::FormatError(r.errors()[0]),
            "aspiration_catheter_fr: must be between 4 and 30 French (got 31)");
}

// ---------------------------------------------------------------------------------------------
// ParseSqueeze and ParseProcedureLines.

TEST(ParseSqueeze, ReadsOneSqueeze) {
  auto s = ParseSqueeze(R"({"target_veins": ["soleal", "peroneal"], "thrombus_aspirated": false})");
  ASSERT_TRUE(s.ok());
  EXPECT_THAT(s->target_veins, ElementsAre(Vein::kSoleal, Vein::kPeroneal));
  EXPECT_EQ(s->migration_observed, std::nullopt);
  EXPECT_EQ(s->thrombus_aspirated, false);
}

TEST(ParseSqueeze, ErrorPathsStartWithTheGivenPath) {
  auto s = ParseSqueeze(R"({"target_veins": ["calf"], "migration_observed": "yes"})", "squeezes[3]");
  ASSERT_FALSE(s.ok());
  EXPECT_THAT(PathRules(s.errors()),
              ElementsAre(PathRule{"squeezes[3].target_veins[0]", "enum"},
                          PathRule{"squeezes[3].migration_observed", "type"}));
  s = ParseSqueeze(R"({"target_veins": []})");
  ASSERT_FALSE(s.ok());
  EXPECT_THAT(PathRules(s.errors()), ElementsAre(PathRule{"target_veins", "empty"}));
  s = ParseSqueeze("[]", "squeezes[0]");
  EXPECT_THAT(PathRules(s.errors()), ElementsAre(PathRule{"squeezes[0]", "type"}));
  s = ParseSqueeze("{", "squeezes[0]");
  EXPECT_THAT(PathRules(s.errors()), ElementsAre(PathRule{"squeezes[0]", "malformed_json"}));
}

// ---------------------------------------------------------------------------------------------
// ParseOutcome: the record's result and complications, same rules, same paths.

TEST(ParseOutcome, ReadsResultAndComplications) {
  auto o = ParseOutcome(
      R"({"result": {"antegrade_flow": true, "residual_thrombus_percent": 10, "stent": false},)"
      R"( "complications": [{"type": "death"}, {"type": "bleeding", "severity": "minor"}]})");
  ASSERT_TRUE(o.ok());
  ASSERT_TRUE(o->result.has_value());
  EXPECT_EQ(o->result->antegrade_flow, true);
  EXPECT_EQ(o->result->residual_thrombus_percent, 10);
  EXPECT_EQ(o->result->stent, false);
  ASSERT_TRUE(o->complications.has_value());
  ASSERT_EQ(o->complications->size(), 2u);
  EXPECT_EQ((*o->complications)[0].type, th::ComplicationType::kDeath);
  EXPECT_EQ((*o->complications)[0].severity, std::nullopt);
  // Absent and null are "not recorded"; [] records none.
  o = ParseOutcome(R"({"result": null, "complications": []})");
  ASSERT_TRUE(o.ok());
  EXPECT_EQ(o->result, std::nullopt);
  EXPECT_THAT(*o->complications, IsEmpty());
  o = ParseOutcome("{}");
  ASSERT_TRUE(o.ok());
  EXPECT_EQ(*o, ProcedureOutcome{});
}

TEST(ParseOutcome, ErrorsNameTheRecordPaths) {
  auto o = ParseOutcome(
      R"({"result": {"residual_thrombus_percent": 120, "antegrade_flow": "yes"},)"
      R"( "complications": [{"type": "death", "severity": "minor"}, {"severity": "major"}],)"
      R"( "squeezes": []})");
  ASSERT_FALSE(o.ok());
  EXPECT_EQ(o.kind(), core::ErrorKind::kInvalidInput);
  EXPECT_THAT(PathRules(o.errors()),
              ::testing::UnorderedElementsAre(
                  PathRule{"squeezes", "unknown_field"},
                  PathRule{"result.residual_thrombus_percent", "range"},
                  PathRule{"result.antegrade_flow", "type"},
                  PathRule{"complications[0].severity", "contradiction"},
                  PathRule{"complications[1].type", "required"}));
  o = ParseOutcome(R"({"result": {"stent": true, "extra": 1}})");
  EXPECT_THAT(PathRules(o.errors()), ElementsAre(PathRule{"result.extra", "unknown_field"}));
  o = ParseOutcome(R"({"complications": {}})");
  EXPECT_THAT(PathRules(o.errors()), ElementsAre(PathRule{"complications", "type"}));
  o = ParseOutcome("[]");
  EXPECT_THAT(PathRules(o.errors()), ElementsAre(PathRule{"$", "type"}));
  o = ParseOutcome(R"({"result": {}, "result": {}})");
  ASSERT_FALSE(o.ok());
  EXPECT_EQ(o.errors()[0].rule, "duplicate_key");
}

TEST(OutcomeJson, RoundTripsAndWritesUnknownsAsNull) {
  EXPECT_EQ(OutcomeJson(ProcedureOutcome{}), R"({"result":null,"complications":null})");
  const std::string doc =
      R"({"result":{"antegrade_flow":true,"residual_thrombus_percent":12.5},)"
      R"("complications":[{"type":"bleeding","severity":"major"},{"type":"other"}]})";
  auto o = ParseOutcome(doc);
  ASSERT_TRUE(o.ok());
  EXPECT_EQ(OutcomeJson(*o), doc);
  auto p = ParseProcedure(kFull);
  ASSERT_TRUE(p.ok());
  const ProcedureOutcome of = OutcomeOf(*p);
  EXPECT_EQ(of.result, p->result);
  EXPECT_EQ(of.complications, p->complications);
}

TEST(ParseProcedureLines, ReadsTheFixtureAndSkipsBlankLines) {
  const std::string text = ReadSourceFile("tests/fixtures/calf_squeeze_published_series.ndjson");
  auto r = ParseProcedureLines(text);
  ASSERT_TRUE(r.ok()) << core::FormatError(r.errors()[0]);
  EXPECT_EQ(r->size(), 10u);
  auto blank = ParseProcedureLines(std::string(kMinimal) + "\n\n  \r\n" + std::string(kMinimal));
  ASSERT_TRUE(blank.ok());
  EXPECT_EQ(blank->size(), 2u);
  auto empty = ParseProcedureLines("");
  ASSERT_TRUE(empty.ok());
  EXPECT_TRUE(empty->empty());
}

TEST(ParseProcedureLines, ErrorsNameTheLine) {
  const std::string bad = Replace(kMinimal, R"("left")", R"("bilateral")");
  auto r = ParseProcedureLines(std::string(kMinimal) + "\n" + bad + "\n{\n");
  ASSERT_FALSE(r.ok());
  ASSERT_EQ(r.errors().size(), 2u);
  EXPECT_EQ(r.errors()[0].path, "[1].side");
  EXPECT_EQ(r.errors()[0].rule, "enum");
  EXPECT_THAT(r.errors()[0].message, ::testing::StartsWith("line 2: "));
  EXPECT_EQ(r.errors()[1].path, "[2]");
  EXPECT_EQ(r.errors()[1].rule, "malformed_json");
}

// ---------------------------------------------------------------------------------------------
// Writers.

TEST(ProcedureRecordJson, RoundTripsAndIsCanonical) {
  std::vector<std::string> documents = {std::string(kFull), std::string(kMinimal)};
  std::istringstream lines(ReadSourceFile("tests/fixtures/calf_squeeze_published_series.ndjson"));
  for (std::string line; std::getline(lines, line);) documents.push_back(line);
  ASSERT_EQ(documents.size(), 12u);
  for (const std::string& json : documents) {
    const th::Procedure p = ParseOk(json);
    const std::string canonical = ProcedureRecordJson(p);
    EXPECT_EQ(ParseOk(canonical), p) << canonical;
    EXPECT_EQ(ProcedureRecordJson(ParseOk(canonical)), canonical);
  }
  EXPECT_EQ(ProcedureRecordJson(ParseOk(kMinimal)),
            R"({"format":"calfdvt/procedure@1","patient_id":"P-001","date":"2026-11-20",)"
            R"("side":"left","access_vein":"popliteal","squeezes":[]})");
}

const th::ThrombectomyKnowledge& Knowledge() {
  static const th::ThrombectomyKnowledge* k = [] {
    auto r = LoadEmbeddedThrombectomyKnowledge();
    EXPECT_TRUE(r.ok());
    return new th::ThrombectomyKnowledge(r.ok() ? std::move(r).value() : th::ThrombectomyKnowledge{});
  }();
  return *k;
}

TEST(ProcedureReportJson, CarriesOutcomesChecksSourcesAndStamp) {
  const th::Procedure p = ParseOk(Replace(kFull, R"("ivc_filter": "temporary")", R"("ivc_filter": "none")"));
  const std::string json = ProcedureJson(p, Knowledge());
  simdjson::dom::parser parser;
  simdjson::dom::element doc;
  ASSERT_EQ(parser.parse(json).get(doc), simdjson::SUCCESS) << json;
  EXPECT_EQ(std::string_view(doc["format"]), "calfdvt/procedure-report@1");
  EXPECT_EQ(std::string_view(doc["procedure"]["ivc_filter"]), "none");
  EXPECT_EQ(int64_t(doc["outcomes"]["squeeze_count"]), 1);
  EXPECT_EQ(std::string_view(doc["outcomes"]["removal_grade"]), "II");
  EXPECT_EQ(bool(doc["outcomes"]["recanalization"]), true);
  EXPECT_EQ(bool(doc["outcomes"]["complication"]), true);
  EXPECT_EQ(bool(doc["outcomes"]["major_complication"]), false);
  simdjson::dom::array checks = doc["checks"];
  ASSERT_EQ(checks.size(), th::kCheckCount);
  size_t i = 0;
  for (simdjson::dom::element c : checks) {
    EXPECT_EQ(std::string_view(c["id"]), th::kCheckIdNames.names[i]);
    const std::string_view status = c["status"];
    EXPECT_EQ(status, i == 1 ? "fired" : "not_fired") << th::kCheckIdNames.names[i];
    EXPECT_FALSE(std::string_view(c["basis"]).empty());
    ++i;
  }
  EXPECT_EQ(std::string_view(checks.at(1)["severity"]), "critical");
  EXPECT_EQ(std::string_view(checks.at(1)["detail"]), "ivc_filter none");
  // Each cited source once, with what remains to confirm.
  simdjson::dom::array sources = doc["sources"];
  std::vector<std::string_view> ids;
  for (simdjson::dom::element s : sources) ids.push_back(std::string_view(s["id"]));
  EXPECT_THAT(ids, ElementsAre("seed000", "sir", "chest", "informatics"));
  EXPECT_FALSE(std::string_view(sources.at(1)["to_confirm"]).empty());
  EXPECT_TRUE(sources.at(3)["to_confirm"].is_null());
  EXPECT_EQ(std::string_view(doc["knowledge"]["id"]), "calf-squeeze");
  EXPECT_EQ(std::string_view(doc["knowledge"]["sha256"]), Knowledge().sha256);
}

TEST(ProcedureReportJson, UnknownOutcomesAreNull) {
  const std::string json = ProcedureJson(ParseOk(kMinimal), Knowledge());
  simdjson::dom::parser parser;
  simdjson::dom::element doc;
  ASSERT_EQ(parser.parse(json).get(doc), simdjson::SUCCESS);
  EXPECT_TRUE(doc["outcomes"]["removal_grade"].is_null());
  EXPECT_TRUE(doc["outcomes"]["recanalization"].is_null());
  EXPECT_TRUE(doc["outcomes"]["complication"].is_null());
  EXPECT_EQ(bool(doc["outcomes"]["migration"]), false);
  // No filter recorded: the hard warning fires; eligibility and indication are unknown.
  EXPECT_EQ(std::string_view(doc["checks"].at(0)["status"]), "unknown");
  EXPECT_EQ(std::string_view(doc["checks"].at(1)["status"]), "fired");
  EXPECT_EQ(std::string_view(doc["checks"].at(4)["status"]), "unknown");
}

}  // namespace
}  // namespace calfdvt::formats
