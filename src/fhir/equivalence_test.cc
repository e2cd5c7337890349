// Issue 6 "done when": a bundle exported from an EHR assesses the same as the equivalent native
// case. For each pair the two calfdvt/assessment@1 documents must be byte-identical (same
// strategy, features, alerts, regimen, surveillance, unknowns, trace), the case id aside.
#include <gtest/gtest.h>

#include "fhir/code_map.h"
#include "fhir/record.h"
#include "fhir/test_util.h"
#include "formats/assessment_json.h"
#include "formats/case_json.h"
#include "pathway/engine.h"
#include "pathway/validate.h"

namespace calfdvt::fhir {
namespace {

using testing::ReadSource;
using testing::ShippedKnowledge;

struct Pair {
  const char* bundle;
  const char* native;
};

class Equivalence : public ::testing::TestWithParam<Pair> {};

TEST_P(Equivalence, SameAssessmentUnderEveryProfile) {
  const auto& k = ShippedKnowledge();
  formats::CaseParser parser;
  auto native = parser.Parse(ReadSource(GetParam().native), k);
  ASSERT_TRUE(native.ok()) << core::FormatError(native.errors().front());
  auto mapped = MapBundle(ReadSource(GetParam().bundle), DefaultCodeMap(), native->as_of);
  ASSERT_TRUE(mapped.ok()) << core::FormatError(mapped.errors().front());
  MappedCase m = mapped.value();
  ApplyBleedingFactors(m, k);
  ASSERT_TRUE(m.usable);
  m.c.id = native->id;
  EXPECT_TRUE(pathway::CheckCase(m.c, k).empty());
  for (const auto& profile : k.profiles) {
    const std::string want = formats::AssessmentJson(pathway::Assess(*native, k, profile));
    const std::string got = formats::AssessmentJson(pathway::Assess(m.c, k, profile));
    EXPECT_EQ(got, want) << "profile " << profile.id;
  }
}

INSTANTIATE_TEST_SUITE_P(
    Examples, Equivalence,
    ::testing::Values(
        Pair{"examples/fhir/gastrocnemius-low-risk.json", "examples/gastrocnemius-low-risk.json"},
        Pair{"examples/fhir/cancer-ddu.json", "tests/fhir/cases/cancer-ddu.json"},
        Pair{"examples/fhir/pregnancy-lmwh.json", "examples/pregnancy-lmwh.json"},
        Pair{"examples/fhir/proximal-extension.json", "examples/proximal-extension.json"},
        Pair{"examples/fhir/proximal-condition.json", "tests/fhir/cases/proximal-condition.json"},
        Pair{"examples/fhir/limited-protocol.json", "examples/limited-protocol.json"},
        Pair{"examples/fhir/unknowns.json", "examples/unknowns.json"}),
    [](const auto& info) {
      std::string name = info.param.bundle;
      name = name.substr(name.rfind('/') + 1);
      name = name.substr(0, name.find('.'));
      for (char& ch : name)
        if (ch == '-') ch = '_';
      return name;
    });

}  // namespace
}  // namespace calfdvt::fhir
