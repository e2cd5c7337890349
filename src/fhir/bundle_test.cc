// D-dimer mapping (FEU/DDU, units, cutoff, interpretation), bleeding factors, malformed bundles,
// PatientRecord (NDJSON-style) and PatientRefOf.
#include <gtest/gtest.h>

#include "fhir/code_map.h"
#include "fhir/record.h"
#include "fhir/test_util.h"

namespace calfdvt::fhir {
namespace {

using namespace testing;  // NOLINT: the helpers of fhir/test_util.h
namespace pw = calfdvt::pathway;

std::string High(double v, const std::string& ucum) {
  return R"(,"referenceRange":[{"high":{"value":)" + std::to_string(v) +
         R"(,"system":"http://unitsofmeasure.org","code":")" + ucum + R"("}}])";
}
std::string Interp(const std::string& code) {
  return R"(,"interpretation":[{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation","code":")" +
         code + R"("}]}])";
}

TEST(DDimer, FeuValueAndCutoff) {
  auto m = Map({Patient(), StandardStudy(),
                DDimer("d1", "48065-7", 420, "ng/mL{FEU}", High(500, "ng/mL{FEU}"))});
  ASSERT_TRUE(m.c.labs.d_dimer);
  EXPECT_EQ(m.c.labs.d_dimer->value, 420);
  EXPECT_EQ(m.c.labs.d_dimer->cutoff, 500);
  EXPECT_EQ(m.c.labs.d_dimer->unit, "ng/mL FEU");
  EXPECT_FALSE(m.c.labs.d_dimer_result);
}

TEST(DDimer, DduValueAndCutoffBothConvertedToFeu) {
  // 300 ng/mL DDU with a DDU cutoff of 250: positive in either unit, and 600 vs 500 FEU.
  auto m =
      Map({Patient(), StandardStudy(), DDimer("d1", "48066-5", 300, "ng/mL", High(250, "ng/mL"))});
  ASSERT_TRUE(m.c.labs.d_dimer);
  EXPECT_EQ(m.c.labs.d_dimer->value, 600);
  EXPECT_EQ(m.c.labs.d_dimer->cutoff, 500);
  // A DDU value against an FEU-unit cutoff annotation is ambiguous: not used.
  auto bad = Map({Patient(), StandardStudy(), DDimer("d1", "48066-5", 300, "ng/mL{FEU}")});
  EXPECT_FALSE(bad.c.labs.d_dimer);
  EXPECT_TRUE(Reported(bad, "labs.d_dimer", "basis is ambiguous"));
}

TEST(DDimer, MassUnitsConverted) {
  auto m = Map({Patient(), StandardStudy(),
                DDimer("d1", "48065-7", 0.42, "mg/L{FEU}", High(0.5, "ug/mL{FEU}"))});
  ASSERT_TRUE(m.c.labs.d_dimer);
  EXPECT_DOUBLE_EQ(*m.c.labs.d_dimer->value, 420);
  EXPECT_DOUBLE_EQ(*m.c.labs.d_dimer->cutoff, 500);
  auto unknown = Map({Patient(), StandardStudy(), DDimer("d1", "48065-7", 4, "mmol/L")});
  EXPECT_FALSE(unknown.c.labs.d_dimer);
  EXPECT_TRUE(Reported(unknown, "labs.d_dimer", "not a known D-dimer"));
}

TEST(DDimer, InterpretationWithoutRangeAndDisagreement) {
  auto pos = Map({Patient(), StandardStudy(), DDimer("d1", "48065-7", 900, "ng/mL", Interp("H"))});
  EXPECT_EQ(pos.c.labs.d_dimer_result, pw::DDimerResult::kPositive);
  auto none = Map({Patient(), StandardStudy(), DDimer("d1", "48065-7", 900, "ng/mL")});
  EXPECT_FALSE(none.c.labs.d_dimer_result);
  EXPECT_FALSE(none.c.labs.d_dimer->cutoff);
  EXPECT_TRUE(Reported(none, "labs.d_dimer", "positivity unknown"));
  auto clash = Map({Patient(), StandardStudy(),
                    DDimer("d1", "48065-7", 500, "ng/mL", High(500, "ng/mL") + Interp("N"))});
  EXPECT_EQ(clash.c.labs.d_dimer_result, pw::DDimerResult::kNegative);
  EXPECT_FALSE(clash.c.labs.d_dimer);
  EXPECT_TRUE(Reported(clash, "labs.d_dimer", "interpretation disagrees"));
}

