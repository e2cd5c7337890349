// Tests of the calfdvt/case@1 reader (clinical-spec §3, §5.1): one row per validation rule, each
// asserting the exact JSON path and rule id of the error, plus round-trip and unknown-semantics
// tests. Documents are built by replacing one exact, unique substring of a valid base document, so
// every row reads as "this field, changed like this, gives this error".
#include "formats/case_json.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "formats/knowledge_json.h"

namespace calfdvt::formats {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;
using ::testing::UnorderedElementsAre;
namespace pw = calfdvt::pathway;

// A valid case with every field of the format present (and coherent: a postpartum patient).
constexpr std::string_view kFull = R"({
  "format": "calfdvt/case@1",
  "id": "case-1",
  "as_of": "2026-11-21",
  "patient": {"age": 34, "sex": "female", "pregnancy": "postpartum",
              "expected_delivery_date": "2026-10-28", "delivery_date": "2026-10-30",
              "breastfeeding": true, "crcl_ml_min": 85.5, "severe_liver_disease": false,
              "antiphospholipid_syndrome": false},
  "imaging": {
    "date": "2026-11-20",
    "protocol": "whole_leg_duplex", "side": "left",
    "thrombi": [
      {"vein": "gastrocnemius_medial", "side": "left", "length_cm": 3.5, "max_diameter_mm": 5.5,
       "distance_to_popliteal_cm": 6, "acute": true},
      {"vein": "peroneal", "length_cm": 2, "acute": false}
    ]
  },
  "labs": {"d_dimer": {"value": 1250, "unit": "ng/mL FEU", "cutoff": 500},
           "d_dimer_result": "positive"},
  "history": {"provocation": "transient", "active_cancer": false, "prior_vte": true,
              "inpatient": false, "recent_hospitalization": true, "recent_surgery": false,
              "severe_symptoms": false, "covid19": false, "end_stage_renal_disease": false,
              "stroke": true},
  "bleeding": {"risk": "moderate", "factors": ["anemia"], "anticoagulation_contraindicated": false},
  "preferences": {"anticoagulation": "avoid"}
})";

// The smallest valid case: the required fields only, no thrombus seen.
constexpr std::string_view kMinimal =
    R"({"as_of": "2026-11-21", "imaging": {"date": "2026-11-20", "protocol": "whole_leg_duplex", "thrombi": []}})";

// `base` with the one occurrence of `from` replaced by `to`. Fails the test when `from` does not
// occur exactly once, so a row can never silently test the unchanged document.
std::string Replace(std::string_view base, std::string_view from, std::string_view to) {
  const size_t pos = base.find(from);
  EXPECT_NE(pos, std::string_view::npos) << "not found: " << from;
  if (pos == std::string_view::npos) return std::string(base);
  EXPECT_EQ(base.find(from, pos + 1), std::string_view::npos) << "not unique: " << from;
  std::string out(base);
  out.replace(pos, from.size(), to);
  return out;
}

// (path, rule) pairs of the errors, for exact matching.
using PathRule = std::pair<std::string, std::string>;
std::vector<PathRule> PathRules(const core::Errors& errors) {
  std::vector<PathRule> out;
  for (const auto& e : errors) out.emplace_back(e.path, e.rule);
  return out;
}

const pw::Knowledge& Knowledge() {
  static const pw::Knowledge* k = [] {
    auto r = LoadEmbeddedKnowledge();
    EXPECT_TRUE(r.ok());
    return new pw::Knowledge(std::move(r).value());
  }();
  return *k;
}

// Errors of the format rules (no knowledge); empty when the document is accepted.
core::Errors FormatErrors(std::string_view json) {
  CaseParser parser;
  auto r = parser.Parse(json);
  if (r.ok()) return {};
  EXPECT_EQ(r.kind(), core::ErrorKind::kInvalidInput);
  return r.errors();
}

// Errors of the format and knowledge rules.
core::Errors AllErrors(std::string_view json) {
  CaseParser parser;
  auto r = parser.Parse(json, Knowledge());
  if (r.ok()) return {};
  return r.errors();
}

pw::Case ParseOk(std::string_view json) {
  CaseParser parser;
  auto r = parser.Parse(json, Knowledge());
  EXPECT_TRUE(r.ok()) << (r.ok()
                              ? ""
                              : core::FormatError(r.errors()[0]) + " [" + r.errors()[0].rule + "]");
  return r.ok() ? std::move(r).value() : pw::Case{};
}

TEST(CaseJson, BaseDocumentsAreValid) {
  EXPECT_THAT(PathRules(AllErrors(kFull)), IsEmpty());
  EXPECT_THAT(PathRules(AllErrors(kMinimal)), IsEmpty());
}

// ---------------------------------------------------------------------------------------------
// One error per row: `from` -> `to` in the base document gives exactly the error (path, rule).

enum class Base { kFull, kMinimal, kNone };

// One exact substitution in a base document.
struct Edit {
  std::string_view from;
  std::string_view to;
};

// `base` with `edits` applied in order; for Base::kNone the document is the first edit's `to`.
std::string Build(Base base, const std::vector<Edit>& edits) {
  if (base == Base::kNone) return edits.empty() ? std::string() : std::string(edits[0].to);
  std::string out(base == Base::kFull ? kFull : kMinimal);
  for (const Edit& e : edits) out = Replace(out, e.from, e.to);
  return out;
}

struct Row {
  const char* name;
  Base base;
  std::vector<Edit> edits;
  const char* path;
  const char* rule;
};

void PrintTo(const Row& row, std::ostream* os) { *os << row.name; }

class CaseRuleTest : public ::testing::TestWithParam<Row> {};

TEST_P(CaseRuleTest, ExactlyOneErrorWithPathAndRule) {
  const Row& row = GetParam();
  const std::string json = Build(row.base, row.edits);
  EXPECT_THAT(PathRules(AllErrors(json)), ElementsAre(PathRule{row.path, row.rule})) << json;
}

constexpr Base F = Base::kFull;
constexpr Base M = Base::kMinimal;
constexpr std::string_view kMinImaging = R"("thrombi": [])";

// Unknown fields, at the root and in every nested object. Field names are case-sensitive.
const Row kUnknownFieldRows[] = {
    {"Root", F, {{R"("id": "case-1")", R"("id": "case-1", "extra": 1)"}}, "extra", "unknown_field"},
    {"RootCaseSensitive",
     M,
     {{R"("as_of")", R"("as_of": "2026-11-21", "As_of")"}},
     "As_of",
     "unknown_field"},
    {"Patient",
     F,
     {{R"("age": 34)", R"("age": 34, "weight_kg": 70)"}},
     "patient.weight_kg",
     "unknown_field"},
    {"PatientCaseSensitive", F, {{R"("age": 34)", R"("Age": 34)"}}, "patient.Age", "unknown_field"},
    {"Imaging",
     F,
     {{R"("date": "2026-11-20")", R"("date": "2026-11-20", "operator": "x")"}},
     "imaging.operator",
     "unknown_field"},
    {"Thrombus0",
     F,
     {{R"("length_cm": 3.5)", R"("length_cm": 3.5, "volume_ml": 1)"}},
     "imaging.thrombi[0].volume_ml",
     "unknown_field"},
    {"Thrombus1",
     F,
     {{R"("length_cm": 2)", R"("length_cm": 2, "chronic": true)"}},
     "imaging.thrombi[1].chronic",
     "unknown_field"},
    {"Labs",
     F,
     {{R"("d_dimer_result": "positive")", R"("d_dimer_result": "positive", "crp": 5)"}},
     "labs.crp",
     "unknown_field"},
    {"DDimer",
     F,
     {{R"("unit": "ng/mL FEU")", R"("unit": "ng/mL FEU", "assay": "x")"}},
     "labs.d_dimer.assay",
     "unknown_field"},
    {"History",
     F,
     {{R"("stroke": true)", R"("stroke": true, "smoker": true)"}},
     "history.smoker",
     "unknown_field"},
    {"Bleeding",
     F,
     {{R"("anticoagulation_contraindicated": false)",
       R"("anticoagulation_contraindicated": false, "score": 1)"}},
     "bleeding.score",
     "unknown_field"},
    {"Preferences",
     F,
     {{R"("anticoagulation": "avoid")", R"("anticoagulation": "avoid", "why": "x")"}},
     "preferences.why",
     "unknown_field"},
    // A field of the format in the wrong object is unknown there.
    {"FieldInWrongObject",
     F,
     {{R"("stroke": true)", R"("stroke": true, "age": 70)"}},
     "history.age",
     "unknown_field"},
};
INSTANTIATE_TEST_SUITE_P(UnknownField, CaseRuleTest, ::testing::ValuesIn(kUnknownFieldRows),
                         [](const auto& info) { return std::string(info.param.name); });

