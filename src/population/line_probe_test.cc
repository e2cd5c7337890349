#include "population/line_probe.h"

#include <gtest/gtest.h>

#include "fhir/record.h"

namespace calfdvt::population {
namespace {

TEST(PatientIdOfReference, Forms) {
  EXPECT_EQ(PatientIdOfReference("Patient/abc"), "abc");
  EXPECT_EQ(PatientIdOfReference("https://ehr.example.org/fhir/Patient/abc"), "abc");
  EXPECT_EQ(PatientIdOfReference("Patient/abc/_history/3"), "abc");
  EXPECT_EQ(PatientIdOfReference("Group/abc"), "");
  EXPECT_EQ(PatientIdOfReference("urn:uuid:1234"), "");
  EXPECT_EQ(PatientIdOfReference("OtherPatient/abc"), "");
  EXPECT_EQ(PatientIdOfReference("Patient/"), "");
  EXPECT_EQ(PatientIdOfReference(""), "");
}

// Copies the line into a padded buffer, as the scanner's chunk buffers are.
ProbeResult Probe(LineProbe& p, const std::string& line, unsigned want, std::string& buf) {
  buf = line + std::string(LineProbe::kPadding, ' ');
  return p.Probe(std::string_view(buf.data(), line.size()), want);
}

TEST(LineProbe, PatientAndSubject) {
  LineProbe p(fhir::DefaultCodeMap());
  std::string buf;
  auto r = Probe(p, R"({"resourceType":"Patient","id":"p1","gender":"female"})", kWantNothing, buf);
  ASSERT_TRUE(r.ok) << r.error;
  EXPECT_EQ(r.resource_type, "Patient");
  EXPECT_EQ(r.patient_id, "p1");
  r = Probe(p, R"({"id":"o1","subject":{"reference":"https://x.org/fhir/Patient/p2"},"resourceType":"Observation"})",
            kWantNothing, buf);
  ASSERT_TRUE(r.ok);
  EXPECT_EQ(r.patient_id, "p2");
  EXPECT_EQ(r.resource_type, "Observation");
  r = Probe(p, R"({"resourceType":"Observation","id":"o2"})", kWantNothing, buf);
  ASSERT_TRUE(r.ok);
  EXPECT_EQ(r.patient_id, "");
}

TEST(LineProbe, DvtEvidence) {
  LineProbe p(fhir::DefaultCodeMap());
  std::string buf;
  const std::string distal =
      R"({"resourceType":"Condition","id":"c","code":{"coding":[{"system":"http://hl7.org/fhir/sid/icd-10-cm","code":"I82.462"}]},"subject":{"reference":"Patient/p"}})";
  EXPECT_TRUE(Probe(p, distal, kWantEvidence, buf).dvt_evidence);
  EXPECT_FALSE(Probe(p, distal, kWantNothing, buf).dvt_evidence) << "only computed when asked";
  const std::string chronic =
      R"({"resourceType":"Condition","code":{"coding":[{"system":"http://hl7.org/fhir/sid/icd-10-cm","code":"I82.512"}]},"subject":{"reference":"Patient/p"}})";
  EXPECT_FALSE(Probe(p, chronic, kWantEvidence, buf).dvt_evidence);
  const std::string code_first =
      R"({"code":{"coding":[{"system":"http://hl7.org/fhir/sid/icd-10-cm","code":"I82.431"}]},"resourceType":"Condition","subject":{"reference":"Patient/p"}})";
  EXPECT_TRUE(Probe(p, code_first, kWantEvidence, buf).dvt_evidence);
  const std::string duplex =
      R"({"resourceType":"DiagnosticReport","code":{"coding":[{"system":"http://loinc.org","code":"80860-0"}]},"subject":{"reference":"Patient/p"}})";
  EXPECT_TRUE(Probe(p, duplex, kWantEvidence, buf).dvt_evidence);
  const std::string cbc =
      R"({"resourceType":"DiagnosticReport","code":{"coding":[{"system":"http://loinc.org","code":"58410-2"}]},"subject":{"reference":"Patient/p"}})";
  EXPECT_FALSE(Probe(p, cbc, kWantEvidence, buf).dvt_evidence);
}

TEST(LineProbe, ObservationRelevance) {
  LineProbe p(fhir::DefaultCodeMap());
  std::string buf;
  const std::string vital =
      R"({"resourceType":"Observation","code":{"coding":[{"system":"http://loinc.org","code":"8867-4"}]},"subject":{"reference":"Patient/p"}})";
  auto relevant = [&](const std::string& line) {
    EXPECT_TRUE(Probe(p, line, kWantNothing, buf).ok);
    return p.MappingRelevant();
  };
  EXPECT_FALSE(relevant(vital));
  const std::string ddimer =
      R"({"resourceType":"Observation","code":{"coding":[{"system":"http://loinc.org","code":"48065-7"}]},"subject":{"reference":"Patient/p"}})";
  EXPECT_TRUE(relevant(ddimer));
  const std::string finding =
      R"({"resourceType":"Observation","code":{"coding":[{"system":"https://calfdvt.org/fhir/CodeSystem/calfdvt","code":"thrombus-finding"}]}})";
  EXPECT_TRUE(relevant(finding));
  const std::string by_profile =
      R"({"resourceType":"Observation","meta":{"profile":["https://calfdvt.org/fhir/StructureDefinition/calfdvt-thrombus-finding"]},"code":{"text":"thrombus"}})";
  EXPECT_TRUE(relevant(by_profile));
  const std::string crcl =
      R"({"resourceType":"Observation","code":{"coding":[{"system":"http://loinc.org","code":"2164-2"}]}})";
  EXPECT_TRUE(relevant(crcl));
  const std::string condition = R"({"resourceType":"Condition","code":{"coding":[]}})";
  EXPECT_TRUE(relevant(condition));
}

TEST(LineProbe, Malformed) {
  LineProbe p(fhir::DefaultCodeMap());
  std::string buf;
  EXPECT_FALSE(Probe(p, R"({"resourceType":"Observation","subject":{"refer)", kWantNothing, buf).ok);
  EXPECT_FALSE(Probe(p, R"({"resourceType":"Observation","x":[1,2}})", kWantNothing, buf).ok);
  EXPECT_FALSE(Probe(p, R"({"id":"x"})", kWantNothing, buf).ok) << "no resourceType";
  EXPECT_FALSE(Probe(p, R"([1,2,3])", kWantNothing, buf).ok);
  EXPECT_FALSE(Probe(p, R"({"resourceType":7})", kWantNothing, buf).ok);
}

}  // namespace
}  // namespace calfdvt::population