TEST(DDimer, ComparatorWindowAndLatest) {
  std::string lt = DDimer("d1", "48065-7", 200, "ng/mL", High(500, "ng/mL"));
  lt.replace(lt.find(R"("value":)"), 8, R"("comparator":"<","value":)");
  auto m = Map({Patient(), StandardStudy(), lt});
  EXPECT_FALSE(m.c.labs.d_dimer && m.c.labs.d_dimer->value);
  EXPECT_TRUE(Reported(m, "labs.d_dimer", "comparator"));
  auto old = Map({Patient(), StandardStudy(),
                  DDimer("d1", "48065-7", 900, "ng/mL", High(500, "ng/mL"), "2026-10-01")});
  EXPECT_FALSE(old.c.labs.d_dimer);
  EXPECT_TRUE(Reported(old, "labs.d_dimer", "days from the imaging date"));
  auto two = Map({Patient(), StandardStudy(),
                  DDimer("d1", "48065-7", 900, "ng/mL", High(500, "ng/mL"), "2026-11-19"),
                  DDimer("d2", "48065-7", 300, "ng/mL", High(500, "ng/mL"), "2026-11-20")});
  EXPECT_EQ(two.c.labs.d_dimer->value, 300);
}

TEST(Bleeding, FactorsPlacedOnlyWhenTheyReachTheTopCategory) {
  const auto& k = ShippedKnowledge();
  auto high = Map({Patient("1940-01-01"), Condition("c1", kIcd, "C78.00")});
  ApplyBleedingFactors(high, k);
  ASSERT_TRUE(high.c.bleeding.factors);
  EXPECT_TRUE(Reported(high, "bleeding.factors", "placed on the case"));
  auto one = Map({Patient(), Condition("c1", kIcd, "D69.6")});
  ApplyBleedingFactors(one, k);
  EXPECT_FALSE(one.c.bleeding.factors);
  EXPECT_FALSE(one.c.bleeding.risk);
  EXPECT_TRUE(Reported(one, "bleeding.risk", "absence is not evidence"));
  auto attested =
      Map({Patient("1940-01-01"), Condition("c1", kIcd, "C78.00"),
           Attest("a1", "bleeding-risk", R"("valueCodeableConcept":)" + Coding(kCd, "high"))});
  ApplyBleedingFactors(attested, k);
  EXPECT_FALSE(attested.c.bleeding.factors);
  EXPECT_EQ(attested.c.bleeding.risk, pw::BleedingRisk::kHigh);
}

// Malformed input: errors name the JSON path and the rule.
core::Error FirstError(const std::string& json) {
  auto r = MapBundle(json, DefaultCodeMap(), kAsOf);
  EXPECT_FALSE(r.ok());
  return r.ok() ? core::Error{} : r.errors().front();
}

TEST(Malformed, ErrorsNameThePath) {
  EXPECT_EQ(FirstError("{not json").rule, "malformed_json");
  EXPECT_EQ(FirstError("[]").path, "$");
  auto e = FirstError(R"({"resourceType":"Patient","id":"x"})");
  EXPECT_EQ(e.path, "resourceType");
  EXPECT_EQ(e.rule, "bundle");
  EXPECT_EQ(FirstError(R"({"resourceType":"Bundle","entry":{}})").path, "entry");
  EXPECT_EQ(
      FirstError(R"({"resourceType":"Bundle","entry":[{"resource":{"resourceType":"Patient"}},3]})")
          .path,
      "entry[1]");
  e = FirstError(R"({"resourceType":"Bundle","entry":[{"resource":{"id":"x"}}]})");
  EXPECT_EQ(e.path, "entry[0].resource.resourceType");
  EXPECT_EQ(e.rule, "required");
  EXPECT_EQ(FirstError(R"({"resourceType":"Bundle","entry":[{"resource":[]}]})").path,
            "entry[0].resource");
  e = FirstError(
      Bundle({Patient(),
              R"({"resourceType":"Condition","id":"c","subject":{"reference":"Patient/other"}})"}));
  EXPECT_EQ(e.path, "entry[1].resource.subject");
  EXPECT_EQ(e.rule, "patient_mismatch");
}

TEST(Malformed, WrongTypedFieldsAreReportedNotFatal) {
  auto m =
      Map({Patient(), R"({"resourceType":"Observation","id":"o1","status":"final","code":"48065-7",
                              "subject":{"reference":"Patient/p1"},"valueQuantity":{"value":"420"}})"});
  bool noted = false;
  for (const auto& u : m.unmapped)
    noted = noted || (u.resource == "Observation/o1" && u.path == "code");
  EXPECT_TRUE(noted);
  auto empty = Map({});
  EXPECT_FALSE(empty.usable);
  auto no_resource =
      MapBundle(R"({"resourceType":"Bundle","entry":[{"fullUrl":"x"}]})", DefaultCodeMap(), kAsOf);
  ASSERT_TRUE(no_resource.ok());
  EXPECT_EQ(no_resource->unmapped.front().path, "entry[0]");
}

