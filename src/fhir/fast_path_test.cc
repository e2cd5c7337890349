// Regression tests of the mapping's fast paths and the draft-order care facts (fhir/record.h):
// an Observation the mapping does not use is read only up to its code, yet its patient is still
// checked; draft orders are not booked follow-ups; CodeEntry::Matches without normalising copies.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "fhir/code_map.h"
#include "fhir/record.h"
#include "fhir/test_util.h"

namespace calfdvt::fhir {
namespace {

using namespace testing;  // NOLINT: the helpers of fhir/test_util.h

std::string VitalSign(const std::string& id, const std::string& patient, const std::string& value) {
  return R"({"resourceType":"Observation","id":")" + id +
         R"(","status":"final","code":{"coding":[{"system":"http://loinc.org","code":"8867-4"}]},)"
         R"("subject":{"reference":"Patient/)" +
         patient + R"("},"effectiveDateTime":"2026-11-20","valueQuantity":)" + value + "}";
}

TEST(FastPath, UnusedObservationOfAnotherPatientStillMismatches) {
  auto r = MapBundle(Bundle({Patient(), StandardStudy(), VitalSign("hr", "p2", "{\"value\":72}")}),
                     DefaultCodeMap(), kAsOf);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.errors().front().rule, "patient_mismatch");
}

TEST(FastPath, UnusedObservationLeavesNoTraceAndChangesNothing) {
  auto base = MapBundle(Bundle({Patient(), StandardStudy()}), DefaultCodeMap(), kAsOf);
  // A wrong-typed value in an Observation the mapping does not use is neither read nor reported.
  auto with = MapBundle(Bundle({Patient(), StandardStudy(), VitalSign("hr", "p1", "\"72\"")}),
                        DefaultCodeMap(), kAsOf);
  ASSERT_TRUE(base.ok());
  ASSERT_TRUE(with.ok());
  EXPECT_EQ(base->unmapped.size(), with->unmapped.size());
  ASSERT_TRUE(with->c.imaging.thrombi.has_value());
  EXPECT_EQ(base->c.imaging.thrombi->size(), with->c.imaging.thrombi->size());
  EXPECT_EQ(base->usable, with->usable);
}

TEST(FastPath, PatientRecordSkipsVitalSignsPerLine) {
  PatientRecord rec(DefaultCodeMap());
  ASSERT_TRUE(rec.Add(Patient()).ok());
  for (int i = 0; i < 100; ++i)
    ASSERT_TRUE(rec.Add(VitalSign("hr" + std::to_string(i), "p1", "{\"value\":72}")).ok());
  ASSERT_TRUE(rec.Add(VitalSign("other", "p2", "{\"value\":72}")).ok());
  const MappedCase m = rec.ToCase(kAsOf);
  int mismatches = 0;
  for (const auto& u : m.unmapped) mismatches += u.resource == "Observation/other";
  EXPECT_EQ(mismatches, 1);
  EXPECT_EQ(m.patient_id, "p1");
}

std::string DuplexOrder(const std::string& id, const std::string& status) {
  return R"({"resourceType":"ServiceRequest","id":")" + id + R"(","status":")" + status +
         R"(","intent":"order","subject":{"reference":"Patient/p1"},"code":)" +
         Coding(kLoinc, "48692-8") + R"(,"occurrenceDateTime":"2026-11-27"})";
}

// Regression (CDS review): a stale draft ServiceRequest counted as a booked follow-up scan and
// could silence the patient-view card. A draft is proposed, not booked.
TEST(Drafts, DraftDuplexOrderIsNotABookedFollowUp) {
  auto r = MapBundle(Bundle({Patient(), StandardStudy(), DuplexOrder("d7", "draft"),
                             DuplexOrder("a7", "active")}),
                     DefaultCodeMap(), kAsOf);
  ASSERT_TRUE(r.ok());
  ASSERT_EQ(r->care.followups.size(), 1u);
  EXPECT_EQ(r->care.followups[0].id, "a7");
  ASSERT_EQ(r->care.draft_followups.size(), 1u);
  EXPECT_EQ(r->care.draft_followups[0].id, "d7");
  EXPECT_EQ(r->care.draft_followups[0].due->ToString(), "2026-11-27");
}

