// Tests of the knowledge loader (calfdvt/knowledge@1): the shipped file loads and is stamped with
// its SHA-256; every load error names the JSON path and the rule; and knowledge is data: editing
// the file's text changes the engine's decisions with no recompilation.
//
// Mutated documents are made by replacing one exact, unique substring of the shipped file, read
// from the source tree (CALFDVT_SOURCE_DIR), so the tests follow the file as it evolves.
#include "formats/knowledge_json.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "formats/assessment_json.h"
#include "formats/case_json.h"
#include "formats/sha256.h"
#include "formats/testing/json_schema_check.h"
#include "pathway/engine.h"

namespace calfdvt::formats {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;
using ::testing::UnorderedElementsAreArray;
namespace pw = calfdvt::pathway;

using schema_check::ReadSourceFile;

const std::string& Shipped() {
  static const std::string* text = new std::string(ReadSourceFile("knowledge/distal-dvt.json"));
  return *text;
}

// `text` with the one occurrence of `from` replaced by `to` (the test fails unless `from` occurs
// exactly once, so a mutation can never silently leave the file unchanged).
std::string Replace(std::string_view text, std::string_view from, std::string_view to) {
  const size_t pos = text.find(from);
  EXPECT_NE(pos, std::string_view::npos) << "not found: " << from;
  if (pos == std::string_view::npos) return std::string(text);
  EXPECT_EQ(text.find(from, pos + 1), std::string_view::npos) << "not unique: " << from;
  std::string out(text);
  out.replace(pos, from.size(), to);
  return out;
}

// `text` without the `lines` whole lines starting at the line holding the unique `needle`.
std::string EraseLines(std::string_view text, std::string_view needle, int lines) {
  const size_t pos = text.find(needle);
  EXPECT_NE(pos, std::string_view::npos) << "not found: " << needle;
  if (pos == std::string_view::npos) return std::string(text);
  EXPECT_EQ(text.find(needle, pos + 1), std::string_view::npos) << "not unique: " << needle;
  const size_t begin = text.rfind('\n', pos) + 1;
  size_t end = begin;
  for (int i = 0; i < lines; ++i) end = text.find('\n', end) + 1;
  std::string out(text);
  out.erase(begin, end - begin);
  return out;
}

using PathRule = std::pair<std::string, std::string>;
std::vector<PathRule> PathRules(const core::Errors& errors) {
  std::vector<PathRule> out;
  for (const auto& e : errors) out.emplace_back(e.path, e.rule);
  return out;
}

std::vector<PathRule> LoadErrors(std::string_view text) {
  auto r = LoadKnowledge(text);
  if (r.ok()) return {};
  EXPECT_EQ(r.kind(), core::ErrorKind::kInvalidInput);
  return PathRules(r.errors());
}

bool IsLowerHex(std::string_view s) {
  for (char c : s)
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  return true;
}

// ---------------------------------------------------------------------------------------------
// The shipped file.

TEST(KnowledgeJson, ShippedFileLoadsWithBothProfiles) {
  auto k = LoadKnowledge(Shipped());
  ASSERT_TRUE(k.ok()) << core::FormatError(k.errors()[0]);
  EXPECT_EQ(k->id, "distal-dvt");
  EXPECT_FALSE(k->version.empty());
  EXPECT_EQ(k->default_profile, "seed001");
  ASSERT_NE(k->FindProfile("seed001"), nullptr);
  ASSERT_NE(k->FindProfile("chest"), nullptr);
  EXPECT_EQ(k->FindProfile("nice"), nullptr);
  // Profiles are data: seed001 counts all twelve features, chest not the seed-only three.
  const pw::ProfileDef& seed = *k->FindProfile("seed001");
  const pw::ProfileDef& chest = *k->FindProfile("chest");
  for (size_t i = 0; i < pw::kFeatureCount; ++i) EXPECT_TRUE(seed.counted[i]) << i;
  EXPECT_FALSE(chest.counted[static_cast<size_t>(pw::Feature::kRecentSurgery)]);
  EXPECT_FALSE(chest.counted[static_cast<size_t>(pw::Feature::kCovid19)]);
  EXPECT_TRUE(chest.counted[static_cast<size_t>(pw::Feature::kInpatientOrRecentHospitalization)]);
  EXPECT_EQ(seed.cancer_agent, pw::Agent::kLmwh);
  EXPECT_EQ(chest.cancer_agent, pw::Agent::kOralXaInhibitor);
  EXPECT_TRUE(chest.persistent_is_unprovoked);
  EXPECT_FALSE(seed.persistent_is_unprovoked);
  // Every rule R1..R9 is defined and cites at least one source.
  ASSERT_EQ(k->rules.size(), 9u);
  for (const auto& r : k->rules) EXPECT_NE(r.sources, 0u) << r.id;
}

TEST(KnowledgeJson, ShippedValuesLandInTheStruct) {
  auto k = LoadKnowledge(Shipped());
  ASSERT_TRUE(k.ok());
  EXPECT_EQ(k->features[static_cast<size_t>(pw::Feature::kLengthOver5cm)].threshold, 5);
  EXPECT_EQ(k->features[static_cast<size_t>(pw::Feature::kDiameterOver7mm)].threshold, 7);
  EXPECT_EQ(k->features[static_cast<size_t>(pw::Feature::kNearProximalVeins)].threshold, 5);
  EXPECT_EQ(k->features[static_cast<size_t>(pw::Feature::kMultipleVeins)].threshold, 2);
  EXPECT_FALSE(k->features[static_cast<size_t>(pw::Feature::kPriorVte)].threshold);
  ASSERT_EQ(k->surveillance.scans.size(), 2u);
  EXPECT_EQ(k->surveillance.scans[0].day, 7);
  EXPECT_EQ(k->surveillance.scans[1].day, 14);
  EXPECT_EQ(k->surveillance.scans[1].window_before_days, 2);
  EXPECT_EQ(k->bleeding.points[static_cast<size_t>(pw::BleedingFactor::kAgeOver75)], 2);
  EXPECT_EQ(k->bleeding.points[static_cast<size_t>(pw::BleedingFactor::kAnemia)], 1);
  EXPECT_EQ(k->bleeding.categories[2].min_points, 2);
  EXPECT_EQ(k->bleeding.categories[2].major_bleeding_3mo, 0.128);
  EXPECT_EQ(k->regimen.vka_if_crcl_below_ml_min, 30);
  EXPECT_EQ(k->alerts[static_cast<size_t>(pw::AlertCode::kAnticoagulationContraindicated)]
                .severity_proximal,
            pw::Severity::kCritical);
  EXPECT_TRUE(k->veins[static_cast<size_t>(core::Vein::kTibioperonealTrunk)].close_to_proximal);
  EXPECT_EQ(k->veins[static_cast<size_t>(core::Vein::kSoleal)].kind, pw::VeinKind::kMuscular);
  EXPECT_EQ(k->evidence.size(), 3u);
}

TEST(KnowledgeJson, Sha256IsOfTheExactBytes) {
  auto k = LoadKnowledge(Shipped());
  ASSERT_TRUE(k.ok());
  EXPECT_EQ(k->sha256.size(), 64u);
  EXPECT_TRUE(IsLowerHex(k->sha256)) << k->sha256;
  EXPECT_EQ(k->sha256, Sha256Hex(Shipped()));
  // A one-byte change that keeps the document valid changes the stamp.
  auto changed = LoadKnowledge(Shipped() + "\n");
  ASSERT_TRUE(changed.ok());
  EXPECT_EQ(changed->sha256.size(), 64u);
  EXPECT_NE(changed->sha256, k->sha256);
}

TEST(KnowledgeJson, Sha256MatchesTheStandardTestVector) {
  // FIPS 180-2 example "abc".
  EXPECT_EQ(Sha256Hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(Sha256Hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

TEST(KnowledgeJson, EmbeddedFileIsTheShippedFile) {
  EXPECT_EQ(EmbeddedKnowledgeBytes(), Shipped());
  auto k = LoadEmbeddedKnowledge();
  ASSERT_TRUE(k.ok());
  EXPECT_EQ(k->sha256, Sha256Hex(Shipped()));
}

// ---------------------------------------------------------------------------------------------
// Load errors: each mutation of the shipped file gives exactly these (path, rule) errors.

struct Edit {
  std::string_view from;
  std::string_view to;
  int erase_lines = 0;  // > 0: erase this many lines from the line holding `from` (`to` unused)
};

std::string Apply(const std::vector<Edit>& edits) {
  std::string text = Shipped();
  for (const Edit& e : edits)
    text =
        e.erase_lines > 0 ? EraseLines(text, e.from, e.erase_lines) : Replace(text, e.from, e.to);
  return text;
}

struct Row {
  const char* name;
  std::vector<Edit> edits;
  std::vector<PathRule> expected;
};
void PrintTo(const Row& row, std::ostream* os) { *os << row.name; }

class KnowledgeErrorTest : public ::testing::TestWithParam<Row> {};

TEST_P(KnowledgeErrorTest, ReportsExactlyTheseErrors) {
  const Row& row = GetParam();
  EXPECT_THAT(LoadErrors(Apply(row.edits)), UnorderedElementsAreArray(row.expected));
}

std::string RowName(const ::testing::TestParamInfo<Row>& info) { return info.param.name; }

// Unknown keys at every level.
const Row kUnknownKeyRows[] = {
    {"Root",
     {{R"("title": "Isolated distal)", R"("author": "x", "title": "Isolated distal)"}},
     {{"author", "unknown_field"}}},
    {"Source",
     {{R"({"id": "sales2010", )", R"({"id": "sales2010", "doi": "x", )"}},
     {{"sources[5].doi", "unknown_field"}}},
    {"RuleId",
     {{R"("R9": {)", R"("R10": {"title": "x", "sources": ["seed001"]}, "R9": {)"}},
     {{"rules.R10", "unknown_field"}}},
    {"Rule",
     {{R"("R6": {"title")", R"("R6": {"note": "x", "title")"}},
     {{"rules.R6.note", "unknown_field"}}},
    {"VeinId",
     {{R"("label": "small saphenous vein"})",
       R"("label": "small saphenous vein"}, "perforator": {"class": "superficial", "kind": "none", "close_to_proximal": false, "group": "p", "label": "p"})"}},
     {{"veins.perforator", "unknown_field"}}},
    {"Vein",
     {{R"("label": "soleal vein"})", R"("label": "soleal vein", "depth_cm": 1})"}},
     {{"veins.soleal.depth_cm", "unknown_field"}}},
    {"Feature",
     {{R"("label": "COVID-19 infection", )", R"("label": "COVID-19 infection", "weight": 1, )"}},
     {{"features.covid19.weight", "unknown_field"}}},
    {"ThresholdOnAFlagFeature",
     {{R"("label": "History of prior VTE", )",
       R"("label": "History of prior VTE", "threshold": 1, )"}},
     {{"features.prior_vte.threshold", "unknown_field"}}},
    {"Profile",
     {{R"("cancer_agent": "oral_xa_inhibitor",)",
       R"("cancer_agent": "oral_xa_inhibitor", "extra": true,)"}},
     {{"profiles.chest.extra", "unknown_field"}}},
    {"BleedingPoints",
     {{R"("alcohol_abuse": 1)", R"("alcohol_abuse": 1, "smoking": 1)"}},
     {{"bleeding.points.smoking", "unknown_field"}}},
    {"BleedingCategory",
     {{R"("high": {"min_points": 2, )", R"("high": {"max_points": 9, "min_points": 2, )"}},
     {{"bleeding.categories.high.max_points", "unknown_field"}}},
    {"Scan",
     {{R"({"day": 14, )", R"({"day": 14, "modality": "ct", )"}},
     {{"surveillance.scans[1].modality", "unknown_field"}}},
    {"VkaIf",
     {{R"("crcl_below_ml_min": 30, )", R"("crcl_below_ml_min": 30, "inr": 2, )"}},
     {{"regimen.vka_if.inr", "unknown_field"}}},
    {"Alert",
     {{R"("closer_monitoring": {"severity": "warning", )",
       R"("closer_monitoring": {"severity": "warning", "color": "red", )"}},
     {{"alerts.closer_monitoring.color", "unknown_field"}}},
    {"NoteId",
     {{R"("decision_support": {)",
       R"("extra_note": {"rule": "R9", "sources": ["informatics"], "text": "x"}, "decision_support": {)"}},
     {{"notes.extra_note", "unknown_field"}}},
    {"Note",
     {{R"("text": "Repeat the duplex at once if symptoms worsen.")",
       R"("text": "Repeat the duplex at once if symptoms worsen.", "lang": "en")"}},
     {{"notes.surveillance_worsening.lang", "unknown_field"}}},
    {"EvidenceItem",
     {{R"({"id": "extension_risk", )", R"({"id": "extension_risk", "year": 2003, )"}},
     {{"evidence.items[0].year", "unknown_field"}}},
    {"LabelsStrategy",
     {{R"("out_of_scope": "Outside)", R"("watchful_waiting": "x", "out_of_scope": "Outside)"}},
     {{"labels.strategies.watchful_waiting", "unknown_field"}}},
};
INSTANTIATE_TEST_SUITE_P(UnknownKey, KnowledgeErrorTest, ::testing::ValuesIn(kUnknownKeyRows),
                         RowName);

// Wrong JSON types.
const Row kTypeRows[] = {
    {"VersionNumber", {{R"("version": "1.0.0")", R"("version": 1)"}}, {{"version", "type"}}},
    {"ThresholdString",
     {{R"("threshold": 7,)", R"("threshold": "7",)"}},
     {{"features.diameter_over_7mm.threshold", "type"}}},
    {"CloseToProximalString",
     {{R"("close_to_proximal": true)", R"("close_to_proximal": "yes")"}},
     {{"veins.tibioperoneal_trunk.close_to_proximal", "type"}}},
    {"SourcesString",
     {{R"(stroke", "sources": ["sales2010"])", R"(stroke", "sources": "sales2010")"}},
     {{"rules.R6.sources", "type"}}},
    {"SourceIdNumber",
     {{R"("R4": {"title": "Factors favouring serial imaging", "sources": ["seed001"])",
       R"("R4": {"title": "Factors favouring serial imaging", "sources": [1])"}},
     {{"rules.R4.sources[0]", "type"}}},
    {"DayString",
     {{R"({"day": 7, )", R"({"day": "7", )"}},
     {{"surveillance.scans[0].day", "type"}}},
    {"MajorBleedingString",
     {{R"("major_bleeding_3mo": 0.128)", R"("major_bleeding_3mo": "0.128")"}},
     {{"bleeding.categories.high.major_bleeding_3mo", "type"}}},
    {"ProfileNotObject",
     {{R"("chest": {)", R"("broken": 5, "chest": {)"}},
     {{"profiles.broken", "type"}}},
    {"BoolString",
     {{R"("persistent_is_unprovoked": true)", R"("persistent_is_unprovoked": "true")"}},
     {{"profiles.chest.persistent_is_unprovoked", "type"}}},
    {"SeverityNumber",
     {{R"("severity": "info", "rule": "R2")", R"("severity": 1, "rule": "R2")"}},
     {{"alerts.superficial_only.severity", "type"}}},
    {"VkaIfNumber",
     {{R"("severe_liver_disease": true)", R"("severe_liver_disease": 1)"}},
     {{"regimen.vka_if.severe_liver_disease", "type"}}},
    {"PointsFraction",
     {{R"("diabetes": 1)", R"("diabetes": 1.5)"}},
     {{"bleeding.points.diabetes", "range"}}},
};
INSTANTIATE_TEST_SUITE_P(Type, KnowledgeErrorTest, ::testing::ValuesIn(kTypeRows), RowName);

// A rule, feature, alert, note or agent without a source.
const Row kNoSourceRows[] = {
    {"Rule",
     {{R"("R4": {"title": "Factors favouring serial imaging", "sources": ["seed001"])",
       R"("R4": {"title": "Factors favouring serial imaging", "sources": [])"}},
     {{"rules.R4.sources", "no_source"}}},
    {"Feature",
     {{R"("label": "COVID-19 infection", "rule": "R3", "sources": ["seed001"])",
       R"("label": "COVID-19 infection", "rule": "R3", "sources": [])"}},
     {{"features.covid19.sources", "no_source"}}},
    {"Alert",
     {{R"("rule": "R6", "sources": ["sales2010"])", R"("rule": "R6", "sources": [])"}},
     {{"alerts.closer_monitoring.sources", "no_source"}}},
    {"Note",
     {{R"("surveillance_worsening": {"rule": "R8", "sources": ["seed001"])",
       R"("surveillance_worsening": {"rule": "R8", "sources": [])"}},
     {{"notes.surveillance_worsening.sources", "no_source"}}},
    {"Agent",
     {{R"x("Low-molecular-weight heparin (LMWH)", "sources": ["seed001"])x",
       R"x("Low-molecular-weight heparin (LMWH)", "sources": [])x"}},
     {{"regimen.agents.lmwh.sources", "no_source"}}},
    {"RuleSourcesAbsent",
     {{R"("R4": {"title": "Factors favouring serial imaging", "sources": ["seed001"])",
       R"("R4": {"title": "Factors favouring serial imaging")"}},
     {{"rules.R4.sources", "required"}}},
};
INSTANTIATE_TEST_SUITE_P(NoSource, KnowledgeErrorTest, ::testing::ValuesIn(kNoSourceRows), RowName);

// References to sources, rules and profiles that do not exist.
const Row kReferenceRows[] = {
    {"FeatureSource",
     {{R"("label": "COVID-19 infection", "rule": "R3", "sources": ["seed001"])",
       R"("label": "COVID-19 infection", "rule": "R3", "sources": ["seed002"])"}},
     {{"features.covid19.sources[0]", "reference"}}},
    {"AlertSource",
     {{R"("rule": "R6", "sources": ["sales2010"])", R"("rule": "R6", "sources": ["sales2011"])"}},
     {{"alerts.closer_monitoring.sources[0]", "reference"}}},
    {"NoteSource",
     {{R"("muscular_only_lower_risk": {"rule": "R5", "sources": ["macdonald2003"])",
       R"("muscular_only_lower_risk": {"rule": "R5", "sources": ["macdonald2004"])"}},
     {{"notes.muscular_only_lower_risk.sources[0]", "reference"}}},
    {"RuleFourthSource",
     {{R"("macdonald2003", "sales2010", "kret2013"]})",
       R"("macdonald2003", "sales2010", "kret2014"]})"}},
     {{"rules.R9.sources[3]", "reference"}}},
    {"SecondarySource",
     {{R"("recent_hospitalization_sources": ["seed001"])",
       R"("recent_hospitalization_sources": ["seed01"])"}},
     {{"features.inpatient_or_recent_hospitalization.recent_hospitalization_sources[0]",
       "reference"}}},
    {"EvidenceSource",
     {{R"({"id": "pe_and_additional_dvt", "source": "kret2013")",
       R"({"id": "pe_and_additional_dvt", "source": "kret2014")"}},
     {{"evidence.items[2].source", "reference"}}},
    {"ConclusionSource",
     {{R"("conclusion": {"source": "seed001")", R"("conclusion": {"source": "seed")"}},
     {{"evidence.conclusion.source", "reference"}}},
    {"FlagSource",
     {{R"("flag_features_without_source": "chest")",
       R"("flag_features_without_source": "chestx")"}},
     {{"profiles.seed001.flag_features_without_source", "reference"}}},
    {"FeatureRule",
     {{R"("COVID-19 infection", "rule": "R3")", R"("COVID-19 infection", "rule": "R10")"}},
     {{"features.covid19.rule", "reference"}}},
    {"AlertRule",
     {{R"("rule": "R6", "sources": ["sales2010"])", R"("rule": "R6.1", "sources": ["sales2010"])"}},
     {{"alerts.closer_monitoring.rule", "reference"}}},
    {"NoteRuleIsCaseSensitive",
     {{R"("muscular_only_lower_risk": {"rule": "R5")",
       R"("muscular_only_lower_risk": {"rule": "r5")"}},
     {{"notes.muscular_only_lower_risk.rule", "reference"}}},
    {"DefaultProfile",
     {{R"("default_profile": "seed001")", R"("default_profile": "nice")"}},
     {{"default_profile", "reference"}}},
};
INSTANTIATE_TEST_SUITE_P(Reference, KnowledgeErrorTest, ::testing::ValuesIn(kReferenceRows),
                         RowName);

// Missing entries.
const Row kMissingRows[] = {
    {"Note",
     {{R"("surveillance_worsening": {)", "", 1}},
     {{"notes.surveillance_worsening", "required"}}},
    {"Alert",
     {{R"("closer_monitoring": {"severity")", "", 2}},
     {{"alerts.closer_monitoring", "required"}}},
    {"Feature",
     {{R"("recent_surgery": {"label": "Recent surgery")", "", 1}},
     {{"features.recent_surgery", "required"}}},
    {"Vein", {{R"("label": "soleal vein")", "", 1}}, {{"veins.soleal", "required"}}},
    {"Rule", {{R"("R4": {)", "", 1}}, {{"rules.R4", "required"}}},
    {"Agent", {{R"("vka": {"label")", "", 1}}, {{"regimen.agents.vka", "required"}}},
    {"Title", {{R"("title": "Isolated distal)", "", 1}}, {{"title", "required"}}},
    {"RenamedAlert",
     {{R"("closer_monitoring": {"severity")", R"("closer_monitor": {"severity")"}},
     {{"alerts.closer_monitor", "unknown_field"}, {"alerts.closer_monitoring", "required"}}},
    // Regression: a vein lacking "class" used to hide that it also lacked "kind".
    {"VeinClassAndKind",
     {{R"({"class": "distal", "kind": "muscular", "close_to_proximal": false, "group": "soleal")",
       R"({"close_to_proximal": false, "group": "soleal")"}},
     {{"veins.soleal.class", "required"}, {"veins.soleal.kind", "required"}}},
};
INSTANTIATE_TEST_SUITE_P(Missing, KnowledgeErrorTest, ::testing::ValuesIn(kMissingRows), RowName);

// Bad values: vocabularies, order, ranges, shapes, consistency.
const Row kValueRows[] = {
    {"Severity",
     {{R"("severity": "warning", "rule": "R6")", R"("severity": "urgent", "rule": "R6")"}},
     {{"alerts.closer_monitoring.severity", "enum"}}},
    {"SeverityProximal",
     {{R"("severity_proximal": "critical")", R"("severity_proximal": "fatal")"}},
     {{"alerts.anticoagulation_contraindicated.severity_proximal", "enum"}}},
    {"SourceTag",
     {{R"({"id": "kret2013", "tag": "literature")", R"({"id": "kret2013", "tag": "study")"}},
     {{"sources[6].tag", "enum"}}},
    {"DuplicateSourceId",
     {{R"({"id": "cactus2016")", R"({"id": "kret2013")"}},
     {{"sources[7].id", "duplicate"}}},
    {"CountedFeature",
     {{R"("inpatient_or_recent_hospitalization", "severe_symptoms"])",
       R"("inpatient_or_recent_hospitalization", "severe_symptom"])"}},
     {{"profiles.chest.counted_features[9]", "enum"}}},
    {"CountedFeatureTwice",
     {{R"("inpatient_or_recent_hospitalization", "severe_symptoms"])",
       R"("inpatient_or_recent_hospitalization", "prior_vte"])"}},
     {{"profiles.chest.counted_features[9]", "duplicate"}}},
    {"CancerAgent",
     {{R"("cancer_agent": "lmwh")", R"("cancer_agent": "heparin")"}},
     {{"profiles.seed001.cancer_agent", "enum"}}},
    {"VeinClass",
     {{R"({"class": "distal", "kind": "muscular", "close_to_proximal": false, "group": "soleal")",
       R"({"class": "deep", "kind": "muscular", "close_to_proximal": false, "group": "soleal")"}},
     {{"veins.soleal.class", "enum"}}},
    {"VeinKindConsistency",
     {{R"("kind": "muscular", "close_to_proximal": false, "group": "soleal")",
       R"("kind": "none", "close_to_proximal": false, "group": "soleal")"}},
     {{"veins.soleal.kind", "consistency"}}},
    {"CategoriesOutOfOrder",
     {{R"("moderate": {"min_points": 1)", R"("moderate": {"min_points": 2)"}},
     {{"bleeding.categories.high.min_points", "order"}}},
    {"LowCategoryNotZero",
     {{R"("low": {"min_points": 0)", R"("low": {"min_points": 1)"}},
     {{"bleeding.categories.low.min_points", "range"},
      {"bleeding.categories.moderate.min_points", "order"}}},
    {"MajorBleedingOverOne",
     {{R"("major_bleeding_3mo": 0.128)", R"("major_bleeding_3mo": 12.8)"}},
     {{"bleeding.categories.high.major_bleeding_3mo", "range"}}},
    {"NestedNotAPair",
     {{R"(["cancer", "metastatic_cancer"])", R"(["cancer"])"}},
     {{"bleeding.nested[1]", "shape"}}},
    {"NestedUnknownFactor",
     {{R"(["cancer", "metastatic_cancer"])", R"(["cancer", "metastases"])"}},
     {{"bleeding.nested[1][1]", "enum"}}},
    // Regression: a pair naming one factor twice silently cancelled that factor's points.
    {"NestedSameFactor",
     {{R"(["cancer", "metastatic_cancer"])", R"(["cancer", "cancer"])"}},
     {{"bleeding.nested[1]", "consistency"}}},
    {"ScanDaysNotIncreasing",
     {{R"({"day": 14, )", R"({"day": 7, )"}},
     {{"surveillance.scans[1].day", "order"}}},
    {"ScanDayZero",
     {{R"({"day": 7, )", R"({"day": 0, )"}},
     {{"surveillance.scans[0].day", "range"}}},
    {"ScanWindowBeforeDayZero",
     {{R"({"day": 7, "window_before_days": 2)", R"({"day": 7, "window_before_days": 7)"}},
     {{"surveillance.scans[0].window_before_days", "range"}}},
    {"ThresholdZero",
     {{R"("threshold": 5, "unit": "cm"})", R"("threshold": 0, "unit": "cm"})"}},
     {{"features.length_over_5cm.threshold", "range"}}},
    {"NegativeCrcl",
     {{R"("crcl_below_ml_min": 30)", R"("crcl_below_ml_min": -30)"}},
     {{"regimen.vka_if.crcl_below_ml_min", "range"}}},
    {"MonthsZero",
     {{R"("isolated_distal_minimum_months": 3)", R"("isolated_distal_minimum_months": 0)"}},
     {{"regimen.isolated_distal_minimum_months", "range"}}},
    {"Format",
     {{R"("format": "calfdvt/knowledge@1")", R"("format": "calfdvt/knowledge@2")"}},
     {{"format", "format"}}},
    {"EmptyTitle",
     {{R"x("title": "Isolated distal (calf) deep vein thrombosis: anticoagulation or serial imaging")x",
       R"("title": "")"}},
     {{"title", "empty"}}},
    {"DuplicateRootKey",
     {{R"("version": "1.0.0",)", R"("version": "1.0.0", "version": "1.0.1",)"}},
     {{"version", "duplicate_key"}}},
    {"DuplicateNote",
     {{R"("decision_support": {)",
       R"("surveillance_worsening": {"rule": "R8", "sources": ["seed001"], "text": "x"}, "decision_support": {)"}},
     {{"notes.surveillance_worsening", "duplicate_key"}}},
    {"DuplicateProfile",
     {{R"("chest": {)", R"("seed001": {}, "chest": {)"}},
     {{"profiles.seed001", "duplicate_key"}}},
    {"NaN", {{R"("threshold": 7,)", R"("threshold": NaN,)"}}, {{"", "malformed_json"}}},
    {"Truncated", {{R"("labels": {)", R"("labels": )"}}, {{"", "malformed_json"}}},
};
INSTANTIATE_TEST_SUITE_P(Value, KnowledgeErrorTest, ::testing::ValuesIn(kValueRows), RowName);

TEST(KnowledgeJson, RootMustBeAnObject) {
  EXPECT_THAT(LoadErrors("[]"), ElementsAre(PathRule{"$", "type"}));
  EXPECT_THAT(LoadErrors(""), ElementsAre(PathRule{"", "malformed_json"}));
}

TEST(KnowledgeJson, ReportsEveryErrorOfTheFile) {
  const std::string text =
      Apply({{R"("version": "1.0.0")", R"("version": 1)"},
             {R"("severity": "warning", "rule": "R6")", R"("severity": "urgent", "rule": "R6")"},
             {R"({"day": 14, )", R"({"day": 7, )"},
             {R"("default_profile": "seed001")", R"("default_profile": "nice")"}});
  EXPECT_THAT(LoadErrors(text), UnorderedElementsAreArray(std::vector<PathRule>{
                                    {"version", "type"},
                                    {"alerts.closer_monitoring.severity", "enum"},
                                    {"surveillance.scans[1].day", "order"},
                                    {"default_profile", "reference"}}));
}

// Regression: with more than 64 sources, citing one past the 64th shifted a 64-bit set by >= 64
// (undefined behaviour). The file is rejected with one error naming "sources".
TEST(KnowledgeJson, MoreThanSixtyFourSourcesIsOneRangeError) {
  std::string extra;
  for (int i = 0; i < 60; ++i)
    extra += R"({"id": "extra)" + std::to_string(i) +
             R"(", "tag": "literature", "label": "x", "citation": "x"},)";
  std::string text =
      Replace(Shipped(), R"({"id": "informatics", )", extra + R"({"id": "informatics", )");
  text = Replace(
      text, R"("surveillance_worsening": {"rule": "R8", "sources": ["seed001"])",
      R"("surveillance_worsening": {"rule": "R8", "sources": ["seed001", "extra59", "informatics"])");
  EXPECT_THAT(LoadErrors(text), ElementsAre(PathRule{"sources", "range"}));
}

// ---------------------------------------------------------------------------------------------
// Knowledge is data: changing the file's text changes the decisions, with no recompilation.

// An isolated medial gastrocnemius thrombus of `length_cm`, every other input known and low risk.
std::string LowRiskCase(std::string_view length_cm, std::string_view recent_surgery = "false") {
  return std::string(R"({"format": "calfdvt/case@1", "as_of": "2026-11-21",
    "patient": {"age": 50, "sex": "male", "pregnancy": "none", "crcl_ml_min": 90,
                "severe_liver_disease": false, "antiphospholipid_syndrome": false},
    "imaging": {"date": "2026-11-20", "protocol": "whole_leg_duplex", "side": "left",
                "thrombi": [{"vein": "gastrocnemius_medial", "side": "left", "length_cm": )") +
         std::string(length_cm) +
         R"(, "max_diameter_mm": 5, "distance_to_popliteal_cm": 8, "acute": true}]},
    "labs": {"d_dimer": {"value": 300, "unit": "ng/mL FEU", "cutoff": 500}},
    "history": {"provocation": "transient", "active_cancer": false, "prior_vte": false,
                "inpatient": false, "recent_hospitalization": false, "recent_surgery": )" +
         std::string(recent_surgery) + R"(,
                "severe_symptoms": false, "covid19": false, "end_stage_renal_disease": false,
                "stroke": false},
    "bleeding": {"risk": "low", "anticoagulation_contraindicated": false},
    "preferences": {"anticoagulation": "no_preference"}})";
}

pw::Knowledge LoadOk(std::string_view text) {
  auto k = LoadKnowledge(text);
  EXPECT_TRUE(k.ok()) << (k.ok() ? "" : core::FormatError(k.errors()[0]));
  return k.ok() ? std::move(k).value() : pw::Knowledge{};
}

pw::Case ParseCase(const std::string& json, const pw::Knowledge& k) {
  CaseParser parser;
  auto c = parser.Parse(json, k);
  EXPECT_TRUE(c.ok()) << (c.ok() ? "" : core::FormatError(c.errors()[0]));
  return c.ok() ? std::move(c).value() : pw::Case{};
}

pw::Assessment AssessSeed(const pw::Case& c, const pw::Knowledge& k) {
  const pw::ProfileDef* p = k.FindProfile("seed001");
  EXPECT_NE(p, nullptr);
  return pw::Assess(c, k, *p);
}

const pw::FeatureResult& FeatureOf(const pw::Assessment& a, pw::Feature f) {
  static const pw::FeatureResult kNone{};
  for (const auto& r : a.features)
    if (r.id == f) return r;
  ADD_FAILURE() << "feature not listed";
  return kNone;
}

TEST(KnowledgeIsData, LengthThresholdInTheFileChangesTheStrategy) {
  const pw::Knowledge original = LoadOk(Shipped());
  const pw::Knowledge changed = LoadOk(
      Replace(Shipped(), R"("threshold": 5, "unit": "cm"})", R"("threshold": 4, "unit": "cm"})"));
  EXPECT_NE(original.sha256, changed.sha256);
  const pw::Case c = ParseCase(LowRiskCase("4.5"), original);

  const pw::Assessment before = AssessSeed(c, original);
  EXPECT_EQ(before.classification, pw::Classification::kIsolatedDistal);
  EXPECT_EQ(before.strategy, pw::Strategy::kSerialImaging);
  EXPECT_THAT(before.decisive_unknowns, IsEmpty());  // every input is known
  const pw::FeatureResult& length_before = FeatureOf(before, pw::Feature::kLengthOver5cm);
  EXPECT_EQ(length_before.status, pw::FeatureStatus::kAbsent);
  EXPECT_EQ(length_before.threshold, 5);

  const pw::Assessment after = AssessSeed(c, changed);
  EXPECT_EQ(after.strategy, pw::Strategy::kAnticoagulate);
  const pw::FeatureResult& length_after = FeatureOf(after, pw::Feature::kLengthOver5cm);
  EXPECT_EQ(length_after.status, pw::FeatureStatus::kPresent);
  EXPECT_EQ(length_after.threshold, 4);
  // Only the length feature moved: every other feature is absent in both.
  for (const auto& f : after.features) {
    if (f.id == pw::Feature::kLengthOver5cm) continue;
    EXPECT_EQ(f.status, pw::FeatureStatus::kAbsent) << pw::kFeatureNames.Name(f.id);
  }

  // The output is stamped with the knowledge it was computed with.
  const std::string json_before = AssessmentJson(before);
  const std::string json_after = AssessmentJson(after);
  EXPECT_THAT(json_before, ::testing::HasSubstr(R"("sha256":")" + original.sha256 + "\""));
  EXPECT_THAT(json_after, ::testing::HasSubstr(R"("sha256":")" + changed.sha256 + "\""));
  EXPECT_THAT(json_after, ::testing::HasSubstr(R"("strategy":"anticoagulate")"));
}

TEST(KnowledgeIsData, SurveillanceWindowInTheFileChangesTheScanDates) {
  const pw::Knowledge original = LoadOk(Shipped());
  const pw::Knowledge changed =
      LoadOk(Replace(Shipped(), R"({"day": 7, "window_before_days": 2, "window_after_days": 2})",
                     R"({"day": 8, "window_before_days": 1, "window_after_days": 3})"));
  EXPECT_NE(original.sha256, changed.sha256);
  const pw::Case c = ParseCase(LowRiskCase("3"), original);

  const pw::Assessment before = AssessSeed(c, original);
  ASSERT_EQ(before.strategy, pw::Strategy::kSerialImaging);
  ASSERT_TRUE(before.surveillance);
  ASSERT_EQ(before.surveillance->scans.size(), 2u);
  EXPECT_EQ(before.surveillance->scans[0].day, 7);
  EXPECT_EQ(before.surveillance->scans[0].due.ToString(), "2026-11-27");
  EXPECT_EQ(before.surveillance->scans[0].window_start.ToString(), "2026-11-25");
  EXPECT_EQ(before.surveillance->scans[0].window_end.ToString(), "2026-11-29");

  const pw::Assessment after = AssessSeed(c, changed);
  ASSERT_TRUE(after.surveillance);
  ASSERT_EQ(after.surveillance->scans.size(), 2u);
  EXPECT_EQ(after.surveillance->scans[0].day, 8);
  EXPECT_EQ(after.surveillance->scans[0].due.ToString(), "2026-11-28");
  EXPECT_EQ(after.surveillance->scans[0].window_start.ToString(), "2026-11-27");
  EXPECT_EQ(after.surveillance->scans[0].window_end.ToString(), "2026-12-01");
  EXPECT_EQ(after.surveillance->scans[1].due.ToString(), "2026-12-04");  // day 14 unchanged
}

TEST(KnowledgeIsData, ProfileCountedFeaturesInTheFileChangeTheStrategy) {
  const pw::Knowledge original = LoadOk(Shipped());
  // seed001 without recent_surgery in its counted list (the chest list has none to remove).
  const pw::Knowledge changed = LoadOk(Replace(
      Shipped(),
      R"("inpatient_or_recent_hospitalization", "recent_surgery", "severe_symptoms", "covid19"])",
      R"("inpatient_or_recent_hospitalization", "severe_symptoms", "covid19"])"));
  const pw::Case c = ParseCase(LowRiskCase("3", "true"), original);

  const pw::Assessment before = AssessSeed(c, original);
  EXPECT_EQ(before.strategy, pw::Strategy::kAnticoagulate);
  EXPECT_TRUE(FeatureOf(before, pw::Feature::kRecentSurgery).counted);

  const pw::Assessment after = AssessSeed(c, changed);
  EXPECT_EQ(after.strategy, pw::Strategy::kSerialImaging);
  const pw::FeatureResult& surgery = FeatureOf(after, pw::Feature::kRecentSurgery);
  EXPECT_EQ(surgery.status, pw::FeatureStatus::kPresent);
  EXPECT_FALSE(surgery.counted);
}

TEST(KnowledgeIsData, RegimenDurationInTheFileChangesTheStopDate) {
  const pw::Knowledge original = LoadOk(Shipped());
  const pw::Knowledge changed = LoadOk(Replace(Shipped(), R"("isolated_distal_minimum_months": 3)",
                                               R"("isolated_distal_minimum_months": 6)"));
  const pw::Case c = ParseCase(LowRiskCase("6"), original);

  const pw::Assessment before = AssessSeed(c, original);
  ASSERT_EQ(before.strategy, pw::Strategy::kAnticoagulate);
  ASSERT_TRUE(before.regimen);
  EXPECT_EQ(before.regimen->minimum_months, 3);
  ASSERT_TRUE(before.regimen->earliest_stop);
  EXPECT_EQ(before.regimen->earliest_stop->ToString(), "2027-02-21");

  const pw::Assessment after = AssessSeed(c, changed);
  ASSERT_TRUE(after.regimen);
  EXPECT_EQ(after.regimen->minimum_months, 6);
  ASSERT_TRUE(after.regimen->earliest_stop);
  EXPECT_EQ(after.regimen->earliest_stop->ToString(), "2027-05-21");
}

TEST(KnowledgeIsData, BleedingPointsInTheFileChangeCaseValidation) {
  // With anemia worth 2 points, "moderate" no longer agrees with the factor list.
  const pw::Knowledge changed = LoadOk(Replace(Shipped(), R"("anemia": 1,)", R"("anemia": 2,)"));
  const std::string json =
      Replace(LowRiskCase("3"), R"("risk": "low")", R"("risk": "moderate", "factors": ["anemia"])");
  CaseParser parser;
  EXPECT_TRUE(parser.Parse(json, LoadOk(Shipped())).ok());
  auto r = parser.Parse(json, changed);
  ASSERT_FALSE(r.ok());
  EXPECT_THAT(PathRules(r.errors()), ElementsAre(PathRule{"bleeding.risk", "contradiction"}));
}

}  // namespace
}  // namespace calfdvt::formats
