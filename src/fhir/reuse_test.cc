// The reuse and arithmetic of the read path: TextArena::Reset, PatientRecord::Clear (one record
// per thread across CDS calls maps exactly as a fresh record), Clean without log10/pow, the
// inline CodeEntry::Matches and RefId keep their former results.
#include <gtest/gtest.h>
#include <simdjson.h>

#include <cmath>
#include <cstring>
#include <random>
#include <string>
#include <vector>

#include "fhir/code_map.h"
#include "fhir/mapper.h"
#include "fhir/record.h"
#include "fhir/resource.h"
#include "fhir/test_util.h"
#include "fhir/text_arena.h"
#include "formats/assessment_json.h"
#include "pathway/engine.h"
#include "pathway/validate.h"

namespace calfdvt::fhir {
namespace {

using namespace testing;  // NOLINT: the helpers of fhir/test_util.h

TEST(TextArena, ResetReusesChunksAndNewViewsAreValid) {
  internal::TextArena arena;
  arena.Copy(std::string(9000, 'x'));  // an oversized chunk first
  for (int i = 0; i < 1000; ++i) arena.Copy("first-round-" + std::to_string(i));
  std::vector<size_t> capacity;
  for (int round = 0; round < 6; ++round) {
    arena.Reset();
    std::vector<std::string> expected;
    std::vector<std::string_view> views;
    for (int i = 0; i < 1000; ++i) {
      expected.push_back("round-" + std::to_string(round) + "-" + std::to_string(i));
      views.push_back(arena.Copy(expected.back()));
      if (i == 500) {
        std::span<int64_t> numbers = arena.Array<int64_t>(100);
        for (size_t j = 0; j < numbers.size(); ++j) EXPECT_EQ(numbers[j], 0) << "value-initialised";
      }
    }
    const std::string big(9000, static_cast<char>('a' + round));
    const std::string_view big_view = arena.Copy(big);
    for (size_t i = 0; i < views.size(); ++i) ASSERT_EQ(views[i], expected[i]);
    EXPECT_EQ(big_view, big);
    capacity.push_back(arena.Capacity());
  }
  // Once warmed up by the same use, Reset-and-reuse allocates no chunk.
  EXPECT_EQ(capacity[3], capacity[2]);
  EXPECT_EQ(capacity[5], capacity[2]);
  arena.Reset();
  const std::string huge(40000, 'h');  // larger than every kept chunk: a new one, kept after
  EXPECT_EQ(arena.Copy(huge), huge);
  EXPECT_EQ(arena.Copy("after"), "after");
  EXPECT_GT(arena.Capacity(), capacity[5]);
}

TEST(TextArena, ResetOfAnEmptyArena) {
  internal::TextArena arena;
  arena.Reset();
  EXPECT_EQ(arena.Copy("x"), "x");
}

// Everything ToCase gives, and the assessment it leads to, as text.
std::string Summary(const MappedCase& in) {
  MappedCase m = in;
  ApplyBleedingFactors(m, ShippedKnowledge());
  std::string s = m.patient_id + (m.usable ? " usable " : " unusable ") + m.code_map_version + "\n";
  for (const auto& u : m.unmapped)
    s += u.resource + " " + u.path + " [" + u.field + "] " + u.reason + "\n";
  const auto& c = m.care;
  s += std::to_string(c.distal_dvt) + std::to_string(c.proximal_dvt) +
       (c.dvt_onset ? c.dvt_onset->ToString() : "-") + std::to_string(c.anticoagulant_active) +
       std::to_string(c.anticoagulant_draft) + std::to_string(c.calf_veins_assessed) +
       std::to_string(c.limited_scan_only) + "\n";
  for (const auto* list : {&c.followups, &c.draft_followups})
    for (const auto& f : *list)
      s += f.id + (f.due ? f.due->ToString() : "-") + std::to_string(f.completed) + "\n";
  for (auto f : m.bleeding_factors_found) s += std::to_string(static_cast<int>(f)) + ",";
  const auto& k = ShippedKnowledge();
  if (m.usable && pathway::CheckCase(m.c, k).empty())
    s += formats::AssessmentJson(pathway::Assess(m.c, k, k.profiles.front()));
  return s;
}

// Adds every entry.resource of a Bundle file to `record` (as the CDS service adds a prefetch).
void AddBundle(PatientRecord& record, const std::string& rel) {
  simdjson::dom::parser parser;
  const std::string text = ReadSource(rel);
  simdjson::dom::element root = parser.parse(text);
  for (simdjson::dom::element e : root["entry"].get_array()) {
    simdjson::dom::element r;
    if (e["resource"].get(r) == simdjson::SUCCESS) {
      ASSERT_TRUE(record.AddParsed(r).ok());
    }
  }
}

TEST(PatientRecord, ClearedRecordMapsAsAFreshOne) {
  const std::vector<std::string> bundles = {
      "examples/fhir/gastrocnemius-low-risk.json", "examples/fhir/cancer-ddu.json",
      "examples/fhir/pregnancy-lmwh.json",         "examples/fhir/proximal-extension.json",
      "examples/fhir/proximal-condition.json",     "examples/fhir/limited-protocol.json",
      "examples/fhir/unknowns.json"};
  PatientRecord reused(DefaultCodeMap());
  // Twice round, so every bundle follows another patient's (and its own) data in the record.
  for (int round = 0; round < 2; ++round)
    for (const auto& b : bundles) {
      SCOPED_TRACE(b);
      PatientRecord fresh(DefaultCodeMap());
      AddBundle(fresh, b);
      reused.Clear();
      AddBundle(reused, b);
      const std::string want = Summary(fresh.ToCase(kAsOf));
      EXPECT_EQ(Summary(reused.ToCase(kAsOf)), want);
      EXPECT_NE(want.find("usable"), std::string::npos);
    }
}

TEST(PatientRecord, ClearForgetsPatientResourcesAndNotes) {
  PatientRecord r(DefaultCodeMap());
  ASSERT_TRUE(r.Add(Patient()).ok());
  // Another patient's resource: skipped and noted.
  ASSERT_TRUE(r.Add(R"({"resourceType":"Condition","id":"c9","subject":{"reference":"Patient/other"}})")
                  .ok());
  const MappedCase before = r.ToCase(kAsOf);
  EXPECT_EQ(before.patient_id, "p1");
  ASSERT_FALSE(before.unmapped.empty());
  EXPECT_EQ(before.unmapped.front().resource, "Condition/c9");
  r.Clear();
  const MappedCase empty = r.ToCase(kAsOf);
  PatientRecord fresh(DefaultCodeMap());
  EXPECT_EQ(Summary(empty), Summary(fresh.ToCase(kAsOf)));
  EXPECT_EQ(empty.patient_id, "");
  // The other patient is now the first one seen: its resources are used.
  ASSERT_TRUE(r.Add(R"({"resourceType":"Patient","id":"other","gender":"male"})").ok());
  const MappedCase other = r.ToCase(kAsOf);
  EXPECT_EQ(other.patient_id, "other");
  EXPECT_EQ(other.c.patient.sex, pathway::Sex::kMale);
  // A case returned before Clear() owns its data.
  EXPECT_EQ(before.unmapped.front().resource, "Condition/c9");
}

// The formula Clean replaced, kept here as the reference.
double CleanReference(double v) {
  if (v == 0) return 0;
  const double scale = std::pow(10.0, 9 - std::ceil(std::log10(std::fabs(v))));
  return std::round(v * scale) / scale;
}

void ExpectSameBits(double v) {
  const double got = internal::Clean(v), want = CleanReference(v);
  EXPECT_EQ(std::memcmp(&got, &want, sizeof got), 0) << "Clean(" << v << ") = " << got
                                                     << ", reference " << want;
}

TEST(Clean, BitIdenticalToTheLog10PowFormula) {
  for (double v : {0.0, -0.0, 1.0, -1.0, 0.1, 0.3, 2.54, 3.0 * 2.54, 1e-9, 1e9, 1e20, 1e-20,
                   1.0000001e20, 0.99999e-20, 1e21, 1e-21, 1e300, 1e-300, 5e-324,
                   std::numeric_limits<double>::infinity(),
                   -std::numeric_limits<double>::infinity()})
    ExpectSameBits(v);
  EXPECT_TRUE(std::isnan(internal::Clean(std::nan(""))));
  // Powers of ten and their neighbours, where ceil(log10) changes.
  for (int e = -25; e <= 25; ++e) {
    const double p = std::pow(10.0, e);
    double x = p;
    for (int i = 0; i < 20; ++i) x = std::nextafter(x, 0.0);
    for (int i = 0; i < 40; ++i, x = std::nextafter(x, 1e308)) {
      ExpectSameBits(x);
      ExpectSameBits(-x);
    }
    for (double r : {1 + 1e-6, 1 - 1e-6, 1 + 2e-6, 1 - 2e-6, 1 + 1e-7, 1 - 1e-7})
      ExpectSameBits(p * r);
  }
  // Unit conversions as the mapper does them, and random magnitudes.
  for (double factor : {1.0, 10.0, 0.1, 2.54, 1000.0, 0.001, 2.0})
    for (int i = 1; i <= 2000; ++i) ExpectSameBits(i * 0.01 * factor);
  std::mt19937_64 rng(7);
  std::uniform_real_distribution<double> exponent(-22, 22), mantissa(1, 10);
  for (int i = 0; i < 200000; ++i) ExpectSameBits(mantissa(rng) * std::pow(10.0, exponent(rng)));
}

TEST(CodeEntry, InlineMatchesAgreesWithTheNormalisedComparison) {
  const auto& m = DefaultCodeMap();
  std::vector<const CodeEntry*> entries;
  for (const auto& e : m.conditions) entries.push_back(&e);
  for (const auto& e : m.attestations) entries.push_back(&e);
  for (const auto& e : m.reports) entries.push_back(&e);
  for (const auto& e : m.veins) entries.push_back(&e);
  for (const auto& e : m.observations) entries.push_back(&e);
  std::vector<std::pair<std::string, std::string>> probes;
  for (const CodeEntry* e : entries) {
    probes.emplace_back(e->system, e->code);
    probes.emplace_back(e->system, e->code + "0");
    probes.emplace_back(e->system, e->code.substr(0, e->code.size() / 2));
    probes.emplace_back(e->system + "x", e->code);
    std::string other = e->system;
    other.back() = other.back() == 'a' ? 'b' : 'a';  // same length, another system
    probes.emplace_back(other, e->code);
  }
  probes.emplace_back(std::string(kIcd10CmSystem), "i82.442");
  probes.emplace_back(std::string(kIcd10CmSystem), "C50.911");
  probes.emplace_back("", "");
  for (const CodeEntry* e : entries)
    for (const auto& [sys, code] : probes)
      EXPECT_EQ(e->Matches(sys, code),
                sys.size() == e->system.size() && e->MatchesNormalised(sys, code))
          << e->system << "|" << e->code << " vs " << sys << "|" << code;
}

TEST(RefId, LocalAbsoluteVersionedAndOtherTypes) {
  using internal::RefId;
  EXPECT_EQ(RefId("Patient/x", "Patient"), "x");
  EXPECT_EQ(RefId("Patient/x/_history/3", "Patient"), "x");
  EXPECT_EQ(RefId("https://h/fhir/Patient/x", "Patient"), "x");
  EXPECT_EQ(RefId("https://h/Patient/fhir/Patient/y", "Patient"), "y");
  EXPECT_EQ(RefId("https://h/fhir/Patient/x/_history/1", "Patient"), "x");
  EXPECT_EQ(RefId("Patient/", "Patient"), "");
  EXPECT_EQ(RefId("Patient", "Patient"), "");
  EXPECT_EQ(RefId("Patient/a/b", "Patient"), "");
  EXPECT_EQ(RefId("Group/x", "Patient"), "");
  EXPECT_EQ(RefId("XPatient/x", "Patient"), "");
  EXPECT_EQ(RefId("/Patient/x", "Patient"), "x");
  EXPECT_EQ(RefId("a/Patient/", "Patient"), "");
  EXPECT_EQ(RefId("", "Patient"), "");
  EXPECT_EQ(RefId("Observation/o1", "Observation"), "o1");
  EXPECT_EQ(RefId("Medication/m", "Patient"), "");
}

}  // namespace
}  // namespace calfdvt::fhir
