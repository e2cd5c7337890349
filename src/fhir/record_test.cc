// FHIR R4 -> case mapping (fhir/record.h): clinical rules, unit conversion, unknowns and their
// reports, malformed bundles.
#include "fhir/record.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "fhir/code_map.h"
#include "fhir/test_util.h"
#include "pathway/engine.h"

namespace calfdvt::fhir {
namespace {

using namespace testing;  // NOLINT: the helpers of fhir/test_util.h
namespace pw = calfdvt::pathway;

std::string Dump(const MappedCase& m) {
  std::string s;
  for (const auto& u : m.unmapped)
    s += u.resource + " " + u.path + " [" + u.field + "] " + u.reason + "\n";
  return s;
}

TEST(Imaging, StandardStudyMapsProtocolSideDateAndThrombus) {
  auto m = Map({Patient(), StandardStudy()});
  ASSERT_TRUE(m.usable) << Dump(m);
  EXPECT_EQ(m.patient_id, "p1");
  EXPECT_EQ(m.c.imaging.date.ToString(), "2026-11-20");
  EXPECT_EQ(m.c.imaging.protocol, pw::Protocol::kWholeLegDuplex);
  EXPECT_EQ(m.c.imaging.side, core::Side::kLeft);
  ASSERT_TRUE(m.c.imaging.thrombi);
  ASSERT_EQ(m.c.imaging.thrombi->size(), 1u);
  EXPECT_EQ(m.c.imaging.thrombi->front().vein, core::Vein::kGastrocnemiusMedial);
  EXPECT_EQ(m.c.imaging.thrombi->front().length_cm, 3.0);
  EXPECT_EQ(m.c.imaging.thrombi->front().acute, true);
  EXPECT_TRUE(m.care.distal_dvt);
  EXPECT_TRUE(m.care.calf_veins_assessed);
  EXPECT_EQ(m.care.dvt_onset, m.c.imaging.date);
}

TEST(Imaging, LoincWithoutProtocolCodeIsNotUsable) {
  auto m = Map({Patient(), Finding("f1", kCd, "vein-soleal"), Report("r1", "", Ref("f1"))});
  EXPECT_FALSE(m.usable);
  EXPECT_TRUE(Reported(m, "imaging.protocol", "calf veins were examined")) << Dump(m);
}

TEST(Imaging, NoReportIsNotUsable) {
  auto m = Map({Patient()});
  EXPECT_FALSE(m.usable);
  EXPECT_TRUE(Reported(m, "imaging", "no usable venous ultrasound"));
}

TEST(Imaging, ReportAfterAsOfIsIgnored) {
  auto m = Map({Patient(), Finding("f1", kCd, "vein-soleal", "", "2026-11-25"),
                Report("r1", "whole-leg-duplex", Ref("f1"), "2026-11-25")});
  EXPECT_FALSE(m.usable);
  EXPECT_TRUE(Reported(m, "imaging", "after as_of"));
}

TEST(Imaging, LatestStudyIsUsedAndEarlierReported) {
  auto m = Map({Patient(), StandardStudy(), Finding("f0", kCd, "vein-popliteal", "", "2026-10-01"),
                Report("r0", "whole-leg-duplex", Ref("f0"), "2026-10-01")});
  ASSERT_TRUE(m.usable);
  EXPECT_EQ(m.c.imaging.date.ToString(), "2026-11-20");
  ASSERT_EQ(m.c.imaging.thrombi->size(), 1u);
  bool earlier = false;
  for (const auto& u : m.unmapped)
    earlier = earlier || u.reason.find("earlier study") != std::string::npos;
  EXPECT_TRUE(earlier);
}

TEST(Imaging, LimitedStudyWithNoThrombusConclusion) {
  auto m = Map({Patient(), Report("r1", "proximal-compression-2point", "", "2026-11-20", "80860-0",
                                  R"(,"conclusionCode":[)" + Coding(kCd, "no-thrombus") + "]")});
  ASSERT_TRUE(m.usable);
  EXPECT_EQ(m.c.imaging.protocol, pw::Protocol::kProximalCompression2Point);
  ASSERT_TRUE(m.c.imaging.thrombi);
  EXPECT_TRUE(m.c.imaging.thrombi->empty());
  EXPECT_TRUE(m.care.limited_scan_only);
  EXPECT_FALSE(m.care.calf_veins_assessed);
}

TEST(Imaging, NoFindingsAndNoConclusionLeavesThrombiUnknown) {
  auto m = Map({Patient(), Report("r1", "whole-leg-duplex", "")});
  ASSERT_TRUE(m.usable);
  EXPECT_FALSE(m.c.imaging.thrombi);
  EXPECT_TRUE(Reported(m, "imaging.thrombi", "findings unknown"));
}

TEST(Imaging, UnplaceableFindingMakesFindingsUnknown) {
  auto m = Map({Patient(), Finding("f1", kCd, "vein-soleal"), Finding("f2", kSct, "123456"),
                Report("r1", "whole-leg-duplex", Ref("f1") + "," + Ref("f2"))});
  ASSERT_TRUE(m.usable);
  EXPECT_FALSE(m.c.imaging.thrombi);
  EXPECT_TRUE(Reported(m, "imaging.thrombi", "cannot be placed"));
}

TEST(Imaging, ProximalFoundAnywhereKeepsFindingsAndClassifiesProximal) {
  // Bilateral study: right popliteal + left soleal + an unplaceable finding. Never surveillance.
  auto right = R"({"code":)" + Coding(kCd, "laterality") + R"(,"valueCodeableConcept":)" +
               Coding(kSct, "24028007") + "}";
  auto m = Map({Patient(), Finding("f1", kCd, "vein-soleal"),
                Finding("f2", kSct, "56849005", right), Finding("f3", kSct, "999"),
                Report("r1", "whole-leg-duplex", Ref("f1") + "," + Ref("f2") + "," + Ref("f3"),
                       "2026-11-20", "46364-6")});
  ASSERT_TRUE(m.usable);
  ASSERT_TRUE(m.c.imaging.thrombi);
  EXPECT_EQ(m.c.imaging.side, core::Side::kBilateral);
  const auto& k = ShippedKnowledge();
  auto a = pw::Assess(m.c, k, *k.FindProfile("seed001"));
  EXPECT_EQ(a.classification, pw::Classification::kProximal);
  EXPECT_EQ(a.strategy, pw::Strategy::kProximalDvtPathway);
  EXPECT_TRUE(m.care.proximal_dvt);
}

TEST(Imaging, ProximalConditionPlacesProximalThrombus) {
  auto m = Map({Patient(), StandardStudy(), Condition("c1", kIcd, "I82.432")});
  ASSERT_TRUE(m.c.imaging.thrombi);
  ASSERT_EQ(m.c.imaging.thrombi->size(), 2u);
  EXPECT_EQ(m.c.imaging.thrombi->back().vein, core::Vein::kPopliteal);
  EXPECT_EQ(m.c.imaging.thrombi->back().side, core::Side::kLeft);
  EXPECT_TRUE(Reported(m, "imaging.thrombi", "proximal pathway applies"));
  EXPECT_TRUE(m.care.proximal_dvt);
  const auto& k = ShippedKnowledge();
  EXPECT_EQ(pw::Assess(m.c, k, *k.FindProfile("seed001")).strategy,
            pw::Strategy::kProximalDvtPathway);
}

TEST(Imaging, UnitsConvertedAndOutOfRangeDropped) {
  auto m = Map({Patient(),
                Finding("f1", kCd, "vein-peroneal",
                        Quantity("thrombus-length", 62, "mm") + "," +
                            Quantity("thrombus-max-diameter", 0.6, "cm") + "," +
                            Quantity("distance-to-popliteal", 120, "mm")),
                Finding("f2", kCd, "vein-soleal",
                        Quantity("thrombus-max-diameter", 60, "mm") + "," +
                            Quantity("thrombus-length", 2, "in")),
                Report("r1", "whole-leg-duplex", Ref("f1") + "," + Ref("f2"))});
  ASSERT_TRUE(m.c.imaging.thrombi);
  const auto& t = m.c.imaging.thrombi->at(0);
  EXPECT_DOUBLE_EQ(*t.length_cm, 6.2);
  EXPECT_DOUBLE_EQ(*t.max_diameter_mm, 6);
  EXPECT_DOUBLE_EQ(*t.distance_to_popliteal_cm, 12);
  EXPECT_FALSE(m.c.imaging.thrombi->at(1).max_diameter_mm);
  EXPECT_TRUE(Reported(m, "imaging.thrombi[1].max_diameter_mm", "out of range"));
  EXPECT_TRUE(Reported(m, "imaging.thrombi[1].length_cm", "not a known length unit"));
}

TEST(Imaging, GenericGastrocnemiusCodeIsReported) {
  auto m = Map(
      {Patient(), Finding("f1", kSct, "264481007"), Report("r1", "whole-leg-duplex", Ref("f1"))});
  ASSERT_TRUE(m.c.imaging.thrombi);
  EXPECT_EQ(m.c.imaging.thrombi->front().vein, core::Vein::kGastrocnemiusMedial);
  bool noted = false;
  for (const auto& u : m.unmapped)
    noted = noted || u.reason.find("medial or lateral") != std::string::npos;
  EXPECT_TRUE(noted);
}

TEST(Imaging, ThrombusInOtherLegMakesStudySideUnknown) {
  auto right = R"({"code":)" + Coding(kCd, "laterality") + R"(,"valueCodeableConcept":)" +
               Coding(kSct, "24028007") + "}";
  auto m = Map({Patient(), Finding("f1", kCd, "vein-soleal", right),
                Report("r1", "whole-leg-duplex", Ref("f1"))});
  EXPECT_FALSE(m.c.imaging.side);
  EXPECT_TRUE(Reported(m, "imaging.side", "other leg"));
}

TEST(Conditions, ChronicDvtIsPriorVteNotAcute) {
  auto m = Map({Patient(), StandardStudy(), Condition("c1", kIcd, "I82.512")});
  EXPECT_EQ(m.c.history.prior_vte, true);
  EXPECT_FALSE(m.care.proximal_dvt);
  EXPECT_EQ(m.c.imaging.thrombi->size(), 1u);  // no thrombus added for a chronic DVT
}

TEST(Conditions, AcuteDistalDvtIsACareFactOnly) {
  auto m = Map({Patient(), Condition("c1", kIcd, "I82.462", "active", "2026-11-20")});
  EXPECT_TRUE(m.care.distal_dvt);
  EXPECT_EQ(m.care.dvt_onset->ToString(), "2026-11-20");
  EXPECT_FALSE(m.c.history.prior_vte);
}

TEST(Conditions, ResolvedOldVteIsPriorVteRecentIsReported) {
  auto old = Map({Patient(), Condition("c1", kIcd, "I82.441", "resolved", "2024-01-01")});
  EXPECT_EQ(old.c.history.prior_vte, true);
  auto recent = Map({Patient(), Condition("c1", kIcd, "I82.441", "resolved", "2026-11-01")});
  EXPECT_FALSE(recent.c.history.prior_vte);
  EXPECT_TRUE(Reported(recent, "history.prior_vte", "possibly this episode"));
  auto z86 = Map({Patient(), Condition("c1", kIcd, "Z86.718", "inactive")});
  EXPECT_EQ(z86.c.history.prior_vte, true);
}

TEST(Conditions, CancerActiveHistoryAndMetastatic) {
  auto active = Map({Patient(), Condition("c1", kIcd, "C50.912")});
  EXPECT_EQ(active.c.history.active_cancer, true);
  EXPECT_THAT(active.bleeding_factors_found, ::testing::Contains(pw::BleedingFactor::kCancer));
  auto history = Map({Patient(), Condition("c1", kIcd, "Z85.3")});
  EXPECT_FALSE(history.c.history.active_cancer);
  EXPECT_TRUE(Reported(history, "history.active_cancer", "history of cancer, not active cancer"));
  auto remission = Map({Patient(), Condition("c1", kIcd, "C50.912", "remission")});
  EXPECT_FALSE(remission.c.history.active_cancer);
  EXPECT_TRUE(Reported(remission, "history.active_cancer", "not active"));
  auto meta = Map({Patient(), Condition("c1", kIcd, "C78.00")});
  EXPECT_EQ(meta.c.history.active_cancer, true);
  EXPECT_THAT(meta.bleeding_factors_found,
              ::testing::Contains(pw::BleedingFactor::kMetastaticCancer));
  auto in_situ = Map({Patient(), Condition("c1", kIcd, "D05.10")});
  EXPECT_FALSE(in_situ.c.history.active_cancer);
}

TEST(Conditions, NoClinicalStatusOrUnconfirmedIsNotUsed) {
  auto m = Map({Patient(), Condition("c1", kIcd, "C50.912", "")});
  EXPECT_FALSE(m.c.history.active_cancer);
  bool reported = false;
  for (const auto& u : m.unmapped)
    reported = reported || u.reason.find("no clinicalStatus") != std::string::npos;
  EXPECT_TRUE(reported);
  std::string refuted = Condition("c2", kIcd, "C50.912");
  refuted.insert(refuted.size() - 1, R"(,"verificationStatus":{"coding":[{"code":"refuted"}]})");
  auto r = Map({Patient(), refuted});
  EXPECT_FALSE(r.c.history.active_cancer);
}

TEST(Conditions, PregnancyCovidEsrdStrokeLiverAps) {
  auto m =
      Map({Patient("1995-01-01"), Condition("c1", kIcd, "Z33.1"), Condition("c2", kIcd, "U07.1"),
           Condition("c3", kIcd, "N18.6"), Condition("c4", kIcd, "I63.9", "resolved"),
           Condition("c5", kIcd, "K72.10"), Condition("c6", kIcd, "D68.61")});
  EXPECT_EQ(m.c.patient.pregnancy, pw::Pregnancy::kPregnant);
  EXPECT_EQ(m.c.history.covid19, true);
  EXPECT_EQ(m.c.history.end_stage_renal_disease, true);
  EXPECT_EQ(m.c.history.stroke, true);
  EXPECT_EQ(m.c.patient.severe_liver_disease, true);
  EXPECT_EQ(m.c.patient.antiphospholipid_syndrome, true);
  EXPECT_THAT(m.bleeding_factors_found,
              ::testing::IsSupersetOf({pw::BleedingFactor::kRenalFailure,
                                       pw::BleedingFactor::kPreviousStroke,
                                       pw::BleedingFactor::kLiverFailure}));
}

TEST(Conditions, ActivePulmonaryEmbolismIsReported) {
  auto m = Map({Patient(), Condition("c1", kIcd, "I26.99")});
  bool reported = false;
  for (const auto& u : m.unmapped)
    reported = reported || u.reason.find("outside the isolated distal") != std::string::npos;
  EXPECT_TRUE(reported);
}

TEST(Unknowns, AbsenceOfResourcesIsNeverFalse) {
  auto m = Map({Patient(), StandardStudy()});
  const auto& h = m.c.history;
  EXPECT_FALSE(h.active_cancer || h.prior_vte || h.inpatient || h.recent_hospitalization ||
               h.recent_surgery || h.severe_symptoms || h.covid19 || h.end_stage_renal_disease ||
               h.stroke || h.provocation);
  EXPECT_FALSE(m.c.patient.pregnancy || m.c.patient.crcl_ml_min ||
               m.c.patient.severe_liver_disease);
  EXPECT_FALSE(m.c.bleeding.risk || m.c.bleeding.factors ||
               m.c.bleeding.anticoagulation_contraindicated);
  EXPECT_FALSE(m.c.labs.d_dimer || m.c.labs.d_dimer_result);
  EXPECT_TRUE(Reported(m, "history.severe_symptoms", "no standard FHIR code"));
  EXPECT_TRUE(Reported(m, "history.provocation", "no standard FHIR code"));
  EXPECT_TRUE(Reported(m, "preferences.anticoagulation", "no standard FHIR code"));
  EXPECT_TRUE(Reported(m, "bleeding.anticoagulation_contraindicated", "no standard FHIR code"));
}

TEST(Unknowns, AttestationsSetFieldsAndConflictsAreUnknown) {
  auto m =
      Map({Patient(), Attest("a1", "severe-symptoms", R"("valueBoolean":true)"),
           Attest("a2", "provocation", R"("valueCodeableConcept":)" + Coding(kCd, "unprovoked")),
           Attest("a3", "bleeding-risk", R"("valueCodeableConcept":)" + Coding(kCd, "high")),
           Attest("a4", "active-cancer", R"("valueBoolean":false)"),
           Condition("c1", kIcd, "C50.912"), Attest("a5", "stroke", R"("valueString":"no")")});
  EXPECT_EQ(m.c.history.severe_symptoms, true);
  EXPECT_EQ(m.c.history.provocation, pw::Provocation::kUnprovoked);
  EXPECT_EQ(m.c.bleeding.risk, pw::BleedingRisk::kHigh);
  EXPECT_FALSE(m.c.history.active_cancer);
  EXPECT_TRUE(Reported(m, "history.active_cancer", "conflicting sources"));
  EXPECT_TRUE(Reported(m, "history.stroke", "needs valueBoolean"));
}

TEST(Encounters, InpatientOutpatientAndRecentHospitalization) {
  auto enc = [](const std::string& cls, const std::string& status, const std::string& period) {
    return R"({"resourceType":"Encounter","id":"e1","status":")" + status +
           R"(","subject":{"reference":"Patient/p1"},"class":{"system":"http://terminology.hl7.org/CodeSystem/v3-ActCode","code":")" +
           cls + R"("},"period":)" + period + "}";
  };
  EXPECT_EQ(
      Map({Patient(), enc("IMP", "in-progress", R"({"start":"2026-11-18"})")}).c.history.inpatient,
      true);
  EXPECT_EQ(
      Map({Patient(), enc("EMER", "in-progress", R"({"start":"2026-11-21"})")}).c.history.inpatient,
      false);
  auto recent =
      Map({Patient(), enc("IMP", "finished", R"({"start":"2026-11-01","end":"2026-11-10"})")});
  EXPECT_EQ(recent.c.history.recent_hospitalization, true);
  EXPECT_FALSE(recent.c.history.inpatient);
  auto old =
      Map({Patient(), enc("IMP", "finished", R"({"start":"2026-01-01","end":"2026-01-10"})")});
  EXPECT_FALSE(old.c.history.recent_hospitalization);
  auto obs = Map({Patient(), enc("OBSENC", "in-progress", R"({"start":"2026-11-21"})")});
  EXPECT_FALSE(obs.c.history.inpatient);
  EXPECT_TRUE(Reported(obs, "history.inpatient", "not in the code map"));
}

