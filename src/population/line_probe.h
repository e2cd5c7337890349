// A cheap first look at one Bulk Data NDJSON line (docs/scan.md): its resourceType, the patient it
// belongs to, and — for the candidate pass — whether it records a DVT or a venous duplex. Reads
// only those fields (simdjson On Demand); the full mapping (fhir::PatientRecord) reads candidates'
// lines later. Pure; one LineProbe per thread (it owns a parser), not thread-safe.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "fhir/code_map.h"

namespace calfdvt::population {

// The patient id of a reference: "Patient/x", "https://host/fhir/Patient/x",
// "Patient/x/_history/3" -> "x". Anything else (other types, urn:uuid:, "") -> "".
std::string_view PatientIdOfReference(std::string_view reference);

struct ProbeResult {
  bool ok = false;
  std::string_view error;          // when !ok: a sentence (static text)
  std::string_view resource_type;  // valid until the next Probe()
  std::string_view patient_id;     // Patient.id or the subject/patient reference's id; may be ""
  bool dvt_evidence = false;       // only computed when asked (see Probe)
};

enum ProbeWant : unsigned {
  kWantNothing = 0,
  kWantEvidence = 1,  // compute dvt_evidence
};

class LineProbe {
 public:
  // Number of readable bytes the caller guarantees after each line (simdjson padding).
  static constexpr size_t kPadding = 64;

  explicit LineProbe(const fhir::CodeMap& codes);
  ~LineProbe();
  LineProbe(const LineProbe&) = delete;
  LineProbe& operator=(const LineProbe&) = delete;

  // `line` must be followed in memory by kPadding readable bytes. `want` is a ProbeWant mask.
  // kWantEvidence: a Condition coded as an acute DVT (distal, proximal or level unspecified,
  // whatever its status) or a DiagnosticReport coded as a venous duplex sets dvt_evidence — a
  // superset of the patients the mapping can find a DVT for (docs/scan.md, "Candidates").
  ProbeResult Probe(std::string_view line, unsigned want);

  // About the line of the last successful Probe() (precondition): whether the FHIR mapping can use
  // it. An Observation is relevant only when its code matches the code map's thrombus finding,
  // attestation, D-dimer or observation lists, or its meta.profile is the finding profile — the
  // only Observations fhir::PatientRecord reads (fhir/map_run.cc); vital signs and other
  // laboratory results are not. Every other resource type is relevant.
  bool MappingRelevant() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace calfdvt::population
