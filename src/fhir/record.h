// FHIR R4 -> calfdvt/case@1 (issue 6). One patient's resources, in any order, accumulated into
// compact facts, then mapped onto a pathway::Case. Used by `calfdvt assess --fhir` (a Bundle), by
// the CDS Hooks services (prefetch or fhirServer results) and by `calfdvt scan` (Bulk Data NDJSON,
// one resource per line). Pure: no I/O, no clock; `as_of` is passed in. The code lists (ICD-10-CM,
// SNOMED CT, LOINC, RxNorm, vein body sites, calfdvt's own CodeSystem) are data
// (knowledge/fhir-map.json), never code. What cannot be mapped stays UNKNOWN and is reported in
// MappedCase::unmapped: nothing is guessed. Documented in docs/fhir.md.
//
// INTERFACE CONTRACT shared by the mapping, the CDS Hooks services and the population scan.
// Extend it (add members/functions); do not change the meaning of what is here.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/date.h"
#include "core/status.h"
#include "pathway/case.h"
#include "pathway/knowledge.h"

namespace simdjson::dom {
class element;
}  // namespace simdjson::dom

namespace calfdvt::fhir {

// The code lists of knowledge/fhir-map.json, validated at load (formats-style strict loader).
struct CodeMap;  // defined in fhir/code_map.h
// The embedded default (knowledge/fhir-map.json compiled in) and a loader for an override file.
const CodeMap& DefaultCodeMap();
core::Result<std::shared_ptr<const CodeMap>> LoadCodeMap(std::string_view json);

// Something in the input that could not be placed on the case: the case field stays unknown.
struct Unmapped {
  std::string resource;  // "Observation/abc" (type/id of the resource), or "" for the bundle
  std::string path;      // FHIRPath-like location in the resource ("code.coding[0]")
  std::string field;     // case field left unknown, when one is affected ("labs.d_dimer"), or ""
  std::string reason;    // sentence: what was found and why it could not be used
};

// Care-relevant facts beyond the case, for order-sign and the scan's care gaps.
struct CareFacts {
  bool distal_dvt = false;         // an acute isolated distal DVT is recorded (condition or imaging)
  bool proximal_dvt = false;       // an acute proximal DVT is recorded
  std::optional<core::Date> dvt_onset;        // date of the index distal/proximal DVT diagnosis
  bool anticoagulant_active = false;          // active/completed anticoagulant order or statement
  // Added: a DRAFT anticoagulant MedicationRequest exists (status "draft": proposed, not signed).
  // Not counted in anticoagulant_active. The CDS order-sign hook reads its context.draftOrders
  // this way: the drafts are what signing would create.
  bool anticoagulant_draft = false;
  // Follow-up duplex orders (ServiceRequest for venous ultrasound, not cancelled/revoked, and not
  // draft: a draft order is not a booked scan, see draft_followups):
  struct FollowUp {
    std::string id;
    std::optional<core::Date> due;  // occurrence date or period end
    bool completed = false;         // status completed, or a later duplex report exists
  };
  std::vector<FollowUp> followups;
  // Added: duplex ServiceRequests with status "draft" (proposed, not signed: not booked). In
  // patient-view and the scan a stale draft does not count as a booked scan; in order-sign the
  // draftOrders being signed are read from here.
  std::vector<FollowUp> draft_followups;
  bool calf_veins_assessed = false;  // a complete (whole-leg) duplex report is present
  bool limited_scan_only = false;    // only limited/proximal-compression reports are present
};

struct MappedCase {
  std::string patient_id;  // Patient.id ("" when no Patient resource was seen)
  pathway::Case c;         // passes formats/case_json validation rules when `usable`
  bool usable = false;     // false when required case fields (imaging) could not be mapped
  std::vector<Unmapped> unmapped;
  CareFacts care;
  // Added: CHEST bleeding risk factors found in coded data (Conditions, medications, age,
  // procedures). Never placed on the case by ToCase (absence of the others is not evidence):
  // ApplyBleedingFactors places them when they alone reach the knowledge's top category.
  std::vector<pathway::BleedingFactor> bleeding_factors_found;
  // Added: ids/versions of the code map used (cited in outputs).
  std::string code_map_version;
};

class PatientRecord;
core::Result<MappedCase> MapBundle(std::string_view bundle_json, const CodeMap& codes,
                                   core::Date as_of);

// Accumulates one patient's resources. Not thread-safe; cheap to move. Resource types the mapping
// does not use are skipped quickly. Add() fails only for malformed JSON / non-resource input.
// (Added: a resource referring to another patient than the first one seen is skipped and reported.)
class PatientRecord {
 public:
  explicit PatientRecord(const CodeMap& codes);
  ~PatientRecord();
  PatientRecord(PatientRecord&&) noexcept;
  PatientRecord& operator=(PatientRecord&&) noexcept;

  // One FHIR resource as JSON text (a Bulk NDJSON line or a Bundle entry's `resource`).
  core::Status Add(std::string_view resource_json);
  // Added. One resource already parsed with simdjson's DOM (for instance an entry of a CDS Hooks
  // prefetch Bundle, parsed once with the request): the same as Add() without parsing again. The
  // element's document need only live for the call: what is kept is copied.
  core::Status AddParsed(const simdjson::dom::element& resource);
  // Maps what was added. `as_of`: the assessment date (imaging/labs after it are ignored and
  // reported).
  MappedCase ToCase(core::Date as_of) const;
  // Added. Forgets every resource added (as a new PatientRecord for the same code map would have
  // none) but keeps the memory it used, so one record per thread can serve call after call
  // without allocating again. Cases returned by ToCase() before are unaffected (they own their
  // data).
  void Clear();

 private:
  friend core::Result<MappedCase> MapBundle(std::string_view, const CodeMap&, core::Date);
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// Added. The normalised id of the patient a resource belongs to: Patient.id for a Patient, else the
// id in subject.reference or patient.reference ("Patient/x", "https://host/fhir/Patient/x",
// "Patient/x/_history/3" -> "x"). "" when there is none, or for malformed JSON. Fast: one parse.
std::string PatientRefOf(std::string_view resource_json);

// Added. When `m.c` has no bleeding risk or factors and the factors in m.bleeding_factors_found
// already score to the knowledge's highest category (so further unknown factors cannot change it),
// sets m.c.bleeding.factors to them; otherwise leaves the risk unknown. Either way the found
// factors are reported in m.unmapped. Call it after ToCase/MapBundle, before validation.
void ApplyBleedingFactors(MappedCase& m, const pathway::Knowledge& k);

// A Bundle (any type: collection, searchset, transaction, batch). Errors name the JSON path.
core::Result<MappedCase> MapBundle(std::string_view bundle_json, const CodeMap& codes,
                                   core::Date as_of);

}  // namespace calfdvt::fhir
