// Golden clinical cases (tests/golden/README.md), run through the real pipeline:
//   formats::CaseParser::Parse(json, knowledge) -> pathway::Assess -> formats::AssessmentJson,
// then the output is compared with the case's partial expectation. One test per file, named after
// its id. GoldenCoverage fails when a rule, alert code, feature or profile has no golden case.
#include <gtest/gtest.h>
#include <simdjson.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "formats/assessment_json.h"
#include "formats/case_json.h"
#include "formats/knowledge_json.h"
#include "pathway/engine.h"
#include "pathway/vocabulary.h"
#include "tests/golden/golden_file.h"
#include "tests/golden/golden_match.h"

#ifndef CALFDVT_GOLDEN_DIR
#error "CALFDVT_GOLDEN_DIR must name the tests/golden source directory"
#endif

namespace calfdvt::golden {
namespace {

using simdjson::dom::element;

std::string CasesDir() { return std::string(CALFDVT_GOLDEN_DIR) + "/cases"; }
std::string InvalidDir() { return std::string(CALFDVT_GOLDEN_DIR) + "/invalid"; }

// Alert codes the assessment cannot emit: extension_detected belongs to surveillance episodes
// (clinical-spec §6), not to `assess`.
constexpr std::array<std::string_view, 1> kNotFromAssess = {"extension_detected"};
// Sub-rules of R5 that need their own cases besides R1..R9 from the knowledge file.
constexpr std::array<std::string_view, 3> kSubRules = {"R5.1", "R5.2", "R5.3"};

// The embedded knowledge file, loaded once. A load failure is a build defect.
const pathway::Knowledge& Knowledge() {
  static const pathway::Knowledge* const k = [] {
    auto r = formats::LoadEmbeddedKnowledge();
    if (!r.ok()) {
      for (const auto& e : r.errors()) std::fprintf(stderr, "%s\n", core::FormatError(e).c_str());
      std::abort();
    }
    return new pathway::Knowledge(std::move(r).value());
  }();
  return *k;
}

std::string ErrorList(const core::Errors& errors) {
  std::string s;
  for (const auto& e : errors) s += "    " + e.path + " [" + e.rule + "] " + e.message + "\n";
  return s;
}

std::string TestName(const testing::TestParamInfo<GoldenFile>& info) {
  std::string name = info.param.name;
  for (char& c : name)
    if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
  return name;
}

class GoldenValid : public testing::TestWithParam<GoldenFile> {};
class GoldenInvalid : public testing::TestWithParam<GoldenFile> {};

TEST_P(GoldenValid, MatchesExpectation) {
  GoldenCase g;
  g.Load(GetParam(), GoldenKind::kValid);
  ASSERT_TRUE(g.problems().empty()) << testing::PrintToString(g.problems());
  const pathway::ProfileDef* profile = Knowledge().FindProfile(g.profile());
  ASSERT_NE(profile, nullptr) << g.id() << ": unknown profile " << g.profile();

  formats::CaseParser parser;
  auto c = parser.Parse(g.case_text(), Knowledge());
  ASSERT_TRUE(c.ok()) << g.Header() << "\n  the case was rejected:\n" << ErrorList(c.errors());
  const std::string json = formats::AssessmentJson(pathway::Assess(*c, Knowledge(), *profile));

  simdjson::dom::parser out_parser;
  element actual;
  ASSERT_EQ(out_parser.parse(json).get(actual), simdjson::SUCCESS) << "unparsable output: " << json;
  std::vector<Mismatch> diffs;
  if (g.expect()) Match(*g.expect(), actual, "", diffs);
  if (g.expect_features()) MatchFeatures(*g.expect_features(), actual, diffs);
  if (g.expect_alert_codes()) MatchAlertCodes(*g.expect_alert_codes(), actual, diffs);
  EXPECT_TRUE(diffs.empty()) << g.Header() << "\n" << Describe(g.id(), diffs);
}

TEST_P(GoldenInvalid, IsRejectedWithErrors) {
  GoldenCase g;
  g.Load(GetParam(), GoldenKind::kInvalid);
  ASSERT_TRUE(g.problems().empty()) << testing::PrintToString(g.problems());
  formats::CaseParser parser;
  auto c = parser.Parse(g.case_text(), Knowledge());
  ASSERT_FALSE(c.ok()) << g.Header() << "\n  the case was accepted";
  for (element want : simdjson::dom::array(*g.expect_errors())) {
    std::string_view path, rule;
    ASSERT_EQ(want["path"].get(path), simdjson::SUCCESS) << g.id() << ": expect_errors[].path";
    ASSERT_EQ(want["rule"].get(rule), simdjson::SUCCESS) << g.id() << ": expect_errors[].rule";
    const bool found = std::any_of(c.errors().begin(), c.errors().end(), [&](const core::Error& e) {
      return e.path == path && e.rule == rule;
    });
    EXPECT_TRUE(found) << g.Header() << "\n  missing error at path \"" << path << "\" rule \""
                       << rule << "\"; actual errors:\n"
                       << ErrorList(c.errors());
  }
}

INSTANTIATE_TEST_SUITE_P(Cases, GoldenValid, testing::ValuesIn(ListGoldenFiles(CasesDir())),
                         TestName);
INSTANTIATE_TEST_SUITE_P(Cases, GoldenInvalid, testing::ValuesIn(ListGoldenFiles(InvalidDir())),
                         TestName);
GTEST_ALLOW_UNINSTANTIATED_PARAMETERIZED_TEST(GoldenValid);
GTEST_ALLOW_UNINSTANTIATED_PARAMETERIZED_TEST(GoldenInvalid);

// What the valid cases reference, for the completeness check.
struct Coverage {
  std::set<std::string> rules;                            // "rule" fields
  std::set<std::string> alerts;                           // codes in expect_alert_codes
  std::map<std::string, std::set<std::string>> features;  // id -> asserted statuses
  std::set<std::string> profiles;
  std::vector<std::string> problems;
};

Coverage Collect() {
  Coverage cov;
  for (const GoldenFile& f : ListGoldenFiles(CasesDir())) {
    GoldenCase g;
    g.Load(f, GoldenKind::kValid);
    for (const auto& p : g.problems()) cov.problems.push_back(p);
    if (!g.problems().empty()) continue;
    cov.rules.insert(g.rule());
    cov.profiles.insert(g.profile());
    if (g.expect_alert_codes()) {
      for (element e : simdjson::dom::array(*g.expect_alert_codes())) {
        std::string_view code;
        if (e.get(code) == simdjson::SUCCESS) cov.alerts.emplace(code);
      }
    }
    if (g.expect_features()) {
      for (auto [id, want] : simdjson::dom::object(*g.expect_features())) {
        std::string_view status;
        if (want.get(status) == simdjson::SUCCESS ||
            want["status"].get(status) == simdjson::SUCCESS)
          cov.features[std::string(id)].emplace(status);
      }
    }
  }
  return cov;
}

// A rule is covered by a case filed under it or under one of its sub-rules ("R5" by "R5.2").
bool RuleCovered(const Coverage& cov, std::string_view id) {
  return std::any_of(cov.rules.begin(), cov.rules.end(), [&](const std::string& r) {
    return r == id || (r.size() > id.size() && r.starts_with(id) && r[id.size()] == '.');
  });
}

TEST(GoldenCoverage, EveryRuleAlertFeatureAndProfileHasACase) {
  const Coverage cov = Collect();
  EXPECT_TRUE(cov.problems.empty()) << testing::PrintToString(cov.problems);
  std::vector<std::string> missing;
  for (const auto& r : Knowledge().rules)
    if (!RuleCovered(cov, r.id)) missing.push_back("rule " + r.id);
  for (std::string_view r : kSubRules)
    if (!RuleCovered(cov, r)) missing.push_back("rule " + std::string(r));
  for (size_t i = 0; i < pathway::kAlertCodeCount; ++i) {
    const std::string code(pathway::kAlertCodeNames.Name(static_cast<pathway::AlertCode>(i)));
    const bool exempt =
        std::find(kNotFromAssess.begin(), kNotFromAssess.end(), code) != kNotFromAssess.end();
    if (!exempt && !cov.alerts.contains(code))
      missing.push_back("alert " + code + " (in some expect_alert_codes)");
  }
  for (size_t i = 0; i < pathway::kFeatureCount; ++i) {
    const std::string id(pathway::kFeatureNames.Name(static_cast<pathway::Feature>(i)));
    const auto it = cov.features.find(id);
    for (const char* status : {"present", "absent"})
      if (it == cov.features.end() || !it->second.contains(status))
        missing.push_back("feature " + id + " " + status + " (in some expect_features)");
  }
  for (const auto& p : Knowledge().profiles)
    if (!cov.profiles.contains(p.id)) missing.push_back("profile " + p.id);
  EXPECT_TRUE(missing.empty()) << "golden cases missing for:\n  "
                               << testing::PrintToString(missing);
}

TEST(GoldenCoverage, InvalidCasesExist) {
  EXPECT_FALSE(ListGoldenFiles(InvalidDir()).empty()) << InvalidDir();
}

}  // namespace
}  // namespace calfdvt::golden