// Wrong JSON types, for every kind of field: number, boolean, string, enum, date, object, array,
// array item.
const Row kTypeRows[] = {
    {"StringForNumber", F, {{R"("age": 34)", R"("age": "34")"}}, "patient.age", "type"},
    {"ArrayForNumber",
     F,
     {{R"("crcl_ml_min": 85.5)", R"("crcl_ml_min": [85.5])"}},
     "patient.crcl_ml_min",
     "type"},
    {"BoolForNumberLength",
     F,
     {{R"("length_cm": 3.5)", R"("length_cm": true)"}},
     "imaging.thrombi[0].length_cm",
     "type"},
    {"StringForNumberDiameter",
     F,
     {{R"("max_diameter_mm": 5.5)", R"("max_diameter_mm": "5.5")"}},
     "imaging.thrombi[0].max_diameter_mm",
     "type"},
    {"ObjectForNumberDistance",
     F,
     {{R"("distance_to_popliteal_cm": 6)", R"("distance_to_popliteal_cm": {"cm": 6})"}},
     "imaging.thrombi[0].distance_to_popliteal_cm",
     "type"},
    {"StringForNumberDDimerValue",
     F,
     {{R"("value": 1250)", R"("value": "1250")"}},
     "labs.d_dimer.value",
     "type"},
    {"BoolForNumberCutoff",
     F,
     {{R"("cutoff": 500)", R"("cutoff": true)"}},
     "labs.d_dimer.cutoff",
     "type"},
    {"NumberForBool",
     F,
     {{R"("breastfeeding": true)", R"("breastfeeding": 1)"}},
     "patient.breastfeeding",
     "type"},
    {"StringForBool",
     F,
     {{R"("prior_vte": true)", R"("prior_vte": "true")"}},
     "history.prior_vte",
     "type"},
    {"NumberForBoolAcute",
     F,
     {{R"("acute": false)", R"("acute": 0)"}},
     "imaging.thrombi[1].acute",
     "type"},
    {"StringForBoolContraindicated",
     F,
     {{R"("anticoagulation_contraindicated": false)",
       R"("anticoagulation_contraindicated": "no")"}},
     "bleeding.anticoagulation_contraindicated",
     "type"},
    {"NumberForString", F, {{R"("id": "case-1")", R"("id": 1)"}}, "id", "type"},
    {"NumberForFormat", F, {{R"("format": "calfdvt/case@1")", R"("format": 1)"}}, "format", "type"},
    {"NumberForUnit", F, {{R"("unit": "ng/mL FEU")", R"("unit": 5)"}}, "labs.d_dimer.unit", "type"},
    {"NumberForEnum", F, {{R"("sex": "female")", R"("sex": 1)"}}, "patient.sex", "type"},
    {"BoolForEnumProtocol",
     F,
     {{R"("protocol": "whole_leg_duplex")", R"("protocol": true)"}},
     "imaging.protocol",
     "type"},
    {"ArrayForEnumVein",
     F,
     {{R"("vein": "peroneal")", R"("vein": ["peroneal"])"}},
     "imaging.thrombi[1].vein",
     "type"},
    {"NumberForDate", F, {{R"("as_of": "2026-11-21")", R"("as_of": 20261121)"}}, "as_of", "type"},
    {"BoolForDate",
     F,
     {{R"("delivery_date": "2026-10-30")", R"("delivery_date": false)"}},
     "patient.delivery_date",
     "type"},
    {"ArrayForObjectPatient", M, {{R"("as_of")", R"("patient": [], "as_of")"}}, "patient", "type"},
    {"StringForObjectImaging",
     M,
     {{R"("imaging": {"date": "2026-11-20", "protocol": "whole_leg_duplex", "thrombi": []})",
       R"("imaging": "duplex")"}},
     "imaging",
     "type"},
    {"NumberForObjectLabs", M, {{R"("as_of")", R"("labs": 5, "as_of")"}}, "labs", "type"},
    {"StringForObjectDDimer",
     M,
     {{R"("as_of")", R"("labs": {"d_dimer": "positive"}, "as_of")"}},
     "labs.d_dimer",
     "type"},
    {"ArrayForObjectHistory", M, {{R"("as_of")", R"("history": [], "as_of")"}}, "history", "type"},
    {"StringForObjectBleeding",
     M,
     {{R"("as_of")", R"("bleeding": "low", "as_of")"}},
     "bleeding",
     "type"},
    {"StringForObjectPreferences",
     M,
     {{R"("as_of")", R"("preferences": "avoid", "as_of")"}},
     "preferences",
     "type"},
    {"ObjectForArrayThrombi",
     M,
     {{kMinImaging, R"("thrombi": {"vein": "peroneal"})"}},
     "imaging.thrombi",
     "type"},
    {"ObjectForArrayFactors",
     F,
     {{R"("factors": ["anemia"])", R"("factors": {"anemia": true})"}},
     "bleeding.factors",
     "type"},
    {"StringForArrayFactors",
     F,
     {{R"("factors": ["anemia"])", R"("factors": "anemia")"}},
     "bleeding.factors",
     "type"},
    {"StringForThrombusObject",
     M,
     {{kMinImaging, R"("thrombi": ["peroneal"])"}},
     "imaging.thrombi[0]",
     "type"},
    {"NullThrombus", M, {{kMinImaging, R"("thrombi": [null])"}}, "imaging.thrombi[0]", "type"},
    {"NumberForFactor",
     F,
     {{R"("factors": ["anemia"])", R"("factors": ["anemia", 3])"}},
     "bleeding.factors[1]",
     "type"},
    {"NullFactor",
     F,
     {{R"("factors": ["anemia"])", R"("factors": ["anemia", null])"}},
     "bleeding.factors[1]",
     "type"},
};
INSTANTIATE_TEST_SUITE_P(Type, CaseRuleTest, ::testing::ValuesIn(kTypeRows),
                         [](const auto& info) { return std::string(info.param.name); });