TEST(PatientRecord, ResourcesOneByOneAndOtherPatientsSkipped) {
  PatientRecord rec(DefaultCodeMap());
  ASSERT_TRUE(rec.Add(Patient()).ok());
  ASSERT_TRUE(rec.Add(Condition("c1", kIcd, "C50.912")).ok());
  ASSERT_TRUE(rec.Add(R"({"resourceType":"Condition","id":"c2","subject":{"reference":"Patient/zz"},
                          "clinicalStatus":{"coding":[{"code":"active"}]},"code":{"coding":[{"system":"http://hl7.org/fhir/sid/icd-10-cm","code":"U07.1"}]}})")
                  .ok());
  ASSERT_TRUE(rec.Add(R"({"resourceType":"Practitioner","id":"dr"})").ok());  // skipped type
  EXPECT_FALSE(rec.Add("{").ok());
  EXPECT_EQ(rec.Add(R"({"id":"x"})").errors().front().path, "resourceType");
  auto m = rec.ToCase(kAsOf);
  EXPECT_EQ(m.c.history.active_cancer, true);
  EXPECT_FALSE(m.c.history.covid19);
  EXPECT_EQ(m.unmapped.front().resource, "Condition/c2");
}

TEST(PatientRefOf, NormalisesReferences) {
  EXPECT_EQ(PatientRefOf(R"({"resourceType":"Patient","id":"abc"})"), "abc");
  EXPECT_EQ(PatientRefOf(R"({"resourceType":"Observation","subject":{"reference":"Patient/p-1"}})"),
            "p-1");
  EXPECT_EQ(
      PatientRefOf(
          R"({"resourceType":"Condition","subject":{"reference":"https://ehr.example.org/fhir/Patient/p2"}})"),
      "p2");
  EXPECT_EQ(PatientRefOf(
                R"({"resourceType":"Encounter","subject":{"reference":"Patient/p3/_history/4"}})"),
            "p3");
  EXPECT_EQ(PatientRefOf(
                R"({"resourceType":"MedicationStatement","patient":{"reference":"Patient/p4"}})"),
            "p4");
  EXPECT_EQ(PatientRefOf(R"({"resourceType":"Observation","subject":{"reference":"Group/g"}})"),
            "");
  EXPECT_EQ(PatientRefOf(R"({"resourceType":"Medication","id":"m"})"), "");
  EXPECT_EQ(PatientRefOf("{oops"), "");
}

}  // namespace
}  // namespace calfdvt::fhir

namespace calfdvt::fhir {
namespace {

TEST(CareFacts, FollowUpOrdersAndAnticoagulant) {
  using namespace testing;  // NOLINT
  auto sr = [](const std::string& id, const std::string& status, const std::string& extra) {
    return R"({"resourceType":"ServiceRequest","id":")" + id + R"(","status":")" + status +
           R"(","intent":"order","subject":{"reference":"Patient/p1"},"code":)" +
           Coding(kLoinc, "48692-8") + extra + "}";
  };
  auto r = MapBundle(
      Bundle(
          {Patient(), StandardStudy(),
           sr("s7", "active", R"(,"occurrenceDateTime":"2026-11-27","authoredOn":"2026-11-20")"),
           sr("s14", "completed",
              R"(,"occurrencePeriod":{"start":"2026-12-02","end":"2026-12-06"})"),
           sr("sx", "revoked", R"(,"occurrenceDateTime":"2026-11-27")"),
           sr("s0", "active", R"(,"occurrenceDateTime":"2026-11-19","authoredOn":"2026-11-18")")}),
      DefaultCodeMap(), *core::Date::Parse("2026-11-21"));
  ASSERT_TRUE(r.ok());
  const auto& f = r->care.followups;
  ASSERT_EQ(f.size(), 3u);
  EXPECT_EQ(f[0].id, "s7");
  EXPECT_EQ(f[0].due->ToString(), "2026-11-27");
  EXPECT_FALSE(f[0].completed);
  EXPECT_EQ(f[1].due->ToString(), "2026-12-06");
  EXPECT_TRUE(f[1].completed);
  EXPECT_TRUE(f[2].completed);  // a duplex was reported (2026-11-20) after it was ordered
  EXPECT_FALSE(r->care.anticoagulant_active);
  EXPECT_FALSE(r->care.proximal_dvt);
}

}  // namespace
}  // namespace calfdvt::fhir
