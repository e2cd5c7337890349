// Tests of the calf-squeeze knowledge loader (calfdvt/thrombectomy-knowledge@1): the shipped file
// loads with the values the pure module's tests assume (thrombectomy/test_knowledge.h), is
// embedded byte for byte and stamped with its SHA-256; every load error names the JSON path and
// the rule; the published intervals agree with the exact intervals computed here.
//
// Mutated documents replace one exact, unique substring of the shipped file, read from the source
// tree, so the tests follow the file as it evolves.
#include "formats/thrombectomy_knowledge_json.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <sstream>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "formats/sha256.h"
#include "formats/testing/json_schema_check.h"
#include "thrombectomy/stats.h"
#include "thrombectomy/test_knowledge.h"

namespace calfdvt::formats {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;
namespace th = calfdvt::thrombectomy;

using schema_check::ReadSourceFile;

const std::string& Shipped() {
  static const std::string* text = new std::string(ReadSourceFile("knowledge/calf-squeeze.json"));
  return *text;
}

std::string Replace(std::string_view text, std::string_view from, std::string_view to) {
  const size_t pos = text.find(from);
  EXPECT_NE(pos, std::string_view::npos) << "not found: " << from;
  if (pos == std::string_view::npos) return std::string(text);
  EXPECT_EQ(text.find(from, pos + 1), std::string_view::npos) << "not unique: " << from;
  std::string out(text);
  out.replace(pos, from.size(), to);
  return out;
}

using PathRule = std::pair<std::string, std::string>;
std::vector<PathRule> LoadErrors(std::string_view text) {
  auto r = LoadThrombectomyKnowledge(text);
  if (r.ok()) return {};
  EXPECT_EQ(r.kind(), core::ErrorKind::kInvalidInput);
  std::vector<PathRule> out;
  for (const auto& e : r.errors()) out.emplace_back(e.path, e.rule);
  return out;
}

TEST(ThrombectomyKnowledgeJson, ShippedFileLoadsAndIsEmbeddedByteForByte) {
  auto k = LoadThrombectomyKnowledge(Shipped());
  ASSERT_TRUE(k.ok()) << core::FormatError(k.errors()[0]) << " [" << k.errors()[0].rule << "]";
  EXPECT_EQ(k->id, "calf-squeeze");
  EXPECT_EQ(k->version, "1.0.0");
  EXPECT_EQ(k->sha256, Sha256Hex(Shipped()));
  EXPECT_EQ(EmbeddedThrombectomyKnowledgeBytes(), Shipped());
  auto embedded = LoadEmbeddedThrombectomyKnowledge();
  ASSERT_TRUE(embedded.ok());
  EXPECT_EQ(embedded->sha256, k->sha256);
}

// The pure module's tests run on values built in code; they must be the shipped ones.
TEST(ThrombectomyKnowledgeJson, ShippedValuesEqualTheTestKnowledge) {
  auto loaded = LoadThrombectomyKnowledge(Shipped());
  ASSERT_TRUE(loaded.ok());
  const th::ThrombectomyKnowledge& k = *loaded;
  const th::ThrombectomyKnowledge& t = th::test_support::TestKnowledge();
  EXPECT_EQ(k.eligible_veins, t.eligible_veins);
  EXPECT_EQ(k.vein_levels, t.vein_levels);
  EXPECT_EQ(k.calf_veins, t.calf_veins);
  EXPECT_EQ(k.ignored_veins, t.ignored_veins);
  EXPECT_EQ(k.max_published_squeezes, t.max_published_squeezes);
  EXPECT_EQ(k.grade_ii_min_removal_percent, t.grade_ii_min_removal_percent);
  EXPECT_EQ(k.grade_iii_min_removal_percent, t.grade_iii_min_removal_percent);
  EXPECT_EQ(k.confidence, t.confidence);
  for (size_t i = 0; i < th::kCheckCount; ++i)
    EXPECT_EQ(k.checks[i].severity, t.checks[i].severity) << th::kCheckIdNames.names[i];
  const th::PublishedSeries& p = k.published;
  EXPECT_EQ(p.source, "seed000");
  EXPECT_EQ(p.procedures, 10);
  EXPECT_EQ(p.squeezes_mean, 1.3);
  EXPECT_EQ(p.squeezes_min, 1);
  EXPECT_EQ(p.squeezes_max, 3);
  EXPECT_EQ(p.migration.k, 10);
  EXPECT_EQ(p.recanalization.k, 10);
  EXPECT_EQ(p.recanalization.stated_low, 0.69);
  EXPECT_EQ(p.complications.k, 0);
  EXPECT_EQ(p.complications.stated_high, 0.31);
  std::vector<std::string> ids;
  for (const auto& s : k.sources) ids.push_back(s.id);
  EXPECT_THAT(ids, ElementsAre("seed000", "sir", "chest", "informatics"));
  EXPECT_FALSE(k.FindSource("sir")->to_confirm.empty());
  EXPECT_TRUE(k.FindSource("informatics")->to_confirm.empty());
  // Every check and outcome cites a source; the hard warning is critical.
  for (const auto& c : k.checks) EXPECT_FALSE(c.sources.empty() || c.message.empty() || c.basis.empty());
  for (const auto& o : k.outcomes) EXPECT_FALSE(o.sources.empty() || o.definition.empty());
  EXPECT_EQ(k.Check(th::CheckId::kNoEmbolicProtection).severity, th::Severity::kCritical);
}

// The stated published intervals are the exact 95% intervals of the published counts, rounded.
TEST(ThrombectomyKnowledgeJson, StatedIntervalsAreTheExactIntervals) {
  auto k = LoadThrombectomyKnowledge(Shipped());
  ASSERT_TRUE(k.ok());
  for (const th::PublishedProportion* p : {&k->published.recanalization, &k->published.complications}) {
    auto ci = th::ClopperPearson(p->k, p->n, k->confidence);
    ASSERT_TRUE(ci.ok());
    EXPECT_EQ(std::round(ci->low * 100) / 100, *p->stated_low);
    EXPECT_EQ(std::round(ci->high * 100) / 100, *p->stated_high);
  }
}

TEST(ThrombectomyKnowledgeJson, KnowledgeIsDataNotCode) {
  auto k = LoadThrombectomyKnowledge(
      Replace(Shipped(), R"("max_published": 3)", R"("max_published": 5)"));
  ASSERT_TRUE(k.ok());
  EXPECT_EQ(k->max_published_squeezes, 5);
  EXPECT_NE(k->sha256, Sha256Hex(Shipped()));
}

struct Row {
  const char* name;
  const char* from;
  const char* to;
  const char* path;
  const char* rule;
};
void PrintTo(const Row& row, std::ostream* os) { *os << row.name; }

class KnowledgeRuleTest : public ::testing::TestWithParam<Row> {};

TEST_P(KnowledgeRuleTest, ExactlyOneErrorWithPathAndRule) {
  const Row& row = GetParam();
  const std::string text = Replace(Shipped(), row.from, row.to);
  EXPECT_THAT(LoadErrors(text), ElementsAre(PathRule{row.path, row.rule}));
}

const Row kRows[] = {
    {"format", R"("calfdvt/thrombectomy-knowledge@1")", R"("calfdvt/knowledge@1")", "format", "format"},
    {"unknown_root_key", R"("version": "1.0.0",)", R"("version": "1.0.0", "profile": "x",)", "profile", "unknown_field"},
    {"duplicate_root_key", R"("version": "1.0.0",)", R"("version": "1.0.0", "version": "1.0.1",)", "version", "duplicate_key"},
    {"version_empty", R"("version": "1.0.0")", R"("version": "")", "version", "empty"},
    {"id_missing", R"("id": "calf-squeeze",)", "", "id", "required"},
    {"source_tag", R"("tag": "literature")", R"("tag": "journal")", "sources[1].tag", "enum"},
    {"source_duplicate", R"({"id": "seed000", "tag": "seed000")", R"({"id": "chest", "tag": "chest", "label": "x", "citation": "x"}, {"id": "seed000", "tag": "seed000")", "sources[3].id", "duplicate"},
    {"source_unknown_key", R"("to_confirm": "thrombus removal)", R"("doi": "x", "to_confirm": "thrombus removal)", "sources[1].doi", "unknown_field"},
    {"source_to_confirm_empty", R"x("to_confirm": "year, DOI and outcome definitions of the original paper (clinical-spec §8 open items)")x", R"("to_confirm": "")", "sources[0].to_confirm", "empty"},
    {"eligible_vein_unknown", R"("residual_thrombus_veins": ["popliteal",)", R"("residual_thrombus_veins": ["knee",)", "eligibility.residual_thrombus_veins[0]", "enum"},
    {"eligible_vein_duplicate", R"("residual_thrombus_veins": ["popliteal",)", R"("residual_thrombus_veins": ["soleal",)", "eligibility.residual_thrombus_veins[7]", "duplicate"},
    {"eligible_veins_empty", R"(["popliteal", "anterior_tibial", "posterior_tibial", "peroneal", "tibioperoneal_trunk",
                                "gastrocnemius_medial", "gastrocnemius_lateral", "soleal"])", "[]", "eligibility.residual_thrombus_veins", "empty"},
    {"vein_level_missing", R"("great_saphenous": null, )", "", "eligibility.vein_levels.great_saphenous", "required"},
    {"vein_level_fraction", R"("tibioperoneal_trunk": 1,)", R"("tibioperoneal_trunk": 1.5,)", "eligibility.vein_levels.tibioperoneal_trunk", "range"},
    {"vein_level_type", R"("tibioperoneal_trunk": 1,)", R"("tibioperoneal_trunk": "1",)", "eligibility.vein_levels.tibioperoneal_trunk", "type"},
    {"vein_level_unknown_vein", R"("great_saphenous": null,)", R"("great_saphenous": null, "radial": 1,)", "eligibility.vein_levels.radial", "unknown_field"},
    {"eligible_vein_without_level", R"("popliteal": 2,)", R"("popliteal": null,)", "eligibility.vein_levels.popliteal", "consistency"},
    {"source_reference", R"("max_published": 3, "sources": ["seed000"])", R"("max_published": 3, "sources": ["seed000", "cactus"])", "squeezes.sources[1]", "reference"},
    {"source_list_duplicate", R"("max_published": 3, "sources": ["seed000"])", R"("max_published": 3, "sources": ["seed000", "seed000"])", "squeezes.sources[1]", "duplicate"},
    {"source_list_empty", R"("max_published": 3, "sources": ["seed000"])", R"("max_published": 3, "sources": [])", "squeezes.sources", "no_source"},
    {"calf_vein_also_ignored", R"("ignored_veins": ["great_saphenous", "small_saphenous"])", R"("ignored_veins": ["great_saphenous", "soleal"])", "isolated_calf_dvt.ignored_veins", "consistency"},
    {"max_published_zero", R"("max_published": 3)", R"("max_published": 0)", "squeezes.max_published", "range"},
    {"max_published_fraction", R"("max_published": 3)", R"("max_published": 2.5)", "squeezes.max_published", "range"},
    {"grade_order", R"("grade_ii_min_removal_percent": 50)", R"("grade_ii_min_removal_percent": 100)", "removal_grades.grade_ii_min_removal_percent", "range"},
    {"grade_iii_not_above_ii", R"("grade_iii_min_removal_percent": 100)", R"("grade_iii_min_removal_percent": 40)", "removal_grades.grade_iii_min_removal_percent", "order"},
    {"grade_iii_above_100", R"("grade_iii_min_removal_percent": 100)", R"("grade_iii_min_removal_percent": 101)", "removal_grades.grade_iii_min_removal_percent", "range"},
    {"confidence_one", R"("confidence": 0.95)", R"("confidence": 1)", "statistics.confidence", "range"},
    {"outcome_label_type", R"("label": "Squeezes per procedure")", R"("label": 1)", "outcomes.squeeze_count.label", "type"},
    {"outcome_definition_missing", R"("definition": "Antegrade flow restored and thrombus removal grade II or III.",)", "", "outcomes.recanalization.definition", "required"},
    {"check_severity", R"("no_embolic_protection": {"severity": "critical")", R"("no_embolic_protection": {"severity": "hard")", "checks.no_embolic_protection.severity", "enum"},
    {"check_message_empty", R"("message": "More squeezes than in the published experience (range 1-3 per procedure): there are no outcome or safety data beyond it.")", R"("message": "")", "checks.squeezes_beyond_published.message", "empty"},
    {"check_unknown_key", R"("squeeze_without_aspiration": {"severity": "warning",)", R"("squeeze_without_aspiration": {"severity": "warning", "rule": "R1",)", "checks.squeeze_without_aspiration.rule", "unknown_field"},
    {"published_source", R"("source": "seed000",)", R"("source": "lee",)", "published_series.source", "reference"},
    {"published_k_above_n", R"("migration": {"k": 10, "n": 10})", R"("migration": {"k": 11, "n": 10})", "published_series.migration.k", "range"},
    {"published_n_zero", R"("migration": {"k": 10, "n": 10})", R"("migration": {"k": 0, "n": 0})", "published_series.migration.n", "range"},
    {"published_n_above_procedures", R"("migration": {"k": 10, "n": 10})", R"("migration": {"k": 10, "n": 12})", "published_series.migration.n", "range"},
    {"published_ci_alone", R"("ci_low": 0.69, "ci_high": 1.0)", R"("ci_low": 0.69)", "published_series.recanalization.ci_high", "required"},
    {"published_ci_order", R"("ci_low": 0.69, "ci_high": 1.0)", R"("ci_low": 0.69, "ci_high": 0.5)", "published_series.recanalization.ci_high", "order"},
    {"published_ci_range", R"("ci_low": 0.69, "ci_high": 1.0)", R"("ci_low": 0.69, "ci_high": 1.5)", "published_series.recanalization.ci_high", "range"},
    {"published_mean_outside_range", R"("mean": 1.3)", R"("mean": 3.5)", "published_series.squeezes.mean", "range"},
    {"published_min_above_max", R"("min": 1, "max": 3)", R"("min": 4, "max": 3)", "published_series.squeezes.max", "order"},
};