// "format", when present, must name this format.
const Row kFormatRows[] = {
    {"OtherVersion",
     F,
     {{R"("format": "calfdvt/case@1")", R"("format": "calfdvt/case@2")"}},
     "format",
     "format"},
    {"OtherFormat",
     F,
     {{R"("format": "calfdvt/case@1")", R"("format": "calfdvt/assessment@1")"}},
     "format",
     "format"},
    {"Empty", F, {{R"("format": "calfdvt/case@1")", R"("format": "")"}}, "format", "format"},
};
INSTANTIATE_TEST_SUITE_P(Format, CaseRuleTest, ::testing::ValuesIn(kFormatRows),
                         [](const auto& info) { return std::string(info.param.name); });

// Required fields: absent or null.
const Row kRequiredRows[] = {
    {"AsOfAbsent", M, {{R"("as_of": "2026-11-21", )", ""}}, "as_of", "required"},
    {"AsOfNull", M, {{R"("as_of": "2026-11-21")", R"("as_of": null)"}}, "as_of", "required"},
    {"ImagingAbsent",
     M,
     {{R"(, "imaging": {"date": "2026-11-20", "protocol": "whole_leg_duplex", "thrombi": []})",
       ""}},
     "imaging",
     "required"},
    {"ImagingNull",
     M,
     {{R"("imaging": {"date": "2026-11-20", "protocol": "whole_leg_duplex", "thrombi": []})",
       R"("imaging": null)"}},
     "imaging",
     "required"},
    {"ImagingDateAbsent", M, {{R"("date": "2026-11-20", )", ""}}, "imaging.date", "required"},
    {"ImagingDateNull",
     M,
     {{R"("date": "2026-11-20")", R"("date": null)"}},
     "imaging.date",
     "required"},
    {"ProtocolAbsent",
     M,
     {{R"("protocol": "whole_leg_duplex", )", ""}},
     "imaging.protocol",
     "required"},
    {"ProtocolNull",
     M,
     {{R"("protocol": "whole_leg_duplex")", R"("protocol": null)"}},
     "imaging.protocol",
     "required"},
    {"VeinAbsent", F, {{R"("vein": "peroneal", )", ""}}, "imaging.thrombi[1].vein", "required"},
    {"VeinNull",
     F,
     {{R"("vein": "gastrocnemius_medial")", R"("vein": null)"}},
     "imaging.thrombi[0].vein",
     "required"},
};
INSTANTIATE_TEST_SUITE_P(Required, CaseRuleTest, ::testing::ValuesIn(kRequiredRows),
                         [](const auto& info) { return std::string(info.param.name); });

// Dates: exactly YYYY-MM-DD, a real calendar day.
const Row kDateRows[] = {
    {"NoFebruary30",
     F,
     {{R"("as_of": "2026-11-21")", R"("as_of": "2026-02-30")"}},
     "as_of",
     "date"},
    {"NotLeapYear",
     F,
     {{R"("delivery_date": "2026-10-30")", R"("delivery_date": "2025-02-29")"}},
     "patient.delivery_date",
     "date"},
    {"UnpaddedMonthDay",
     F,
     {{R"("date": "2026-11-20")", R"("date": "2026-1-5")"}},
     "imaging.date",
     "date"},
    {"Word",
     F,
     {{R"("delivery_date": "2026-10-30")", R"("delivery_date": "today")"}},
     "patient.delivery_date",
     "date"},
    {"Month13",
     F,
     {{R"("expected_delivery_date": "2026-10-28")", R"("expected_delivery_date": "2026-13-01")"}},
     "patient.expected_delivery_date",
     "date"},
    {"DateTime",
     F,
     {{R"("date": "2026-11-20")", R"("date": "2026-11-20T08:00:00Z")"}},
     "imaging.date",
     "date"},
    {"DayMonthYear",
     F,
     {{R"("as_of": "2026-11-21")", R"("as_of": "21/11/2026")"}},
     "as_of",
     "date"},
    {"Empty", F, {{R"("as_of": "2026-11-21")", R"("as_of": "")"}}, "as_of", "date"},
};
INSTANTIATE_TEST_SUITE_P(Date, CaseRuleTest, ::testing::ValuesIn(kDateRows),
                         [](const auto& info) { return std::string(info.param.name); });

// Dates after as_of (expected_delivery_date excepted; see the accepted documents).
const Row kFutureRows[] = {
    {"ImagingAfterAsOf",
     F,
     {{R"("date": "2026-11-20")", R"("date": "2026-11-22")"}},
     "imaging.date",
     "future_date"},
    {"DeliveryAfterAsOf",
     F,
     {{R"("delivery_date": "2026-10-30")", R"("delivery_date": "2026-11-22")"}},
     "patient.delivery_date",
     "future_date"},
    {"AsOfBeforeImaging",
     F,
     {{R"("as_of": "2026-11-21")", R"("as_of": "2026-11-19")"}},
     "imaging.date",
     "future_date"},
};
INSTANTIATE_TEST_SUITE_P(FutureDate, CaseRuleTest, ::testing::ValuesIn(kFutureRows),
                         [](const auto& info) { return std::string(info.param.name); });

// Impossible values.
const Row kRangeRows[] = {
    {"NegativeLength",
     F,
     {{R"("length_cm": 3.5)", R"("length_cm": -1)"}},
     "imaging.thrombi[0].length_cm",
     "range"},
    {"ZeroLength",
     F,
     {{R"("length_cm": 2)", R"("length_cm": 0)"}},
     "imaging.thrombi[1].length_cm",
     "range"},
    {"NegativeDiameter",
     F,
     {{R"("max_diameter_mm": 5.5)", R"("max_diameter_mm": -2)"}},
     "imaging.thrombi[0].max_diameter_mm",
     "range"},
    {"ZeroDiameter",
     F,
     {{R"("max_diameter_mm": 5.5)", R"("max_diameter_mm": 0)"}},
     "imaging.thrombi[0].max_diameter_mm",
     "range"},
    {"DiameterOver50",
     F,
     {{R"("max_diameter_mm": 5.5)", R"("max_diameter_mm": 50.5)"}},
     "imaging.thrombi[0].max_diameter_mm",
     "range"},
    {"NegativeDistance",
     F,
     {{R"("distance_to_popliteal_cm": 6)", R"("distance_to_popliteal_cm": -0.5)"}},
     "imaging.thrombi[0].distance_to_popliteal_cm",
     "range"},
    {"NegativeCrcl",
     F,
     {{R"("crcl_ml_min": 85.5)", R"("crcl_ml_min": -1)"}},
     "patient.crcl_ml_min",
     "range"},
    {"NegativeAge", F, {{R"("age": 34)", R"("age": -1)"}}, "patient.age", "range"},
    {"AgeOver120", F, {{R"("age": 34)", R"("age": 121)"}}, "patient.age", "range"},
    {"NegativeDDimerValue",
     M,
     {{R"("as_of")", R"("labs": {"d_dimer": {"value": -5, "cutoff": 500}}, "as_of")"}},
     "labs.d_dimer.value",
     "range"},
    {"NegativeDDimerCutoff",
     M,
     {{R"("as_of")", R"("labs": {"d_dimer": {"value": 5, "cutoff": -500}}, "as_of")"}},
     "labs.d_dimer.cutoff",
     "range"},
    {"ZeroDDimerCutoff",
     M,
     {{R"("as_of")", R"("labs": {"d_dimer": {"value": 5, "cutoff": 0}}, "as_of")"}},
     "labs.d_dimer.cutoff",
     "range"},
};
INSTANTIATE_TEST_SUITE_P(Range, CaseRuleTest, ::testing::ValuesIn(kRangeRows),
                         [](const auto& info) { return std::string(info.param.name); });