TEST(Procedures, RecentSurgery) {
  const std::string p =
      R"({"resourceType":"Procedure","id":"s1","status":"completed","subject":{"reference":"Patient/p1"},
    "category":)" +
      Coding(kSct, "387713003") + R"(,"performedDateTime":"2026-11-10"})";
  auto m = Map({Patient(), p});
  EXPECT_EQ(m.c.history.recent_surgery, true);
  EXPECT_THAT(m.bleeding_factors_found, ::testing::Contains(pw::BleedingFactor::kRecentSurgery));
}

TEST(Medications, AnticoagulantByCodeNameAndReference) {
  const std::string by_code =
      R"({"resourceType":"MedicationRequest","id":"m1","status":"active","intent":"order",
    "subject":{"reference":"Patient/p1"},"medicationCodeableConcept":)" +
      Coding("http://www.nlm.nih.gov/research/umls/rxnorm", "1364430") + "}";
  EXPECT_TRUE(Map({Patient(), by_code}).care.anticoagulant_active);
  const std::string by_ref = R"({"resourceType":"MedicationStatement","id":"m2","status":"active",
    "subject":{"reference":"Patient/p1"},"medicationReference":{"reference":"Medication/med1"}})";
  const std::string med =
      R"({"resourceType":"Medication","id":"med1","code":{"text":"Rivaroxaban 20 MG Oral Tablet"}})";
  EXPECT_TRUE(Map({Patient(), by_ref, med}).care.anticoagulant_active);
  const std::string aspirin = R"({"resourceType":"MedicationStatement","id":"m3","status":"active",
    "subject":{"reference":"Patient/p1"},"medicationCodeableConcept":{"text":"Aspirin 81 MG"}})";
  auto m = Map({Patient(), aspirin});
  EXPECT_FALSE(m.care.anticoagulant_active);
  EXPECT_THAT(m.bleeding_factors_found,
              ::testing::Contains(pw::BleedingFactor::kAntiplateletTherapy));
}

