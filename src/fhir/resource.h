// Internal to fhir: the compact facts kept from each FHIR R4 resource the mapping uses, read
// leniently (a field of the wrong type is treated as absent and reported, never an error: a
// resource's FHIR validity is not ours to enforce). Strings are copied into the record's arena:
// facts outlive the parse.
#pragma once

#include <simdjson.h>

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/date.h"
#include "fhir/code_map.h"
#include "fhir/record.h"
#include "fhir/text_arena.h"

namespace calfdvt::fhir::internal {

// Every string and array of the facts is a view into the PatientRecord's TextArena (copied from
// the parse: the facts outlive it) and lives as long as the record.
struct Coding {
  std::string_view system;
  std::string_view code;
  std::string_view display;
};

struct Concept {
  std::span<const Coding> codings;
  std::string_view text;
  bool empty() const { return codings.empty() && text.empty(); }
};

struct Quantity {
  std::optional<double> value;
  std::string_view unit;    // Quantity.unit (human)
  std::string_view system;  // Quantity.system
  std::string_view code;    // Quantity.code (UCUM when system is UCUM)
  std::string_view comparator;
};

// A FHIR date or dateTime: the calendar day when at least a full date is given. `partial` is set
// for "2026" or "2026-11" (no day: not usable as a date).
struct When {
  std::optional<core::Date> date;
  bool partial = false;
  bool present = false;
};

struct Component {
  Concept code;
  std::optional<Quantity> quantity;
  Concept concept_value;
};

// What an Observation's code (and meta.profile) is to the mapping: classified once, by Read(),
// in the mapper's order of precedence (finding, attestation, D-dimer, observation table): only
// the first kind that matches is set.
struct ObservationUse {
  bool finding = false;  // a thrombus finding (code or the finding profile)
  const AttestationEntry* attestation = nullptr;  // of the first coding that is an attestation
  bool d_dimer = false;
  bool observation = false;  // one of the observation table's codes (CrCl, eGFR, pregnancy...)
  bool Used() const { return finding || attestation || d_dimer || observation; }
};

// The resource types the mapping reads (see MappedTypeOf), in kMappedTypes order.
enum class MappedType : uint8_t {
  kPatient,
  kCondition,
  kObservation,
  kDiagnosticReport,
  kMedicationRequest,
  kMedicationStatement,
  kMedication,
  kEncounter,
  kProcedure,
  kServiceRequest,
  kMedicationAdministration,
  kNone,  // not a mapped type
};

struct Facts {
  std::string_view type;  // resourceType (static storage)
  MappedType kind = MappedType::kNone;  // the same, as an enum
  std::string_view id;
  std::string_view ref;           // "type/id": how outputs name the resource
  std::string_view patient_ref;   // normalised patient id this resource refers to ("" if none)
  std::string_view status;        // status / clinicalStatus code
  std::string_view verification;  // Condition.verificationStatus code
  std::string_view intent;
  Concept code;  // code / medicationCodeableConcept / Encounter.class (as one coding)
  std::string_view medication_ref;  // MedicationRequest/Statement.medicationReference id
  std::span<const Concept> categories;  // Procedure.category (no other category is used)
  Concept body_site;
  When when;      // effective / onset / performed / occurrence (start) / period.start
  When when_end;  // period end (Encounter, performedPeriod, occurrencePeriod)
  When recorded;  // recordedDate / issued / authoredOn
  std::optional<Quantity> quantity;  // valueQuantity
  Concept concept_value;             // valueCodeableConcept
  std::optional<bool> boolean_value;
  When date_value;                     // valueDateTime
  std::optional<Quantity> range_high;  // referenceRange[0].high
  std::span<const Concept> interpretation;
  std::span<const Component> components;
  std::span<const std::string_view> results;  // DiagnosticReport.result ids ("Observation/x" -> "x")
  std::span<const Concept> conclusion_codes;
  std::span<const std::string_view> profiles;  // meta.profile
  std::string_view gender;                     // Patient
  When birth_date;                             // Patient
  std::vector<Unmapped> notes;                 // fields of wrong type etc.
  ObservationUse use;                          // Observation only
};

// The MappedType of a resourceType: kNone for the types the mapping does not read (skipped).
MappedType MappedTypeOf(std::string_view type);

// Reads the facts of one resource object into `f` (a fresh Facts). Precondition: `e` is an object
// with a string resourceType of a mapped type. With `codes`, an Observation whose code the mapping
// does not use (no coding of the thrombus finding, attestation, D-dimer or observation tables, no
// finding profile) is read only up to its code: id, meta.profile, subject, status, code (notes on
// those fields are kept); its values, components etc. are neither read nor reported. The mapping
// ignores such an Observation anyway; this keeps Bulk vital signs and other labs cheap.
// Strings and arrays are copied into `arena`. `type`: from MappedTypeOf, not kNone.
void Read(simdjson::dom::element e, MappedType type, const CodeMap* codes, TextArena& arena,
          Facts& f);

// How the mapping uses an Observation with these facts (code / meta.profile), see Read().
ObservationUse ClassifyObservation(const Facts& f, const CodeMap& codes);

// The patient id of a reference string: "Patient/x", ".../Patient/x", "Patient/x/_history/2"
// -> "x"; anything else -> "".
// (A view into `reference`.)
std::string_view PatientIdOf(std::string_view reference);
// The id of a local reference "Type/x" (or absolute ".../Type/x") -> "x"; "" if another type.
// (A view into `reference`.)
std::string_view RefId(std::string_view reference, std::string_view type);

}  // namespace calfdvt::fhir::internal