// Values outside a vocabulary.
const Row kEnumRows[] = {
    {"UnknownVein",
     F,
     {{R"("vein": "peroneal")", R"("vein": "gastrocnemius")"}},
     "imaging.thrombi[1].vein",
     "enum"},
    {"VeinIsCaseSensitive",
     F,
     {{R"("vein": "peroneal")", R"("vein": "Peroneal")"}},
     "imaging.thrombi[1].vein",
     "enum"},
    {"ThrombusBilateral",
     F,
     {{R"("side": "left", "length_cm")", R"("side": "bilateral", "length_cm")"}},
     "imaging.thrombi[0].side",
     "enum"},
    {"ThrombusSideWord",
     F,
     {{R"("side": "left", "length_cm")", R"("side": "both", "length_cm")"}},
     "imaging.thrombi[0].side",
     "enum"},
    {"ImagingSide",
     F,
     {{R"("protocol": "whole_leg_duplex", "side": "left")",
       R"("protocol": "whole_leg_duplex", "side": "both")"}},
     "imaging.side",
     "enum"},
    {"Protocol",
     F,
     {{R"("protocol": "whole_leg_duplex")", R"("protocol": "ct_venography")"}},
     "imaging.protocol",
     "enum"},
    {"Sex", F, {{R"("sex": "female")", R"("sex": "f")"}}, "patient.sex", "enum"},
    {"Pregnancy",
     F,
     {{R"("pregnancy": "postpartum")", R"("pregnancy": "yes")"}},
     "patient.pregnancy",
     "enum"},
    {"Provocation",
     F,
     {{R"("provocation": "transient")", R"("provocation": "provoked")"}},
     "history.provocation",
     "enum"},
    {"DDimerResult",
     F,
     {{R"("d_dimer_result": "positive")", R"("d_dimer_result": "equivocal")"}},
     "labs.d_dimer_result",
     "enum"},
    {"BleedingRisk",
     F,
     {{R"("risk": "moderate")", R"("risk": "very_high")"}},
     "bleeding.risk",
     "enum"},
    {"Preference",
     F,
     {{R"("anticoagulation": "avoid")", R"("anticoagulation": "maybe")"}},
     "preferences.anticoagulation",
     "enum"},
    {"UnknownBleedingFactor",
     F,
     {{R"("factors": ["anemia"])", R"("factors": ["anemia", "smoking"])"}},
     "bleeding.factors[1]",
     "enum"},
};
INSTANTIATE_TEST_SUITE_P(Enum, CaseRuleTest, ::testing::ValuesIn(kEnumRows),
                         [](const auto& info) { return std::string(info.param.name); });

// Contradictions between fields, and duplicates in a list.
const Row kContradictionRows[] = {
    {"ThrombusSideVsOneSidedStudy",
     F,
     {{R"("side": "left", "length_cm")", R"("side": "right", "length_cm")"}},
     "imaging.thrombi[0].side",
     "contradiction"},
    {"PostpartumMale",
     F,
     {{R"("sex": "female")", R"("sex": "male")"}},
     "patient.pregnancy",
     "contradiction"},
    {"PregnantMale",
     F,
     {{R"("sex": "female", "pregnancy": "postpartum")",
       R"("sex": "male", "pregnancy": "pregnant")"}},
     "patient.pregnancy",
     "contradiction"},
    {"DDimerAboveCutoffNegative",
     F,
     {{R"("d_dimer_result": "positive")", R"("d_dimer_result": "negative")"}},
     "labs.d_dimer_result",
     "contradiction"},
    {"DDimerBelowCutoffPositive",
     F,
     {{R"("value": 1250)", R"("value": 420)"}},
     "labs.d_dimer_result",
     "contradiction"},
    // value >= cutoff is positive.
    {"DDimerAtCutoffNegative",
     F,
     {{R"("value": 1250)", R"("value": 500)"},
      {R"("d_dimer_result": "positive")", R"("d_dimer_result": "negative")"}},
     "labs.d_dimer_result",
     "contradiction"},
    {"DuplicateBleedingFactor",
     F,
     {{R"("factors": ["anemia"])", R"("factors": ["anemia", "anemia"])"}},
     "bleeding.factors[1]",
     "duplicate"},
    // Knowledge-dependent (Parse(json, knowledge)): anemia scores 1 point, i.e. moderate.
    {"BleedingRiskVsFactors",
     F,
     {{R"("risk": "moderate")", R"("risk": "low")"}},
     "bleeding.risk",
     "contradiction"},
    {"BleedingRiskVsNoFactors",
     F,
     {{R"("factors": ["anemia"])", R"("factors": [])"}},
     "bleeding.risk",
     "contradiction"},
    // age_over_75 alone scores 2 points, i.e. high.
    {"BleedingRiskVsTwoPointFactor",
     F,
     {{R"("factors": ["anemia"])", R"("factors": ["age_over_75"])"}},
     "bleeding.risk",
     "contradiction"},
};
INSTANTIATE_TEST_SUITE_P(Contradiction, CaseRuleTest, ::testing::ValuesIn(kContradictionRows),
                         [](const auto& info) { return std::string(info.param.name); });

// Duplicate keys make the document malformed; the error names the key's path at any depth.
const Row kDuplicateKeyRows[] = {
    {"Root",
     M,
     {{R"("as_of": "2026-11-21")", R"("as_of": "2026-11-21", "as_of": "2026-11-21")"}},
     "as_of",
     "duplicate_key"},
    {"Patient", F, {{R"("age": 34)", R"("age": 34, "age": 35)"}}, "patient.age", "duplicate_key"},
    {"Imaging",
     M,
     {{R"("date": "2026-11-20")", R"("date": "2026-11-20", "date": "2026-11-19")"}},
     "imaging.date",
     "duplicate_key"},
    {"Thrombus",
     F,
     {{R"("vein": "peroneal")", R"("vein": "peroneal", "vein": "soleal")"}},
     "imaging.thrombi[1].vein",
     "duplicate_key"},
    {"DDimer",
     F,
     {{R"("cutoff": 500)", R"("cutoff": 500, "cutoff": 5000)"}},
     "labs.d_dimer.cutoff",
     "duplicate_key"},
    {"Labs",
     F,
     {{R"("d_dimer_result": "positive")",
       R"("d_dimer_result": "positive", "d_dimer_result": "positive")"}},
     "labs.d_dimer_result",
     "duplicate_key"},
    {"History",
     F,
     {{R"("covid19": false)", R"("covid19": false, "covid19": true)"}},
     "history.covid19",
     "duplicate_key"},
    {"Bleeding",
     F,
     {{R"("risk": "moderate")", R"("risk": "moderate", "risk": "moderate")"}},
     "bleeding.risk",
     "duplicate_key"},
    {"Preferences",
     F,
     {{R"("anticoagulation": "avoid")",
       R"("anticoagulation": "avoid", "anticoagulation": "prefer")"}},
     "preferences.anticoagulation",
     "duplicate_key"},
    // Keys are compared after unescaping: an escaped spelling of the same key is the same key.
    {"EscapedSpelling",
     M,
     {{R"("as_of": "2026-11-21")", R"("as_of": "2026-11-21", "as\u005fof": "2026-11-21")"}},
     "as_of",
     "duplicate_key"},
};
INSTANTIATE_TEST_SUITE_P(DuplicateKey, CaseRuleTest, ::testing::ValuesIn(kDuplicateKeyRows),
                         [](const auto& info) { return std::string(info.param.name); });

// ---------------------------------------------------------------------------------------------
// Malformed JSON: one error, path "" (the document as a whole), rule malformed_json.