TEST(Patient, AgeSexAndAgeFactors) {
  auto m = Map({Patient("1950-11-22", "male")});
  EXPECT_EQ(m.c.patient.age, 75);
  EXPECT_EQ(m.c.patient.sex, pw::Sex::kMale);
  EXPECT_THAT(m.bleeding_factors_found, ::testing::ElementsAre(pw::BleedingFactor::kAgeOver65));
  auto partial = Map({Patient("1950")});
  EXPECT_FALSE(partial.c.patient.age);
  EXPECT_TRUE(Reported(partial, "patient.age", "without a full day"));
}

TEST(Patient, PregnancyStatusObservationEddAndMale) {
  auto obs = [](const std::string& id, const std::string& code, const std::string& value) {
    return R"({"resourceType":"Observation","id":")" + id +
           R"(","status":"final","subject":{"reference":"Patient/p1"},"effectiveDateTime":"2026-11-20","code":)" +
           Coding(kLoinc, code) + "," + value + "}";
  };
  auto m = Map({Patient("1995-01-01"),
                obs("o1", "82810-3", R"("valueCodeableConcept":)" + Coding(kSct, "77386006")),
                obs("o2", "11778-8", R"("valueDateTime":"2027-03-01")")});
  EXPECT_EQ(m.c.patient.pregnancy, pw::Pregnancy::kPregnant);
  EXPECT_EQ(m.c.patient.expected_delivery_date->ToString(), "2027-03-01");
  auto none =
      Map({Patient(), obs("o1", "82810-3", R"("valueCodeableConcept":)" + Coding(kSct, "60001007")),
           obs("o2", "11778-8", R"("valueDateTime":"2027-03-01")")});
  EXPECT_EQ(none.c.patient.pregnancy, pw::Pregnancy::kNone);
  EXPECT_FALSE(none.c.patient.expected_delivery_date);
  EXPECT_TRUE(Reported(none, "patient.expected_delivery_date", "without a current pregnancy"));
  auto male = Map({Patient("1980-01-01", "male"), Condition("c1", kIcd, "Z33.1")});
  EXPECT_FALSE(male.c.patient.pregnancy);
  EXPECT_TRUE(Reported(male, "patient.pregnancy", "male patient"));
}

