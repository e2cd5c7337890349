#include "population/synth_resources.h"

#include <cstdio>

#include "core/json_writer.h"

namespace calfdvt::population::synth {
namespace {

// calfdvt's own CodeSystem for ultrasound thrombus findings (docs/fhir.md).
constexpr std::string_view kCalfdvt = "https://calfdvt.org/fhir/CodeSystem/calfdvt";
constexpr std::string_view kFindingProfile =
    "https://calfdvt.org/fhir/StructureDefinition/calfdvt-thrombus-finding";
constexpr std::string_view kObsCategory =
    "http://terminology.hl7.org/CodeSystem/observation-category";

using core::JsonWriter;

void WriteCoding(JsonWriter& w, const Code& c) {
  w.BeginObject().Key("system").String(c.system).Key("code").String(c.code);
  if (!c.display.empty()) w.Key("display").String(c.display);
  w.EndObject();
}

void WriteConcept(JsonWriter& w, const Code& c, bool with_text = true) {
  w.BeginObject().Key("coding").BeginArray();
  WriteCoding(w, c);
  w.EndArray();
  if (with_text && !c.display.empty()) w.Key("text").String(c.display);
  w.EndObject();
}

void Begin(JsonWriter& w, std::string_view type, const std::string& id, core::Date updated) {
  w.BeginObject().Key("resourceType").String(type).Key("id").String(id);
  w.Key("meta").BeginObject().Key("versionId").String("1");
  std::string ts = updated.ToString() + "T23:00:00Z";
  w.Key("lastUpdated").String(ts).EndObject();
}

void WriteSubject(JsonWriter& w, const Subject& s, std::string_view key = "subject") {
  w.Key(key).BeginObject().Key("reference").String(s.base_ref).EndObject();
}

void WriteCategory(JsonWriter& w, std::string_view system, std::string_view code,
                   std::string_view display) {
  w.Key("category").BeginArray();
  WriteConcept(w, Code{system, code, display}, false);
  w.EndArray();
}

void WriteQuantity(JsonWriter& w, double value, std::string_view unit, std::string_view ucum) {
  w.BeginObject().Key("value").Number(value).Key("unit").String(unit);
  w.Key("system").String(kUcum).Key("code").String(ucum).EndObject();
}

}  // namespace

std::string DateTime(core::Date d, Rng& rng) {
  char buf[32];
  d.Format(buf);
  const int h = rng.Range(7, 19), m = rng.Range(0, 59);
  std::snprintf(buf + 10, sizeof buf - 10, "T%02d:%02d:00Z", h, m);
  return std::string(buf, 20);
}

std::string PatientJson(const std::string& id, bool female, core::Date birth, Rng& rng) {
  static constexpr std::string_view kFamily[] = {"Synthea", "Example", "Testcase", "Fictive",
                                                 "Placeholder", "Sample", "Mock", "Dummy"};
  static constexpr std::string_view kCities[] = {"Springfield", "Riverton", "Lakeside", "Hillview"};
  std::string out;
  JsonWriter w(out);
  Begin(w, "Patient", id, birth.AddDays(1));
  w.Key("identifier").BeginArray().BeginObject();
  w.Key("system").String("urn:oid:2.16.840.1.113883.19.5.99999");
  w.Key("value").String("SYN" + std::to_string(rng.Next() % 100000000)).EndObject().EndArray();
  w.Key("active").Bool(true);
  w.Key("name").BeginArray().BeginObject().Key("use").String("official");
  w.Key("family").String(kFamily[rng.Range(0, 7)]);
  w.Key("given").BeginArray().String(female ? "Alex" : "Sam").EndArray().EndObject().EndArray();
  w.Key("gender").String(female ? "female" : "male");
  w.Key("birthDate").DateValue(birth);
  w.Key("address").BeginArray().BeginObject().Key("city").String(kCities[rng.Range(0, 3)]);
  w.Key("country").String("US").EndObject().EndArray();
  w.EndObject();
  return out;
}

std::string EncounterJson(const std::string& id, const Subject& s, bool inpatient, core::Date start,
                          Rng& rng) {
  std::string out;
  JsonWriter w(out);
  Begin(w, "Encounter", id, start);
  w.Key("status").String(inpatient ? "in-progress" : "finished");
  w.Key("class").BeginObject().Key("system").String("http://terminology.hl7.org/CodeSystem/v3-ActCode");
  w.Key("code").String(inpatient ? "IMP" : "AMB");
  w.Key("display").String(inpatient ? "inpatient encounter" : "ambulatory").EndObject();
  w.Key("type").BeginArray();
  WriteConcept(w, inpatient ? Code{kSnomed, "32485007", "Hospital admission"}
                            : Code{kSnomed, "185349003", "Encounter for check up"});
  w.EndArray();
  WriteSubject(w, s);
  w.Key("period").BeginObject().Key("start").String(DateTime(start, rng));
  if (!inpatient) w.Key("end").String(DateTime(start, rng));
  w.EndObject();
  w.EndObject();
  return out;
}

std::string ConditionJson(const std::string& id, const Subject& s, const Code& code,
                          std::string_view clinical, std::string_view verification,
                          core::Date onset, Rng& rng) {
  std::string out;
  JsonWriter w(out);
  Begin(w, "Condition", id, onset);
  w.Key("clinicalStatus");
  WriteConcept(w, Code{"http://terminology.hl7.org/CodeSystem/condition-clinical", clinical, ""});
  w.Key("verificationStatus");
  WriteConcept(w, Code{"http://terminology.hl7.org/CodeSystem/condition-ver-status", verification, ""});
  WriteCategory(w, "http://terminology.hl7.org/CodeSystem/condition-category", "encounter-diagnosis",
                "Encounter Diagnosis");
  w.Key("code");
  WriteConcept(w, code);
  WriteSubject(w, s);
  const std::string when = DateTime(onset, rng);
  w.Key("onsetDateTime").String(when).Key("recordedDate").String(when);
  w.EndObject();
  return out;
}

std::string QuantityObservationJson(const std::string& id, const Subject& s, std::string_view category,
                                    const Code& code, double value, std::string_view unit,
                                    std::string_view ucum, core::Date when, Rng& rng) {
  std::string out;
  JsonWriter w(out);
  Begin(w, "Observation", id, when);
  w.Key("status").String("final");
  WriteCategory(w, kObsCategory, category, category == "vital-signs" ? "Vital Signs" : "Laboratory");
  w.Key("code");
  WriteConcept(w, code);
  WriteSubject(w, s);
  const std::string t = DateTime(when, rng);
  w.Key("effectiveDateTime").String(t).Key("issued").String(t);
  w.Key("valueQuantity");
  WriteQuantity(w, value, unit, ucum);
  w.EndObject();
  return out;
}

std::string BloodPressureJson(const std::string& id, const Subject& s, int systolic, int diastolic,
                              core::Date when, Rng& rng) {
  std::string out;
  JsonWriter w(out);
  Begin(w, "Observation", id, when);
  w.Key("status").String("final");
  WriteCategory(w, kObsCategory, "vital-signs", "Vital Signs");
  w.Key("code");
  WriteConcept(w, Code{kLoinc, "85354-9", "Blood pressure panel with all children optional"});
  WriteSubject(w, s);
  w.Key("effectiveDateTime").String(DateTime(when, rng));
  w.Key("component").BeginArray();
  for (int i = 0; i < 2; ++i) {
    w.BeginObject().Key("code");
    WriteConcept(w, i == 0 ? Code{kLoinc, "8480-6", "Systolic blood pressure"}
                           : Code{kLoinc, "8462-4", "Diastolic blood pressure"});
    w.Key("valueQuantity");
    WriteQuantity(w, i == 0 ? systolic : diastolic, "mmHg", "mm[Hg]");
    w.EndObject();
  }
  w.EndArray();
  w.EndObject();
  return out;
}

std::string DDimerJson(const std::string& id, const Subject& s, bool feu, double value, double cutoff,
                       core::Date when, Rng& rng) {
  std::string out;
  JsonWriter w(out);
  Begin(w, "Observation", id, when);
  w.Key("status").String("final");
  WriteCategory(w, kObsCategory, "laboratory", "Laboratory");
  w.Key("code");
  WriteConcept(w, feu ? Code{kLoinc, "48065-7", "Fibrin D-dimer FEU [Mass/volume] in Platelet poor plasma"}
                      : Code{kLoinc, "48066-5", "Fibrin D-dimer DDU [Mass/volume] in Platelet poor plasma"});
  WriteSubject(w, s);
  w.Key("effectiveDateTime").String(DateTime(when, rng));
  const std::string_view unit = feu ? "ng/mL{FEU}" : "ng/mL{DDU}";
  w.Key("valueQuantity");
  WriteQuantity(w, value, unit, unit);
  w.Key("referenceRange").BeginArray().BeginObject().Key("high");
  WriteQuantity(w, cutoff, unit, unit);
  w.EndObject().EndArray();
  w.EndObject();
  return out;
}

std::string ThrombusObservationJson(const std::string& id, const Subject& s, const ThrombusFinding& t,
                                    core::Date when, Rng& rng) {
  std::string out;
  JsonWriter w(out);
  w.BeginObject().Key("resourceType").String("Observation").Key("id").String(id);
  w.Key("meta").BeginObject().Key("profile").BeginArray().String(kFindingProfile).EndArray().EndObject();
  w.Key("status").String("final");
  WriteCategory(w, kObsCategory, "imaging", "Imaging");
  w.Key("code");
  WriteConcept(w, Code{kCalfdvt, "thrombus-finding", "Venous thrombus finding"});
  WriteSubject(w, s);
  w.Key("effectiveDateTime").String(DateTime(when, rng));
  w.Key("valueCodeableConcept");
  WriteConcept(w, Code{kCalfdvt, "thrombus-present", "Thrombus present"});
  w.Key("bodySite");
  WriteConcept(w, t.vein);
  w.Key("component").BeginArray();
  const auto concept_component = [&](const Code& code, const Code& value) {
    w.BeginObject().Key("code");
    WriteConcept(w, code);
    w.Key("valueCodeableConcept");
    WriteConcept(w, value);
    w.EndObject();
  };
  const auto quantity_component = [&](const Code& code, double v, std::string_view unit) {
    w.BeginObject().Key("code");
    WriteConcept(w, code);
    w.Key("valueQuantity");
    WriteQuantity(w, v, unit, unit);
    w.EndObject();
  };
  concept_component(Code{kCalfdvt, "laterality", "Leg"},
                    t.side == "left" ? Code{kSnomed, "7771000", "Left"} : Code{kSnomed, "24028007", "Right"});
  concept_component(Code{kCalfdvt, "thrombus-acuity", "Thrombus acuity"}, Code{kCalfdvt, "acute", "Acute thrombus"});
  quantity_component(Code{kCalfdvt, "thrombus-length", "Thrombus length"}, t.length_cm, "cm");
  quantity_component(Code{kCalfdvt, "thrombus-max-diameter", "Maximum vein diameter at the thrombus"},
                     t.diameter_mm, "mm");
  if (t.distance_cm > 0)
    quantity_component(Code{kCalfdvt, "distance-to-popliteal", "Distance from the thrombus to the popliteal vein"},
                       t.distance_cm, "cm");
  w.EndArray();
  w.EndObject();
  return out;
}

std::string DuplexReportJson(const std::string& id, const Subject& s, const Code& code,
                             bool limited, std::string_view conclusion, const std::string* results,
                             int n_results, core::Date when, Rng& rng) {
  std::string out;
  JsonWriter w(out);
  Begin(w, "DiagnosticReport", id, when);
  w.Key("status").String("final");
  WriteCategory(w, "http://terminology.hl7.org/CodeSystem/v2-0074", "RAD", "Radiology");
  // The LOINC study code and calfdvt's protocol code (docs/fhir.md): the protocol says whether the
  // calf veins were examined.
  w.Key("code").BeginObject().Key("coding").BeginArray();
  WriteCoding(w, code);
  WriteCoding(w, limited ? Code{kCalfdvt, "proximal-compression-2point",
                                "Limited 2-point proximal compression (calf veins not examined)"}
                         : Code{kCalfdvt, "whole-leg-duplex",
                                "Complete duplex, inguinal ligament to ankle, calf veins included"});
  w.EndArray().Key("text").String(code.display).EndObject();
  WriteSubject(w, s);
  const std::string t = DateTime(when, rng);
  w.Key("effectiveDateTime").String(t).Key("issued").String(t);
  if (n_results > 0) {
    w.Key("result").BeginArray();
    for (int i = 0; i < n_results; ++i)
      w.BeginObject().Key("reference").String("Observation/" + results[i]).EndObject();
    w.EndArray();
  }
  w.Key("conclusion").String(conclusion);
  if (n_results == 0) {
    w.Key("conclusionCode").BeginArray();
    WriteConcept(w, Code{kCalfdvt, "no-thrombus", "No deep or superficial vein thrombus seen"});
    w.EndArray();
  }
  w.EndObject();
  return out;
}

std::string MedicationRequestJson(const std::string& id, const Subject& s, const Code& drug,
                                  std::string_view status, std::string_view dosage, core::Date when,
                                  Rng& rng) {
  std::string out;
  JsonWriter w(out);
  Begin(w, "MedicationRequest", id, when);
  w.Key("status").String(status).Key("intent").String("order");
  w.Key("medicationCodeableConcept");
  WriteConcept(w, drug);
  WriteSubject(w, s);
  w.Key("authoredOn").String(DateTime(when, rng));
  w.Key("dosageInstruction").BeginArray().BeginObject().Key("text").String(dosage).EndObject().EndArray();
  w.EndObject();
  return out;
}

std::string ServiceRequestJson(const std::string& id, const Subject& s, const Code& code,
                               std::string_view status, core::Date authored,
                               std::optional<core::Date> occurrence, Rng& rng) {
  std::string out;
  JsonWriter w(out);
  Begin(w, "ServiceRequest", id, authored);
  w.Key("status").String(status).Key("intent").String("order");
  WriteCategory(w, kSnomed, "363679005", "Imaging");
  w.Key("code");
  WriteConcept(w, code);
  WriteSubject(w, s);
  if (occurrence) w.Key("occurrenceDateTime").String(DateTime(*occurrence, rng));
  w.Key("authoredOn").String(DateTime(authored, rng));
  w.EndObject();
  return out;
}

}  // namespace calfdvt::population::synth