struct DocRow {
  const char* name;
  Base base;
  std::vector<Edit> edits;
};
void PrintTo(const DocRow& row, std::ostream* os) { *os << row.name; }

class MalformedTest : public ::testing::TestWithParam<DocRow> {};

TEST_P(MalformedTest, IsOneMalformedJsonError) {
  const std::string json = Build(GetParam().base, GetParam().edits);
  const core::Errors errors = FormatErrors(json);
  EXPECT_THAT(PathRules(errors), ElementsAre(PathRule{"", "malformed_json"})) << json;
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_THAT(errors[0].message, ::testing::StartsWith("malformed JSON: "));
}

constexpr Base N = Base::kNone;
const DocRow kMalformed[] = {
    {"Truncated", M, {{R"(": []}})", R"(": [)"}}},
    {"Empty", N, {{"", ""}}},
    {"Whitespace", N, {{"", "  \n"}}},
    {"NaN", F, {{R"("age": 34)", R"("age": NaN)"}}},
    {"Infinity", F, {{R"("crcl_ml_min": 85.5)", R"("crcl_ml_min": Infinity)"}}},
    {"MinusInfinity", F, {{R"("length_cm": 2)", R"("length_cm": -Infinity)"}}},
    {"NumberOverflowsDouble", F, {{R"("value": 1250)", R"("value": 1e999)"}}},
    {"TrailingCommaObject", F, {{R"("stroke": true})", R"("stroke": true,})"}}},
    {"TrailingCommaArray", F, {{R"(["anemia"])", R"(["anemia",])"}}},
    {"TrailingCommaRoot", M, {{R"("thrombi": []}})", R"("thrombi": []},})"}}},
    {"SingleQuotes", M, {{R"("as_of": "2026-11-21")", R"('as_of': '2026-11-21')"}}},
    {"Comment", M, {{R"("as_of")", R"(/* c */ "as_of")"}}},
    {"UnquotedKey", M, {{R"("as_of")", "as_of"}}},
    {"TwoDocuments", M, {{R"("thrombi": []}})", R"("thrombi": []}} {})"}}},
    {"TrailingGarbage", M, {{R"("thrombi": []}})", R"("thrombi": []}}x)"}}},
    {"LoneSurrogate", F, {{R"("case-1")", R"("\ud800")"}}},
    {"InvalidUtf8", F, {{R"("case-1")", "\"\xff\xfe\""}}},
};
INSTANTIATE_TEST_SUITE_P(Malformed, MalformedTest, ::testing::ValuesIn(kMalformed),
                         [](const auto& info) { return std::string(info.param.name); });

// The root must be an object; the error names the root value as "$".
class RootTypeTest : public ::testing::TestWithParam<const char*> {};

TEST_P(RootTypeTest, RootNotAnObjectIsATypeError) {
  EXPECT_THAT(PathRules(FormatErrors(GetParam())), ElementsAre(PathRule{"$", "type"}));
}

INSTANTIATE_TEST_SUITE_P(Root, RootTypeTest,
                         ::testing::Values("[]", R"([{"as_of": "2026-11-21"}])", R"("case")", "42",
                                           "true", "null"));

// ---------------------------------------------------------------------------------------------
// Documents that are accepted (format and knowledge rules): limits are inclusive where the spec
// says "over", null and absence mean unknown, and the documented exceptions hold.

class AcceptedTest : public ::testing::TestWithParam<DocRow> {};

TEST_P(AcceptedTest, HasNoError) {
  const std::string json = Build(GetParam().base, GetParam().edits);
  EXPECT_THAT(PathRules(AllErrors(json)), IsEmpty()) << json;
}

const DocRow kAccepted[] = {
    {"Age0", F, {{R"("age": 34)", R"("age": 0)"}}},
    {"Age120", F, {{R"("age": 34)", R"("age": 120)"}}},
    {"Diameter50", F, {{R"("max_diameter_mm": 5.5)", R"("max_diameter_mm": 50)"}}},
    {"Distance0", F, {{R"("distance_to_popliteal_cm": 6)", R"("distance_to_popliteal_cm": 0)"}}},
    {"Crcl0", F, {{R"("crcl_ml_min": 85.5)", R"("crcl_ml_min": 0)"}}},
    {"DDimerValue0",
     F,
     {{R"("value": 1250)", R"("value": 0)"},
      {R"("d_dimer_result": "positive")", R"("d_dimer_result": "negative")"}}},
    {"DDimerAtCutoffPositive", F, {{R"("value": 1250)", R"("value": 500)"}}},
    {"LengthLarge", F, {{R"("length_cm": 3.5)", R"("length_cm": 40)"}}},
    {"ImagingOnAsOf", F, {{R"("date": "2026-11-20")", R"("date": "2026-11-21")"}}},
    {"DeliveryOnAsOf",
     F,
     {{R"("delivery_date": "2026-10-30")", R"("delivery_date": "2026-11-21")"}}},
    // §5.1: expected_delivery_date may lie after as_of.
    {"ExpectedDeliveryAfterAsOf",
     F,
     {{R"("pregnancy": "postpartum")", R"("pregnancy": "pregnant")"},
      {R"("expected_delivery_date": "2026-10-28", "delivery_date": "2026-10-30")",
       R"("expected_delivery_date": "2027-03-01", "delivery_date": null)"}}},
    {"LeapDay",
     F,
     {{R"("as_of": "2026-11-21")", R"("as_of": "2028-03-01")"},
      {R"("date": "2026-11-20")", R"("date": "2028-02-29")"}}},
    {"FormatAbsent", F, {{R"("format": "calfdvt/case@1",)", ""}}},
    {"FormatNull", F, {{R"("format": "calfdvt/case@1")", R"("format": null)"}}},
    {"MaleNotPregnant",
     F,
     {{R"("sex": "female", "pregnancy": "postpartum")", R"("sex": "male", "pregnancy": "none")"}}},
    {"MalePregnancyUnknown",
     F,
     {{R"("sex": "female", "pregnancy": "postpartum")", R"("sex": "male", "pregnancy": null)"}}},
    {"OtherSexPregnant",
     F,
     {{R"("sex": "female", "pregnancy": "postpartum")",
       R"("sex": "other", "pregnancy": "pregnant")"}}},
    {"UnknownSexPregnant",
     F,
     {{R"("sex": "female", "pregnancy": "postpartum")",
       R"("sex": "unknown", "pregnancy": "pregnant")"}}},
    {"ThrombusSideOnBilateralStudy",
     F,
     {{R"("protocol": "whole_leg_duplex", "side": "left")",
       R"("protocol": "whole_leg_duplex", "side": "bilateral")"},
      {R"("side": "left", "length_cm")", R"("side": "right", "length_cm")"}}},
    {"ThrombusSideWithoutStudySide",
     F,
     {{R"("protocol": "whole_leg_duplex", "side": "left")", R"("protocol": "whole_leg_duplex")"},
      {R"("side": "left", "length_cm")", R"("side": "right", "length_cm")"}}},
    // §5.1: an incomplete d_dimer is unknown, not an error, with or without a result.
    {"DDimerNoValueWithResult", F, {{R"("value": 1250, )", ""}}},
    {"DDimerNoCutoffWithResult", F, {{R"(, "cutoff": 500)", ""}}},
    {"DDimerNoCutoffNoResult",
     F,
     {{R"(, "cutoff": 500)", ""},
      {R"("d_dimer_result": "positive")", R"("d_dimer_result": null)"}}},
    {"DDimerEmptyObject", M, {{R"("as_of")", R"("labs": {"d_dimer": {}}, "as_of")"}}},
    {"ResultWithoutDDimer",
     M,
     {{R"("as_of")", R"("labs": {"d_dimer_result": "negative"}, "as_of")"}}},
    {"FactorsMatchRisk",
     F,
     {{R"("risk": "moderate")", R"("risk": "high")"},
      {R"("factors": ["anemia"])", R"("factors": ["age_over_65", "age_over_75"])"}}},
    {"MetastaticCancerIsHigh",
     F,
     {{R"("risk": "moderate")", R"("risk": "high")"},
      {R"("factors": ["anemia"])", R"("factors": ["metastatic_cancer"])"}}},
    {"NoFactorsIsLow",
     F,
     {{R"("risk": "moderate")", R"("risk": "low")"},
      {R"("factors": ["anemia"])", R"("factors": [])"}}},
    {"FactorsWithoutRisk", F, {{R"("risk": "moderate", )", ""}}},
    {"RiskWithoutFactors", F, {{R"("factors": ["anemia"], )", ""}}},
    {"EmptyObjects",
     M,
     {{R"("as_of")",
       R"("patient": {}, "labs": {}, "history": {}, "bleeding": {}, "preferences": {}, "as_of")"}}},
    {"UnicodeId", F, {{R"("case-1")", R"("Fall \u00e9 1 \ud83d\ude00")"}}},
    {"EmptyId", F, {{R"("case-1")", R"("")"}}},
};
INSTANTIATE_TEST_SUITE_P(Edge, AcceptedTest, ::testing::ValuesIn(kAccepted),
                         [](const auto& info) { return std::string(info.param.name); });