TEST(Labs, CrclAndEgfr) {
  auto crcl =
      R"({"resourceType":"Observation","id":"o1","status":"final","subject":{"reference":"Patient/p1"},
    "effectiveDateTime":"2026-11-20","code":)" +
      Coding(kLoinc, "2164-2") +
      R"(,"valueQuantity":{"value":42,"system":"http://unitsofmeasure.org","code":"mL/min"}})";
  EXPECT_EQ(Map({Patient(), crcl}).c.patient.crcl_ml_min, 42);
  auto egfr =
      R"({"resourceType":"Observation","id":"o2","status":"final","subject":{"reference":"Patient/p1"},
    "effectiveDateTime":"2026-11-20","code":)" +
      Coding(kLoinc, "62238-1") +
      R"(,"valueQuantity":{"value":42,"system":"http://unitsofmeasure.org","code":"mL/min/{1.73_m2}"}})";
  auto m = Map({Patient(), egfr});
  EXPECT_FALSE(m.c.patient.crcl_ml_min);
  EXPECT_TRUE(Reported(m, "patient.crcl_ml_min", "eGFR is not creatinine clearance"));
}

}  // namespace
}  // namespace calfdvt::fhir

namespace calfdvt::fhir {
namespace {

TEST(Conditions, SkinCarcinomaIsNotActiveCancer) {
  using namespace testing;  // NOLINT
  auto r = MapBundle(Bundle({Patient(), Condition("c1", kIcd, "C44.91")}), DefaultCodeMap(),
                     *core::Date::Parse("2026-11-21"));
  ASSERT_TRUE(r.ok());
  EXPECT_FALSE(r->c.history.active_cancer);
  EXPECT_TRUE(r->bleeding_factors_found.empty());
  bool reported = false;
  for (const auto& u : r->unmapped)
    reported = reported ||
               (u.field == "history.active_cancer" && u.reason.find("C44") != std::string::npos);
  EXPECT_TRUE(reported);
}

}  // namespace
}  // namespace calfdvt::fhir