INSTANTIATE_TEST_SUITE_P(Rules, KnowledgeRuleTest, ::testing::ValuesIn(kRows),
                         [](const auto& info) { return std::string(info.param.name); });

TEST(ThrombectomyKnowledgeJson, EveryCheckAndOutcomeIsRequired) {
  EXPECT_THAT(LoadErrors(Replace(Shipped(), R"("squeeze_count": {"label")", R"("squeeze_counts": {"label")")),
              ElementsAre(PathRule{"outcomes.squeeze_counts", "unknown_field"},
                          PathRule{"outcomes.squeeze_count", "required"}));
  EXPECT_THAT(LoadErrors(Replace(Shipped(), R"("no_embolic_protection": {)", R"("no_filter": {)")),
              ElementsAre(PathRule{"checks.no_filter", "unknown_field"},
                          PathRule{"checks.no_embolic_protection", "required"}));
}

TEST(ThrombectomyKnowledgeJson, MalformedAndWrongShapes) {
  EXPECT_THAT(LoadErrors("{"), ElementsAre(PathRule{"", "malformed_json"}));
  EXPECT_THAT(LoadErrors("[]"), ElementsAre(PathRule{"$", "type"}));
  const auto errors = LoadErrors("{}");
  EXPECT_EQ(errors.size(), 13u);  // every required top-level key
  for (const auto& e : errors) EXPECT_EQ(e.second, "required") << e.first;
}

}  // namespace
}  // namespace calfdvt::formats