// Every vocabulary value is accepted: sexes, protocols, sides, provocations, preferences, veins
// and the 17 bleeding factors.
template <class E, size_t N>
void ExpectEveryValueAccepted(const core::EnumNames<E, N>& names, std::string_view base,
                              std::string_view from, std::string_view key) {
  for (std::string_view v : names.names) {
    const std::string json =
        Replace(base, from, "\"" + std::string(key) + "\": \"" + std::string(v) + "\"");
    EXPECT_THAT(PathRules(AllErrors(json)), IsEmpty()) << v;
  }
}

TEST(CaseJson, EveryVocabularyValueIsAccepted) {
  const std::string not_pregnant =
      Replace(kFull, R"("pregnancy": "postpartum")", R"("pregnancy": "none")");
  ExpectEveryValueAccepted(pw::kSexNames, not_pregnant, R"("sex": "female")", "sex");
  ExpectEveryValueAccepted(pw::kPregnancyNames, kFull, R"("pregnancy": "postpartum")", "pregnancy");
  ExpectEveryValueAccepted(pw::kProtocolNames, kFull, R"("protocol": "whole_leg_duplex")",
                           "protocol");
  ExpectEveryValueAccepted(pw::kProvocationNames, kFull, R"("provocation": "transient")",
                           "provocation");
  ExpectEveryValueAccepted(pw::kPreferenceNames, kFull, R"("anticoagulation": "avoid")",
                           "anticoagulation");
  ExpectEveryValueAccepted(core::kVeinNames, kFull, R"("vein": "peroneal")", "vein");
  const std::string no_thrombus_side =
      Replace(kFull, R"("side": "left", "length_cm")", R"("length_cm")");
  ExpectEveryValueAccepted(core::kSideNames, no_thrombus_side, R"("side": "left")", "side");
  EXPECT_EQ(pw::kBleedingFactorNames.size(), 17u);
  std::string all = "[";
  for (std::string_view v : pw::kBleedingFactorNames.names) {
    if (all.size() > 1) all += ", ";
    all += "\"" + std::string(v) + "\"";
  }
  all += "]";
  const pw::Case c =
      ParseOk(Replace(Replace(kFull, R"("factors": ["anemia"])", R"("factors": )" + all),
                      R"("risk": "moderate")", R"("risk": "high")"));
  ASSERT_TRUE(c.bleeding.factors.has_value());
  ASSERT_EQ(c.bleeding.factors->size(), 17u);
  for (size_t i = 0; i < 17; ++i) EXPECT_EQ(static_cast<size_t>((*c.bleeding.factors)[i]), i);
}

// ---------------------------------------------------------------------------------------------
// All errors of a document are reported, not only the first.

TEST(CaseJson, ReportsEveryErrorOfADocument) {
  std::string json = Replace(kFull, R"("id": "case-1")", R"("id": "case-1", "extra": true)");
  json = Replace(json, R"("age": 34)", R"("age": "34")");
  json = Replace(json, R"("sex": "female")", R"("sex": "woman")");
  json = Replace(json, R"("length_cm": 3.5)", R"("length_cm": -3.5)");
  json = Replace(json, R"("protocol": "whole_leg_duplex", )", "");
  EXPECT_THAT(PathRules(FormatErrors(json)),
              UnorderedElementsAre(PathRule{"extra", "unknown_field"},
                                   PathRule{"patient.age", "type"}, PathRule{"patient.sex", "enum"},
                                   PathRule{"imaging.thrombi[0].length_cm", "range"},
                                   PathRule{"imaging.protocol", "required"}));
}

// The typed reads serve the key read next inline and fall back out of line: wrong types on
// consecutive keys, a key out of list order and the values after them are all still read right.
TEST(CaseJson, ConsecutiveWrongTypesAndKeysOutOfOrderAreEachReported) {
  std::string json = Replace(kFull, R"("active_cancer": false, "prior_vte": true)",
                             R"("prior_vte": 1, "active_cancer": "no")");
  json = Replace(json, R"("inpatient": false)", R"("inpatient": null)");
  EXPECT_THAT(PathRules(FormatErrors(json)), ElementsAre(PathRule{"history.active_cancer", "type"},
                                                         PathRule{"history.prior_vte", "type"}));
  const std::string ok = Replace(kFull, R"("active_cancer": false, "prior_vte": true)",
                                 R"("prior_vte": true, "active_cancer": false)");
  const pw::Case c = ParseOk(ok);
  EXPECT_EQ(c.history.active_cancer, false);
  EXPECT_EQ(c.history.prior_vte, true);
  EXPECT_EQ(c.history.inpatient, false);
  EXPECT_EQ(c.history.recent_hospitalization, true);
}

TEST(CaseJson, ReportsErrorsOfEveryThrombus) {
  std::string json = Replace(kFull, R"("length_cm": 3.5)", R"("length_cm": 0)");
  json = Replace(json, R"("length_cm": 2)", R"("length_cm": -2)");
  EXPECT_THAT(PathRules(FormatErrors(json)),
              ElementsAre(PathRule{"imaging.thrombi[0].length_cm", "range"},
                          PathRule{"imaging.thrombi[1].length_cm", "range"}));
}

// Contract: the knowledge-dependent rules (bleeding risk vs factors) run only on a document that
// passes the format rules, because a partly invalid case cannot be scored reliably.
TEST(CaseJson, KnowledgeRulesRunAfterFormatRulesPass) {
  const std::string contradiction = Replace(kFull, R"("risk": "moderate")", R"("risk": "low")");
  EXPECT_THAT(PathRules(FormatErrors(contradiction)), IsEmpty());
  EXPECT_THAT(PathRules(AllErrors(contradiction)),
              ElementsAre(PathRule{"bleeding.risk", "contradiction"}));
  const std::string both = Replace(contradiction, R"("age": 34)", R"("age": 200)");
  EXPECT_THAT(PathRules(AllErrors(both)), ElementsAre(PathRule{"patient.age", "range"}));
}