// Regression (CDS review): order-sign rewrote "status":"draft" to "active" to see its draft
// orders; the care facts now say it: anticoagulant_draft, draft_followups.
TEST(Drafts, DraftAnticoagulantIsReportedApart) {
  const std::string draft =
      R"({"resourceType":"MedicationRequest","id":"m1","status":"draft","intent":"order",
    "subject":{"reference":"Patient/p1"},"medicationCodeableConcept":)" +
      Coding("http://www.nlm.nih.gov/research/umls/rxnorm", "1364430") + "}";
  PatientRecord rec(DefaultCodeMap());
  ASSERT_TRUE(rec.Add(draft).ok());
  ASSERT_TRUE(rec.Add(DuplexOrder("d14", "draft")).ok());
  const MappedCase m = rec.ToCase(kAsOf);
  EXPECT_TRUE(m.care.anticoagulant_draft);
  EXPECT_FALSE(m.care.anticoagulant_active);
  EXPECT_TRUE(m.care.followups.empty());
  EXPECT_EQ(m.care.draft_followups.size(), 1u);
}

TEST(CodeEntryMatches, NormalisesIcdWithoutCopies) {
  CodeEntry exact{std::string(kIcd), "I82442", "", CodeEntry::Match::kExact};
  EXPECT_TRUE(exact.Matches(kIcd, "I82.442"));
  EXPECT_TRUE(exact.Matches(kIcd, "i82.442"));
  EXPECT_FALSE(exact.Matches(kIcd, "I82.44"));
  EXPECT_FALSE(exact.Matches(kIcd, "I82.4421"));
  EXPECT_FALSE(exact.Matches(kSct, "I82442"));
  CodeEntry prefix{std::string(kIcd), "Z8671", "", CodeEntry::Match::kPrefix};
  EXPECT_TRUE(prefix.Matches(kIcd, "Z86.718"));
  EXPECT_FALSE(prefix.Matches(kIcd, "Z86.7"));
  CodeEntry range{std::string(kIcd), "C00", "C96", CodeEntry::Match::kRange};
  EXPECT_TRUE(range.Matches(kIcd, "C50.9"));
  EXPECT_TRUE(range.Matches(kIcd, "c96"));
  EXPECT_TRUE(range.Matches(kIcd, "C00"));
  EXPECT_FALSE(range.Matches(kIcd, "C97"));
  EXPECT_FALSE(range.Matches(kIcd, "D00.1"));
  EXPECT_FALSE(range.Matches(kIcd, "C5"));
  CodeEntry snomed{std::string(kSct), "ABC", "", CodeEntry::Match::kExact};
  EXPECT_FALSE(snomed.Matches(kSct, "abc"));  // only ICD-10-CM is case-insensitive
  EXPECT_TRUE(snomed.Matches(kSct, "ABC"));
}

// Outside ICD-10-CM the code is compared before the system: a system of the same length but other
// bytes, or a longer/shorter code, must still be rejected.
TEST(CodeEntryMatches, NonIcdComparesCodeThenSystem) {
  const std::string loinc = kLoinc;                  // "http://loinc.org"
  const std::string same_length = "http://loinc.orX";  // same size, other bytes
  ASSERT_EQ(loinc.size(), same_length.size());
  CodeEntry exact{loinc, "48065-7", "", CodeEntry::Match::kExact};
  EXPECT_TRUE(exact.Matches(loinc, "48065-7"));
  EXPECT_FALSE(exact.Matches(same_length, "48065-7"));
  EXPECT_FALSE(exact.Matches(loinc, "48065-"));
  EXPECT_FALSE(exact.Matches(loinc, "48065-70"));
  CodeEntry prefix{loinc, "4806", "", CodeEntry::Match::kPrefix};
  EXPECT_TRUE(prefix.Matches(loinc, "48065-7"));
  EXPECT_TRUE(prefix.Matches(loinc, "4806"));
  EXPECT_FALSE(prefix.Matches(loinc, "480"));
  EXPECT_FALSE(prefix.Matches(loinc, "4807"));
  EXPECT_FALSE(prefix.Matches(same_length, "48065-7"));
}

}  // namespace
}  // namespace calfdvt::fhir
