// FHIR R4 resource builders for the synthetic export (internal to population/synth.cc). Each
// returns one resource as a single-line JSON object. Codes follow /work/shared/fhir-reference.md
// and docs/fhir.md and knowledge/fhir-map.json (calfdvt's CodeSystem and thrombus finding profile).
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "core/date.h"
#include "population/synth_rng.h"

namespace calfdvt::population::synth {

inline constexpr std::string_view kLoinc = "http://loinc.org";
inline constexpr std::string_view kSnomed = "http://snomed.info/sct";
inline constexpr std::string_view kIcd10 = "http://hl7.org/fhir/sid/icd-10-cm";
inline constexpr std::string_view kRxNorm = "http://www.nlm.nih.gov/research/umls/rxnorm";
inline constexpr std::string_view kUcum = "http://unitsofmeasure.org";

struct Code {
  std::string_view system;
  std::string_view code;
  std::string_view display;
};

// Common context of one patient's resources.
struct Subject {
  std::string patient_id;
  std::string base_ref;  // "Patient/<id>" or an absolute URL ending in it
};

// A date-time on day `d` at a pseudo-random clock time ("2026-11-10T09:35:00Z").
std::string DateTime(core::Date d, Rng& rng);

std::string PatientJson(const std::string& id, bool female, core::Date birth, Rng& rng);
std::string EncounterJson(const std::string& id, const Subject& s, bool inpatient, core::Date start,
                          Rng& rng);
// clinical: "active" | "resolved"; verification: "confirmed" | "entered-in-error" ...
std::string ConditionJson(const std::string& id, const Subject& s, const Code& code,
                          std::string_view clinical, std::string_view verification,
                          core::Date onset, Rng& rng);
// A vital sign / laboratory Observation with a quantity (noise for the care gaps).
std::string QuantityObservationJson(const std::string& id, const Subject& s, std::string_view category,
                                    const Code& code, double value, std::string_view unit,
                                    std::string_view ucum, core::Date when, Rng& rng);
std::string BloodPressureJson(const std::string& id, const Subject& s, int systolic, int diastolic,
                              core::Date when, Rng& rng);
// D-dimer: FEU (48065-7, ng/mL{FEU}) or DDU (48066-5, ng/mL{DDU}) with the laboratory cut-off as
// referenceRange.high.
std::string DDimerJson(const std::string& id, const Subject& s, bool feu, double value, double cutoff,
                       core::Date when, Rng& rng);
// One thrombosed vein segment found on duplex (calfdvt ultrasound profile).
struct ThrombusFinding {
  Code vein;                 // SNOMED CT body site
  std::string_view side;     // "left" | "right"
  double length_cm = 0;
  double diameter_mm = 0;
  double distance_cm = 0;  // 0: not reported (proximal thrombi)
};
std::string ThrombusObservationJson(const std::string& id, const Subject& s, const ThrombusFinding& t,
                                    core::Date when, Rng& rng);
// Venous duplex report with its protocol (whole-leg or limited); `results` are Observation ids
// (none: no thrombus found, coded in conclusionCode).
std::string DuplexReportJson(const std::string& id, const Subject& s, const Code& code,
                             bool limited, std::string_view conclusion, const std::string* results,
                             int n_results, core::Date when, Rng& rng);
std::string MedicationRequestJson(const std::string& id, const Subject& s, const Code& drug,
                                  std::string_view status, std::string_view dosage, core::Date when,
                                  Rng& rng);
std::string ServiceRequestJson(const std::string& id, const Subject& s, const Code& code,
                               std::string_view status, core::Date authored,
                               std::optional<core::Date> occurrence, Rng& rng);

}  // namespace calfdvt::population::synth