// Regression: duplicate keys were only detected among an object's first 64 keys.
TEST(CaseJson, DuplicateKeyAfterSixtyFourKeysIsReported) {
  std::string json = "{";
  for (int i = 0; i < 70; ++i) json += "\"k" + std::to_string(i) + "\": 1, ";
  json +=
      R"("k69": 2, "as_of": "2026-11-21", "imaging": {"date": "2026-11-20", "protocol": "whole_leg_duplex"}})";
  const core::Errors errors = FormatErrors(json);
  size_t duplicates = 0, unknown = 0;
  for (const auto& e : errors) {
    if (e.rule == "duplicate_key") {
      ++duplicates;
      EXPECT_EQ(e.path, "k69");
    }
    if (e.rule == "unknown_field") ++unknown;
  }
  EXPECT_EQ(duplicates, 1u);
  EXPECT_EQ(unknown, 71u);
  EXPECT_EQ(errors.size(), 72u);
}

TEST(CaseJson, ErrorMessagesNameTheRuleAndTheValue) {
  const core::Errors errors =
      FormatErrors(Replace(kFull, R"("max_diameter_mm": 5.5)", R"("max_diameter_mm": 51)"));
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(core::FormatError(errors[0]),
            "imaging.thrombi[0].max_diameter_mm: must be at most 50 mm (got 51)");
  const core::Errors unknown = FormatErrors(Replace(kFull, R"("age": 34)", R"("age": 34, "x": 1)"));
  ASSERT_EQ(unknown.size(), 1u);
  EXPECT_THAT(unknown[0].message, ::testing::HasSubstr("allowed: age, sex, pregnancy"));
}

// ---------------------------------------------------------------------------------------------
// Unknowns: null and absence both mean unknown; an absent thrombi array differs from [].

TEST(CaseJson, NullMeansUnknownForEveryOptionalField) {
  constexpr std::string_view kNulls = R"({
    "format": null, "id": null, "as_of": "2026-11-21",
    "patient": {"age": null, "sex": null, "pregnancy": null, "expected_delivery_date": null,
                "delivery_date": null, "breastfeeding": null, "crcl_ml_min": null,
                "severe_liver_disease": null, "antiphospholipid_syndrome": null},
    "imaging": {"date": "2026-11-20", "protocol": "whole_leg_duplex", "side": null,
                "thrombi": [{"vein": "soleal", "side": null, "length_cm": null,
                             "max_diameter_mm": null, "distance_to_popliteal_cm": null,
                             "acute": null}]},
    "labs": {"d_dimer": {"value": null, "unit": null, "cutoff": null}, "d_dimer_result": null},
    "history": {"provocation": null, "active_cancer": null, "prior_vte": null, "inpatient": null,
                "recent_hospitalization": null, "recent_surgery": null, "severe_symptoms": null,
                "covid19": null, "end_stage_renal_disease": null, "stroke": null},
    "bleeding": {"risk": null, "factors": null, "anticoagulation_contraindicated": null},
    "preferences": {"anticoagulation": null}
  })";
  const pw::Case c = ParseOk(kNulls);
  EXPECT_FALSE(c.id);
  EXPECT_FALSE(c.patient.age);
  EXPECT_FALSE(c.patient.sex);
  EXPECT_FALSE(c.patient.pregnancy);
  EXPECT_FALSE(c.patient.expected_delivery_date);
  EXPECT_FALSE(c.patient.delivery_date);
  EXPECT_FALSE(c.patient.breastfeeding);
  EXPECT_FALSE(c.patient.crcl_ml_min);
  EXPECT_FALSE(c.patient.severe_liver_disease);
  EXPECT_FALSE(c.patient.antiphospholipid_syndrome);
  EXPECT_FALSE(c.imaging.side);
  ASSERT_TRUE(c.imaging.thrombi);
  ASSERT_EQ(c.imaging.thrombi->size(), 1u);
  const pw::Thrombus& t = (*c.imaging.thrombi)[0];
  EXPECT_EQ(t.vein, core::Vein::kSoleal);
  EXPECT_FALSE(t.side);
  EXPECT_FALSE(t.length_cm);
  EXPECT_FALSE(t.max_diameter_mm);
  EXPECT_FALSE(t.distance_to_popliteal_cm);
  EXPECT_FALSE(t.acute);
  ASSERT_TRUE(c.labs.d_dimer);  // present but incomplete: unknown result
  EXPECT_FALSE(c.labs.d_dimer->value);
  EXPECT_FALSE(c.labs.d_dimer->unit);
  EXPECT_FALSE(c.labs.d_dimer->cutoff);
  EXPECT_FALSE(c.labs.d_dimer_result);
  EXPECT_FALSE(c.history.provocation);
  EXPECT_FALSE(c.history.active_cancer);
  EXPECT_FALSE(c.history.prior_vte);
  EXPECT_FALSE(c.history.inpatient);
  EXPECT_FALSE(c.history.recent_hospitalization);
  EXPECT_FALSE(c.history.recent_surgery);
  EXPECT_FALSE(c.history.severe_symptoms);
  EXPECT_FALSE(c.history.covid19);
  EXPECT_FALSE(c.history.end_stage_renal_disease);
  EXPECT_FALSE(c.history.stroke);
  EXPECT_FALSE(c.bleeding.risk);
  EXPECT_FALSE(c.bleeding.factors);
  EXPECT_FALSE(c.bleeding.anticoagulation_contraindicated);
  EXPECT_FALSE(c.preferences.anticoagulation);
}

TEST(CaseJson, NullObjectsMeanUnknown) {
  const pw::Case c = ParseOk(Replace(
      kMinimal, R"("as_of")",
      R"("patient": null, "labs": null, "history": null, "bleeding": null, "preferences": null, "as_of")"));
  EXPECT_FALSE(c.patient.age);
  EXPECT_FALSE(c.labs.d_dimer);
  EXPECT_FALSE(c.history.prior_vte);
  EXPECT_FALSE(c.bleeding.risk);
}

TEST(CaseJson, AbsentThrombiIsNotReportedAndEmptyThrombiIsNoThrombus) {
  const pw::Case empty = ParseOk(kMinimal);
  ASSERT_TRUE(empty.imaging.thrombi.has_value());
  EXPECT_TRUE(empty.imaging.thrombi->empty());
  const pw::Case absent = ParseOk(Replace(kMinimal, R"(, "thrombi": [])", ""));
  EXPECT_FALSE(absent.imaging.thrombi.has_value());
  const pw::Case null = ParseOk(Replace(kMinimal, R"("thrombi": [])", R"("thrombi": null)"));
  EXPECT_FALSE(null.imaging.thrombi.has_value());
}

TEST(CaseJson, EmptyFactorsDifferFromAbsentFactors) {
  const pw::Case absent = ParseOk(kMinimal);
  EXPECT_FALSE(absent.bleeding.factors.has_value());
  const pw::Case empty =
      ParseOk(Replace(kMinimal, R"("as_of")", R"("bleeding": {"factors": []}, "as_of")"));
  ASSERT_TRUE(empty.bleeding.factors.has_value());
  EXPECT_TRUE(empty.bleeding.factors->empty());
}

// ---------------------------------------------------------------------------------------------
// Round trip: every value of a full case lands in the Case struct.

