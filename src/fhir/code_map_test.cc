// knowledge/fhir-map.json: the strict loader, code matching, and every entry of every code list
// exercised through the mapping (each must have an effect on the case, the care facts, the bleeding
// factors or the report).
#include "fhir/code_map.h"

#include <gtest/gtest.h>

#include "fhir/record.h"
#include "fhir/test_util.h"

namespace calfdvt::fhir {
namespace {

using namespace testing;  // NOLINT: the helpers of fhir/test_util.h

TEST(CodeMap, EmbeddedFileLoadsAndIsTheShippedFile) {
  const CodeMap& m = DefaultCodeMap();
  EXPECT_EQ(m.id, "fhir-map");
  EXPECT_FALSE(m.version.empty());
  EXPECT_EQ(m.sha256.size(), 64u);
  EXPECT_EQ(std::string(EmbeddedCodeMapBytes()), ReadSource("knowledge/fhir-map.json"));
  EXPECT_EQ(m.calfdvt_system, "https://calfdvt.org/fhir/CodeSystem/calfdvt");
}

core::Error LoadError(const std::string& from, const std::string& to) {
  std::string text = ReadSource("knowledge/fhir-map.json");
  const auto pos = text.find(from);
  EXPECT_NE(pos, std::string::npos) << from;
  text.replace(pos, from.size(), to);
  auto r = LoadCodeMap(text);
  EXPECT_FALSE(r.ok());
  return r.ok() ? core::Error{} : r.errors().front();
}

TEST(CodeMap, StrictLoaderNamesPathAndRule) {
  auto e = LoadError(R"("id": "fhir-map",)", R"("id": "fhir-map", "extra": 1,)");
  EXPECT_EQ(e.path, "extra");
  EXPECT_EQ(e.rule, "unknown_field");
  e = LoadError(R"("d_dimer_days": 7)", R"("d_dimer_days": "7")");
  EXPECT_EQ(e.path, "windows.d_dimer_days");
  EXPECT_EQ(e.rule, "type");
  e = LoadError(R"("meaning": "distal_dvt", "display": "Acute DVT of tibial vein")",
                R"("meaning": "calf_dvt", "display": "Acute DVT of tibial vein")");
  EXPECT_EQ(e.path, "conditions[0].meaning");
  EXPECT_EQ(e.rule, "enum");
  e = LoadError(R"("code": "I82.45", "match": "prefix")", R"("code": "I82.44", "match": "prefix")");
  EXPECT_EQ(e.rule, "duplicate");
  e = LoadError(R"("code": "C00", "to": "C96")", R"("code": "C00")");
  EXPECT_EQ(e.path, "conditions[16].to");
  e = LoadError(
      R"("vein": "popliteal", "side_from_last_character": true, "display": "Acute DVT of popliteal vein")",
      R"("side_from_last_character": true, "display": "Acute DVT of popliteal vein")");
  EXPECT_EQ(e.rule, "required");
  e = LoadError(R"("field": "history.stroke")", R"("field": "history.strokes")");
  EXPECT_EQ(e.rule, "enum");
  e = LoadError(R"({"unit": "cm", "factor": 1})", R"({"unit": "cm", "factor": 0})");
  EXPECT_EQ(e.rule, "range");
  e = LoadError(R"("vein": "soleal", "display": "Soleal vein"})",
                R"("vein": "soleal", "note": 3})");
  EXPECT_EQ(e.rule, "type");
  e = LoadError(R"("format": "calfdvt/fhir-map@1")", R"("format": "calfdvt/fhir-map@2")");
  EXPECT_EQ(e.path, "format");
  EXPECT_EQ(LoadCodeMap("{").errors().front().rule, "malformed_json");
}

TEST(CodeMap, MatchingIcdDotsPrefixesAndRanges) {
  const CodeMap& m = DefaultCodeMap();
  auto first = [&](const std::string& code) -> const ConditionEntry* {
    return FindCode(m.conditions, std::string(kIcd10CmSystem), code);
  };
  ASSERT_TRUE(first("I82442"));
  EXPECT_EQ(first("I82442")->meaning, ConditionMeaning::kDistalDvt);
  EXPECT_EQ(first("i82.4z2")->meaning, ConditionMeaning::kDistalDvt);
  EXPECT_EQ(first("I82.512")->meaning, ConditionMeaning::kChronicDvt);
  EXPECT_EQ(first("C50.912")->meaning, ConditionMeaning::kActiveCancer);
  EXPECT_EQ(first("C7A.00")->meaning, ConditionMeaning::kActiveCancer);
  EXPECT_EQ(first("C96.9")->meaning, ConditionMeaning::kActiveCancer);
  EXPECT_EQ(first("Z85.3")->meaning, ConditionMeaning::kCancerHistory);
  EXPECT_FALSE(first("D05.10"));
  EXPECT_FALSE(first("C97"));
  EXPECT_FALSE(FindCode(m.conditions, "http://snomed.info/sct", "I82.44"));
}

// A code that matches `e` (the code itself; a range's start).
std::string Sample(const CodeEntry& e) {
  if (e.system == kIcd10CmSystem && e.match != CodeEntry::Match::kExact) return e.code + "1";
  return e.code;
}

bool Affects(const MappedCase& m) {
  const auto& c = m.c;
  const auto& h = c.history;
  return h.active_cancer || h.prior_vte || h.covid19 || h.end_stage_renal_disease || h.stroke ||
         c.patient.pregnancy || c.patient.severe_liver_disease ||
         c.patient.antiphospholipid_syndrome || m.care.distal_dvt || m.care.proximal_dvt ||
         !m.bleeding_factors_found.empty() ||
         m.unmapped.size() > 4;  // beyond the four "no standard code" field reports
}

TEST(CodeMapEntries, EveryConditionEntryHasAnEffect) {
  const CodeMap& m = DefaultCodeMap();
  for (size_t i = 0; i < m.conditions.size(); ++i) {
    const auto& e = m.conditions[i];
    auto r = MapBundle(
        Bundle({Patient("1990-01-01"), StandardStudy(), Condition("c", e.system, Sample(e))}), m,
        kAsOf);
    ASSERT_TRUE(r.ok());
    EXPECT_TRUE(Affects(*r)) << "conditions[" << i << "] " << e.code;
  }
}

TEST(CodeMapEntries, EveryVeinEntryPlacesItsVein) {
  const CodeMap& m = DefaultCodeMap();
  for (const auto& e : m.veins) {
    auto r = MapBundle(Bundle({Patient(), Finding("f1", e.system, e.code),
                               Report("r1", "whole-leg-duplex", Ref("f1"))}),
                       m, kAsOf);
    ASSERT_TRUE(r.ok() && r->c.imaging.thrombi && r->c.imaging.thrombi->size() == 1) << e.code;
    EXPECT_EQ(r->c.imaging.thrombi->front().vein, e.vein) << e.code;
  }
}

TEST(CodeMapEntries, EveryReportEntryIsRecognised) {
  const CodeMap& m = DefaultCodeMap();
  for (const auto& e : m.reports) {
    const std::string report =
        R"({"resourceType":"DiagnosticReport","id":"r","status":"final","effectiveDateTime":"2026-11-20",
      "subject":{"reference":"Patient/p1"},"code":)" +
        Coding(e.system, e.code) + "}";
    auto r = MapBundle(Bundle({Patient(), report}), m, kAsOf);
    ASSERT_TRUE(r.ok());
    EXPECT_EQ(r->c.imaging.date.ToString(), "2026-11-20") << e.code;
    EXPECT_EQ(r->usable, e.protocol.has_value()) << e.code;
    if (e.side) {
      EXPECT_EQ(r->c.imaging.side, e.side) << e.code;
    }
  }
}

TEST(CodeMapEntries, EveryMedicationEntryByCodeAndByName) {
  const CodeMap& m = DefaultCodeMap();
  for (const auto& e : m.medications) {
    for (const std::string& med_concept :
         {Coding(e.system, e.code), R"({"text":")" + e.name + R"( 10 MG"})"}) {
      const std::string med =
          R"({"resourceType":"MedicationRequest","id":"m","status":"active","intent":"order",
        "subject":{"reference":"Patient/p1"},"medicationCodeableConcept":)" +
          med_concept + "}";
      auto r = MapBundle(Bundle({Patient(), med}), m, kAsOf);
      ASSERT_TRUE(r.ok());
      EXPECT_EQ(r->care.anticoagulant_active, !e.antiplatelet) << e.name;
      EXPECT_EQ(!r->bleeding_factors_found.empty(), e.antiplatelet) << e.name;
    }
  }
}

