// The mapping's driver: dispatches the facts, then resolves every accumulated field onto the case
// (conflicts -> unknown, reported) and reports the fields no standard FHIR element carries.
#include <algorithm>

#include "fhir/mapper.h"

namespace calfdvt::fhir::internal {

namespace pw = calfdvt::pathway;
using core::Date;

void Mapper::Run(const std::vector<Facts>& facts) {
  out_.code_map_version = m_.id + "@" + m_.version;
  out_.c.as_of = as_of_;
  std::vector<const Facts*> reports, findings, d_dimers;
  std::vector<std::pair<const Facts*, const AttestationEntry*>> attestations;
  attestations.reserve(facts.size());  // no re-allocation while dispatching
  out_.unmapped.reserve(out_.unmapped.size() + 16);
  for (const Facts& f : facts) {
    out_.unmapped.insert(out_.unmapped.end(), f.notes.begin(), f.notes.end());
    using T = MappedType;
    const T kind = f.kind;  // f.type as an enum (set by Read())
    if (kind == T::kPatient)
      PatientFacts(f);
    else if (kind == T::kCondition)
      Condition(f);
    else if (kind == T::kMedicationRequest || kind == T::kMedicationStatement ||
             kind == T::kMedicationAdministration)
      Medication(f, facts);
    else if (kind == T::kEncounter)
      Encounter(f);
    else if (kind == T::kProcedure)
      Procedure(f);
    else if (kind == T::kDiagnosticReport) {
      for (const auto& cd : f.code.codings)
        if (FindCode(m_.reports, cd.system, cd.code)) {
          reports.push_back(&f);
          break;
        }
    } else if (kind == T::kObservation) {
      const bool finding = f.use.finding;  // classified by Read()
      const AttestationEntry* att = f.use.attestation;
      const bool dd = f.use.d_dimer;
      if (finding)
        findings.push_back(&f);
      else if (att)
        attestations.emplace_back(&f, att);
      else if (dd)
        d_dimers.push_back(&f);
      else
        Observation(f);
    }
  }
  // Attestations: the latest per field wins over earlier ones of the same field.
  std::stable_sort(attestations.begin(), attestations.end(), [](const auto& a, const auto& b) {
    return a.first->when.date.value_or(Date()) > b.first->when.date.value_or(Date());
  });
  std::vector<std::string_view> seen_fields;  // views of the code map's AttestationEntry::field
  seen_fields.reserve(attestations.size());
  for (auto [f, e] : attestations) {
    if (f->status != "final" && f->status != "amended" && f->status != "corrected") {
      Report(*f, "status", e->field, "status \"" + std::string(f->status) + "\": not used");
      continue;
    }
    if (!DateOf(*f, e->field)) continue;
    if (std::find(seen_fields.begin(), seen_fields.end(), e->field) != seen_fields.end()) {
      Report(*f, "", e->field, "superseded by a later attestation");
      continue;
    }
    seen_fields.push_back(e->field);
    Attestation(*f, *e);
  }
  ObservationsDone();
  Imaging(reports, findings);
  DDimer(d_dimers);
  ProximalFromConditions();
  FollowUps(facts, reports);
  Resolve();
}

template <class T>
void Mapper::Put(Fact<T>& fact, std::optional<T>& dst, const char* field) {
  if (!fact.conflict.empty()) {
    out_.unmapped.push_back(
        {std::string(fact.conflict), "", field,
         "disagrees with " + std::string(fact.source) + ": left unknown (conflicting sources)"});
    return;
  }
  if (fact.value) dst = fact.value;
}

void Mapper::Resolve() {
  auto& c = out_.c;
  // An ongoing outpatient/emergency encounter and no ongoing inpatient one: not an inpatient now.
  if (!current_inpatient_ && current_outpatient_) inpatient_.Set(false, current_outpatient_source_);
  Put(active_cancer_, c.history.active_cancer, "history.active_cancer");
  Put(prior_vte_, c.history.prior_vte, "history.prior_vte");
  Put(inpatient_, c.history.inpatient, "history.inpatient");
  Put(recent_hosp_, c.history.recent_hospitalization, "history.recent_hospitalization");
  Put(recent_surgery_, c.history.recent_surgery, "history.recent_surgery");
  Put(severe_symptoms_, c.history.severe_symptoms, "history.severe_symptoms");
  Put(covid19_, c.history.covid19, "history.covid19");
  Put(esrd_, c.history.end_stage_renal_disease, "history.end_stage_renal_disease");
  Put(stroke_, c.history.stroke, "history.stroke");
  Put(provocation_, c.history.provocation, "history.provocation");
  Put(breastfeeding_, c.patient.breastfeeding, "patient.breastfeeding");
  Put(liver_, c.patient.severe_liver_disease, "patient.severe_liver_disease");
  Put(aps_, c.patient.antiphospholipid_syndrome, "patient.antiphospholipid_syndrome");
  Put(pregnancy_, c.patient.pregnancy, "patient.pregnancy");
  Put(edd_, c.patient.expected_delivery_date, "patient.expected_delivery_date");
  Put(bleeding_risk_, c.bleeding.risk, "bleeding.risk");
  Put(contraindicated_, c.bleeding.anticoagulation_contraindicated,
      "bleeding.anticoagulation_contraindicated");
  Put(preference_, c.preferences.anticoagulation, "preferences.anticoagulation");
  if (c.patient.sex == pw::Sex::kMale && c.patient.pregnancy &&
      *c.patient.pregnancy != pw::Pregnancy::kNone) {
    out_.unmapped.push_back({std::string(pregnancy_.source), "", "patient.pregnancy",
                             "pregnancy recorded for a male patient: left unknown"});
    c.patient.pregnancy.reset();
  }
  if (c.patient.expected_delivery_date && c.patient.pregnancy != pw::Pregnancy::kPregnant) {
    out_.unmapped.push_back({std::string(edd_.source), "", "patient.expected_delivery_date",
                             "expected delivery date without a current pregnancy: not used"});
    c.patient.expected_delivery_date.reset();
  }
  // The care facts: the index DVT's date.
  if (dvt_condition_onset_)
    out_.care.dvt_onset = dvt_condition_onset_;
  else if ((out_.care.distal_dvt || out_.care.proximal_dvt) && imaging_date_)
    out_.care.dvt_onset = imaging_date_;
  // Fields no standard FHIR element carries: only the calfdvt attestation sets them.
  struct Attested {
    const char* field;
    bool known;
  };
  const Attested attested[] = {
      {"history.severe_symptoms", c.history.severe_symptoms.has_value()},
      {"history.provocation", c.history.provocation.has_value()},
      {"bleeding.anticoagulation_contraindicated",
       c.bleeding.anticoagulation_contraindicated.has_value()},
      {"preferences.anticoagulation", c.preferences.anticoagulation.has_value()},
  };
  for (const auto& a : attested)
    if (!a.known)
      ReportField(a.field,
                  "no standard FHIR code carries it: unknown unless attested with a calfdvt "
                  "attestation Observation (docs/fhir.md)");
  out_.usable = imaging_mapped_;
}

void Mapper::FollowUps(const std::vector<Facts>& facts, const std::vector<const Facts*>& reports) {
  for (const Facts& f : facts) {
    if (f.kind != MappedType::kServiceRequest) continue;
    bool duplex = false;
    for (const auto& cd : f.code.codings)
      duplex = duplex || FindCode(m_.reports, cd.system, cd.code);
    if (!duplex) continue;
    if (f.status == "revoked" || f.status == "entered-in-error") continue;
    CareFacts::FollowUp fu;
    fu.id = f.id;
    fu.due = f.when_end.date ? f.when_end.date : f.when.date;
    fu.completed = f.status == "completed";
    // A duplex reported after the order was placed completes it (needs authoredOn).
    if (f.recorded.date)
      for (const Facts* r : reports) {
        auto d = r->when.date ? r->when.date : r->recorded.date;
        if (d && *d > *f.recorded.date && *d <= as_of_) fu.completed = true;
      }
    (f.status == "draft" ? out_.care.draft_followups : out_.care.followups).push_back(std::move(fu));
  }
}

}  // namespace calfdvt::fhir::internal