TEST(CaseJson, FullCaseRoundTripsIntoTheStruct) {
  const pw::Case c = ParseOk(kFull);
  EXPECT_EQ(c.id, "case-1");
  EXPECT_EQ(c.as_of.ToString(), "2026-11-21");
  EXPECT_EQ(c.patient.age, 34);
  EXPECT_EQ(c.patient.sex, pw::Sex::kFemale);
  EXPECT_EQ(c.patient.pregnancy, pw::Pregnancy::kPostpartum);
  ASSERT_TRUE(c.patient.expected_delivery_date);
  EXPECT_EQ(c.patient.expected_delivery_date->ToString(), "2026-10-28");
  ASSERT_TRUE(c.patient.delivery_date);
  EXPECT_EQ(c.patient.delivery_date->ToString(), "2026-10-30");
  EXPECT_EQ(c.patient.breastfeeding, true);
  EXPECT_EQ(c.patient.crcl_ml_min, 85.5);
  EXPECT_EQ(c.patient.severe_liver_disease, false);
  EXPECT_EQ(c.patient.antiphospholipid_syndrome, false);

  EXPECT_EQ(c.imaging.date.ToString(), "2026-11-20");
  EXPECT_EQ(c.imaging.protocol, pw::Protocol::kWholeLegDuplex);
  EXPECT_EQ(c.imaging.side, core::Side::kLeft);
  ASSERT_TRUE(c.imaging.thrombi);
  ASSERT_EQ(c.imaging.thrombi->size(), 2u);
  const pw::Thrombus& t0 = (*c.imaging.thrombi)[0];
  EXPECT_EQ(t0.vein, core::Vein::kGastrocnemiusMedial);
  EXPECT_EQ(t0.side, core::Side::kLeft);
  EXPECT_EQ(t0.length_cm, 3.5);
  EXPECT_EQ(t0.max_diameter_mm, 5.5);
  EXPECT_EQ(t0.distance_to_popliteal_cm, 6);
  EXPECT_EQ(t0.acute, true);
  const pw::Thrombus& t1 = (*c.imaging.thrombi)[1];
  EXPECT_EQ(t1.vein, core::Vein::kPeroneal);
  EXPECT_FALSE(t1.side);
  EXPECT_EQ(t1.length_cm, 2);
  EXPECT_FALSE(t1.max_diameter_mm);
  EXPECT_FALSE(t1.distance_to_popliteal_cm);
  EXPECT_EQ(t1.acute, false);

  ASSERT_TRUE(c.labs.d_dimer);
  EXPECT_EQ(c.labs.d_dimer->value, 1250);
  EXPECT_EQ(c.labs.d_dimer->unit, "ng/mL FEU");
  EXPECT_EQ(c.labs.d_dimer->cutoff, 500);
  EXPECT_EQ(c.labs.d_dimer_result, pw::DDimerResult::kPositive);

  EXPECT_EQ(c.history.provocation, pw::Provocation::kTransient);
  EXPECT_EQ(c.history.active_cancer, false);
  EXPECT_EQ(c.history.prior_vte, true);
  EXPECT_EQ(c.history.inpatient, false);
  EXPECT_EQ(c.history.recent_hospitalization, true);
  EXPECT_EQ(c.history.recent_surgery, false);
  EXPECT_EQ(c.history.severe_symptoms, false);
  EXPECT_EQ(c.history.covid19, false);
  EXPECT_EQ(c.history.end_stage_renal_disease, false);
  EXPECT_EQ(c.history.stroke, true);

  EXPECT_EQ(c.bleeding.risk, pw::BleedingRisk::kModerate);
  ASSERT_TRUE(c.bleeding.factors);
  EXPECT_THAT(*c.bleeding.factors, ElementsAre(pw::BleedingFactor::kAnemia));
  EXPECT_EQ(c.bleeding.anticoagulation_contraindicated, false);
  EXPECT_EQ(c.preferences.anticoagulation, pw::Preference::kAvoid);
}

TEST(CaseJson, MinimalCaseLeavesEverythingUnknown) {
  const pw::Case c = ParseOk(kMinimal);
  EXPECT_FALSE(c.id);
  EXPECT_EQ(c.as_of.ToString(), "2026-11-21");
  EXPECT_EQ(c.imaging.date.ToString(), "2026-11-20");
  EXPECT_FALSE(c.imaging.side);
  EXPECT_FALSE(c.patient.age);
  EXPECT_FALSE(c.labs.d_dimer);
  EXPECT_FALSE(c.labs.d_dimer_result);
  EXPECT_FALSE(c.history.provocation);
  EXPECT_FALSE(c.bleeding.risk);
  EXPECT_FALSE(c.bleeding.factors);
  EXPECT_FALSE(c.preferences.anticoagulation);
}

TEST(CaseJson, BleedingFactorsKeepTheirOrder) {
  const pw::Case c = ParseOk(Replace(
      Replace(kFull, R"("factors": ["anemia"])", R"("factors": ["alcohol_abuse", "age_over_65"])"),
      R"("risk": "moderate")", R"("risk": "high")"));
  ASSERT_TRUE(c.bleeding.factors);
  EXPECT_THAT(*c.bleeding.factors,
              ElementsAre(pw::BleedingFactor::kAlcoholAbuse, pw::BleedingFactor::kAgeOver65));
}

TEST(CaseJson, IntegerAndDecimalNumbersAreBothNumbers) {
  const pw::Case c = ParseOk(Replace(Replace(kFull, R"("length_cm": 3.5)", R"("length_cm": 4e0)"),
                                     R"("age": 34)", R"("age": 34.5)"));
  EXPECT_EQ((*c.imaging.thrombi)[0].length_cm, 4);
  EXPECT_EQ(c.patient.age, 34.5);
}

// ---------------------------------------------------------------------------------------------
// Parser object contracts.

TEST(CaseParser, IsReusableAfterAnError) {
  CaseParser parser;
  EXPECT_FALSE(parser.Parse("{").ok());
  EXPECT_FALSE(parser.Parse(Replace(kFull, R"("age": 34)", R"("age": -1)")).ok());
  auto r = parser.Parse(kFull, Knowledge());
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->patient.age, 34);
  // The previous document's values never leak into the next one.
  auto m = parser.Parse(kMinimal, Knowledge());
  ASSERT_TRUE(m.ok());
  EXPECT_FALSE(m->patient.age);
}

TEST(CaseParser, ParsePaddedAgreesWithParse) {
  std::string padded(kFull);
  const size_t size = padded.size();
  padded.append(CaseParser::kPadding, ' ');
  CaseParser parser;
  auto r = parser.ParsePadded(std::string_view(padded.data(), size), Knowledge());
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->patient.crcl_ml_min, 85.5);
  std::string bad = Replace(kFull, R"("risk": "moderate")", R"("risk": "low")");
  const size_t bad_size = bad.size();
  bad.append(CaseParser::kPadding, ' ');
  auto e = parser.ParsePadded(std::string_view(bad.data(), bad_size), Knowledge());
  ASSERT_FALSE(e.ok());
  EXPECT_THAT(PathRules(e.errors()), ElementsAre(PathRule{"bleeding.risk", "contradiction"}));
}

TEST(CaseParser, FormatOnlyParseSkipsKnowledgeRules) {
  CaseParser parser;
  const std::string json = Replace(kFull, R"("risk": "moderate")", R"("risk": "high")");
  EXPECT_TRUE(parser.Parse(json).ok());
  EXPECT_FALSE(parser.Parse(json, Knowledge()).ok());
}

}  // namespace
}  // namespace calfdvt::formats