TEST(CodeMapEntries, EveryEncounterAttestationObservationAndValueEntry) {
  const CodeMap& m = DefaultCodeMap();
  for (const auto& e : m.encounters) {
    const std::string enc =
        R"({"resourceType":"Encounter","id":"e","status":"in-progress","subject":{"reference":"Patient/p1"},
      "class":{"system":")" +
        e.system + R"(","code":")" + e.code + R"("},"period":{"start":"2026-11-21"}})";
    auto r = MapBundle(Bundle({Patient(), enc}), m, kAsOf);
    EXPECT_EQ(r->c.history.inpatient, e.inpatient) << e.code;
  }
  for (const auto& e : m.attestations) {
    const std::string value =
        e.field == "history.provocation" ? R"("valueCodeableConcept":)" + Coding(kCd, "unprovoked")
        : e.field == "patient.pregnancy" ? R"("valueCodeableConcept":)" + Coding(kCd, "none")
        : e.field == "bleeding.risk"     ? R"("valueCodeableConcept":)" + Coding(kCd, "low")
        : e.field == "preferences.anticoagulation"
            ? R"("valueCodeableConcept":)" + Coding(kCd, "avoid")
            : std::string(R"("valueBoolean":false)");
    auto r = MapBundle(Bundle({Patient(), Attest("a", e.code, value)}), m, kAsOf);
    ASSERT_TRUE(r.ok());
    bool reported_missing = false;
    for (const auto& u : r->unmapped) reported_missing = reported_missing || u.field == e.field;
    EXPECT_FALSE(reported_missing) << e.field;
  }
  for (const auto& v : m.pregnancy_values) {
    const std::string obs =
        R"({"resourceType":"Observation","id":"o","status":"final","effectiveDateTime":"2026-11-20",
      "subject":{"reference":"Patient/p1"},"code":)" +
        Coding(kLoinc, "82810-3") + R"(,"valueCodeableConcept":)" + Coding(v.system, v.code) + "}";
    auto r = MapBundle(Bundle({Patient(), obs}), m, kAsOf);
    EXPECT_EQ(r->c.patient.pregnancy, v.pregnancy) << v.code;
  }
  for (const auto& s : m.surgery) {
    const std::string p =
        R"({"resourceType":"Procedure","id":"s","status":"completed","subject":{"reference":"Patient/p1"},
      "code":)" +
        Coding(s.system, s.code) + R"(,"performedDateTime":"2026-11-15"})";
    EXPECT_EQ(MapBundle(Bundle({Patient(), p}), m, kAsOf)->c.history.recent_surgery, true)
        << s.code;
  }
  for (const auto& d : m.d_dimer) {
    auto r = MapBundle(Bundle({Patient(), StandardStudy(), DDimer("d", d.code, 100, "ng/mL")}), m,
                       kAsOf);
    ASSERT_TRUE(r->c.labs.d_dimer) << d.code;
    EXPECT_EQ(r->c.labs.d_dimer->value, d.ddu ? 200 : 100) << d.code;
  }
}

}  // namespace
}  // namespace calfdvt::fhir

namespace calfdvt::fhir {
namespace {

// docs/fhir.md lists every code of the code map (its tables are generated from the file).
TEST(CodeMapDocs, EveryCodeIsDocumented) {
  const std::string map = testing::ReadSource("knowledge/fhir-map.json");
  const std::string docs = testing::ReadSource("docs/fhir.md");
  ASSERT_FALSE(docs.empty());
  size_t count = 0;
  for (size_t pos = map.find("\"code\": \""); pos != std::string::npos;
       pos = map.find("\"code\": \"", pos + 1)) {
    const size_t start = pos + 9;
    const std::string code = map.substr(start, map.find('"', start) - start);
    EXPECT_NE(docs.find("`" + code + "`"), std::string::npos) << code << " is not in docs/fhir.md";
    ++count;
  }
  EXPECT_GT(count, 100u);
}

}  // namespace
}  // namespace calfdvt::fhir
