// CDS Hooks cards for calfdvt (CDS Hooks 2.0 §"CDS Service Response" / "Card Attributes":
// https://cds-hooks.hl7.org/2.0/#card-attributes). Decides whether a hook call deserves a card,
// its indicator and its suggestions, from the mapped FHIR record and the pathway's assessment.
// Every clinical sentence comes from the assessment or the knowledge file; this file adds only
// layout (markdown headings) and data-availability phrases.
//
// Pure apart from `uuid` (card and suggestion identifiers). Thread-safe.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "fhir/emit.h"
#include "fhir/record.h"
#include "pathway/assessment.h"

namespace calfdvt::server::cds {

enum class HookKind { kPatientView, kOrderSign };

// What the draft orders of an order-sign call hold (context.draftOrders).
struct DraftFacts {
  bool anticoagulant = false;  // a draft MedicationRequest for an anticoagulant
  bool followup = false;       // a draft follow-up duplex ServiceRequest
};

struct CardInput {
  HookKind hook = HookKind::kPatientView;
  const fhir::MappedCase* mapped = nullptr;
  // The assessment when mapped->usable (and the case passed the knowledge checks).
  const pathway::Assessment* assessment = nullptr;
  // FHIR proposals emitted from the assessment (ServiceRequest / MedicationRequest / ...).
  std::vector<fhir::EmittedResource> proposals;
  DraftFacts drafts;
  std::string patient_id;  // context.patientId
  std::string app_base;    // "https://calfdvt.example.org" (web app at "/"), no trailing '/'
  std::function<std::string()> uuid;
};

// {"cards":[...]} (possibly an empty list: the service has nothing to say).
std::string BuildCardsResponse(const CardInput& in);

// Topic and override-reason code systems (documented in docs/cds-hooks.md).
inline constexpr std::string_view kTopicSystem = "https://calfdvt.org/fhir/CodeSystem/cds-topic";
inline constexpr std::string_view kOverrideSystem =
    "https://calfdvt.org/fhir/CodeSystem/cds-override-reason";

}  // namespace calfdvt::server::cds
