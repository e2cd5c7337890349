// calfdvt/assessment@1 -> FHIR R4 proposals (issue 6 §2): ServiceRequest (intent "proposal") for
// each surveillance duplex (day 7, day 14), MedicationRequest (intent "proposal") for the regimen,
// DetectedIssue for each critical alert. Every resource cites the knowledge id, version and SHA-256
// (meta.tag / extension, see docs/fhir.md). Pure; ids are derived deterministically from the
// assessment so the same input gives byte-identical output.
//
// INTERFACE CONTRACT shared by `calfdvt assess --fhir-out`, the CDS Hooks suggestions and tests.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "pathway/assessment.h"

namespace calfdvt::fhir {

struct EmittedResource {
  std::string type;  // "ServiceRequest", "MedicationRequest", "DetectedIssue"
  std::string id;    // deterministic
  std::string json;  // the resource as a JSON object
  std::string description;  // one human sentence (used as a CDS Hooks action description)
};

// Which proposals EmitProposals writes: all of them, or only the orders (ServiceRequest and
// MedicationRequest: what CDS Hooks suggestions can create; no DetectedIssue).
enum class ProposalKinds { kAll, kOrdersOnly };

// `patient_ref`: "Patient/<id>" (may be empty when the case has no patient id; subject then
// carries a display only).
std::vector<EmittedResource> EmitProposals(const pathway::Assessment& a, std::string_view patient_ref,
                                           ProposalKinds kinds = ProposalKinds::kAll);

// The proposals as a FHIR Bundle of type "collection".
std::string EmitBundle(const pathway::Assessment& a, std::string_view patient_ref);

}  // namespace calfdvt::fhir