namespace calfdvt::fhir {
namespace {

// The remaining unmapped reasons of docs/fhir.md, one resource each.
TEST(Unmapped, RemainingReasons) {
  using namespace testing;  // NOLINT
  auto comp = [](const std::string& code, const std::string& system, const std::string& value) {
    return R"({"code":)" + Coding(kCd, code) + R"(,"valueCodeableConcept":)" +
           Coding(system, value) + "}";
  };
  const std::string odd_finding = Finding(
      "f1", kCd, "vein-soleal",
      comp("thrombus-acuity", kCd, "subacute") + "," + comp("laterality", kSct, "51440002"));
  const std::string stray = Finding("f9", kCd, "vein-peroneal", "", "2026-11-10");
  const std::string report = Report("r1", "whole-leg-duplex", Ref("f1"), "2026-11-20", "48692-8",
                                    R"(,"conclusionCode":[)" + Coding(kCd, "no-thrombus") + "]");
  const std::string preg =
      R"({"resourceType":"Observation","id":"o1","status":"final","effectiveDateTime":"2026-11-20",
    "subject":{"reference":"Patient/p1"},"code":)" +
      Coding(kLoinc, "82810-3") + R"(,"valueCodeableConcept":)" + Coding(kSct, "1234") + "}";
  const std::string crcl =
      R"({"resourceType":"Observation","id":"o2","status":"final","effectiveDateTime":"2026-11-20",
    "subject":{"reference":"Patient/p1"},"code":)" +
      Coding(kLoinc, "2164-2") +
      R"(,"valueQuantity":{"value":1.2,"system":"http://unitsofmeasure.org","code":"mL/s"}})";
  const std::string cancelled =
      R"({"resourceType":"Observation","id":"o3","status":"entered-in-error","effectiveDateTime":"2026-11-20",
    "subject":{"reference":"Patient/p1"},"code":)" +
      Coding(kLoinc, "2164-2") + "}";
  const std::string surgery =
      R"({"resourceType":"Procedure","id":"s1","status":"completed","subject":{"reference":"Patient/p1"},
    "category":)" +
      Coding(kSct, "387713003") + "}";
  const std::string old_attest =
      R"({"resourceType":"Observation","id":"a0","status":"final","effectiveDateTime":"2026-11-01",
    "subject":{"reference":"Patient/p1"},"code":)" +
      Coding(kCd, "stroke") + R"(,"valueBoolean":true})";
  const std::string new_attest = Attest("a1", "stroke", R"("valueBoolean":false)");
  const std::string dvt = Condition("c1", kSct, "404223003");
  auto r = MapBundle(Bundle({Patient(), odd_finding, stray, report, preg, crcl, cancelled, surgery,
                             old_attest, new_attest, dvt}),
                     DefaultCodeMap(), *core::Date::Parse("2026-11-21"));
  ASSERT_TRUE(r.ok());
  auto has = [&](const std::string& field, const std::string& words) {
    for (const auto& u : r->unmapped)
      if (u.field == field && u.reason.find(words) != std::string::npos) return true;
    return false;
  };
  std::string all;
  for (const auto& u : r->unmapped)
    all += u.resource + " " + u.path + " [" + u.field + "] " + u.reason + "\n";
  EXPECT_TRUE(has("imaging.thrombi[0].acute", "acuity value not in the code map")) << all;
  EXPECT_TRUE(has("imaging.thrombi[0].side", "laterality value not in the code map")) << all;
  EXPECT_TRUE(has("", "finding not linked to the study used")) << all;
  EXPECT_TRUE(has("imaging.thrombi", "concludes 'no thrombus' but thrombus findings exist")) << all;
  EXPECT_TRUE(has("patient.pregnancy", "pregnancy status value not in the code map")) << all;
  EXPECT_TRUE(has("patient.crcl_ml_min", "not a plain creatinine clearance")) << all;
  EXPECT_TRUE(has("", "status \"entered-in-error\": not used")) << all;
  EXPECT_TRUE(has("history.recent_surgery", "without a performed date")) << all;
  EXPECT_TRUE(has("history.stroke", "superseded by a later attestation")) << all;
  EXPECT_TRUE(has("", "without a coded level")) << all;
  EXPECT_EQ(r->c.history.stroke, false);
  ASSERT_TRUE(r->c.imaging.thrombi);
  EXPECT_EQ(r->c.imaging.thrombi->size(), 1u);
}

}  // namespace
}  // namespace calfdvt::fhir
