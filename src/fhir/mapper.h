// Internal to fhir: facts of one patient's resources -> MappedCase (docs/fhir.md, "Mapping").
// Rules: a value is placed on the case only when a resource states it; absence of a resource is
// never evidence of absence; conflicting sources leave the field unknown; everything found but
// not used is reported in MappedCase::unmapped with the resource, path and reason.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "fhir/code_map.h"
#include "fhir/record.h"
#include "fhir/resource.h"

namespace calfdvt::fhir::internal {

// A case value with its source; a second source that disagrees makes it a conflict (unknown).
template <class T>
struct Fact {
  std::optional<T> value;
  std::string_view source;    // the resource ("type/id", kept by the PatientRecord's arena)
  std::string_view conflict;  // non-empty: the resource that disagrees
  void Set(T v, std::string_view src) {
    if (!conflict.empty()) return;
    if (!value) {
      value = v;
      source = src;
    } else if (!(*value == v)) {
      conflict = src;
    }
  }
};

// A quantity's unit split into its UCUM base and annotation: "ng/mL{FEU}" and "ng/mL FEU" ->
// ("ng/mL", "FEU"). The UCUM code is preferred to the human unit text.
struct UnitParts {
  std::string base;
  std::string annotation;  // upper case
};
UnitParts SplitUnit(const Quantity& q);
// The factor of `base` in `units` (case-insensitive), or nullopt.
std::optional<double> FactorOf(const std::vector<UnitFactor>& units, std::string_view base);
// Whether any coding of `c` matches any entry of `list`.
bool AnyMatch(const Concept& c, const std::vector<CodeEntry>& list);
bool Matches(const Concept& c, const CodeEntry& e);
// Rounds away binary noise from unit conversion (1e-9 relative). Bit-identical to
// round(v * s) / s with s = pow(10, 9 - ceil(log10(|v|))), computed without log10 and pow for the
// usual magnitudes.
double Clean(double v);

class Mapper {
 public:
  Mapper(const CodeMap& m, core::Date as_of, MappedCase& out) : m_(m), as_of_(as_of), out_(out) {}
  void Run(const std::vector<Facts>& facts);

 private:
  static std::string_view Ref(const Facts& f) { return f.ref; }
  void Report(const Facts& f, std::string path, std::string field, std::string reason) {
    out_.unmapped.push_back({std::string(Ref(f)), std::move(path), std::move(field), std::move(reason)});
  }
  void ReportField(std::string field, std::string reason) {
    out_.unmapped.push_back({"", "", std::move(field), std::move(reason)});
  }
  // The facts' date (`when`, else `recorded`); nullopt (reported) when absent, partial or after
  // as_of.
  std::optional<core::Date> DateOf(const Facts& f, std::string_view field);
  void AddFactor(pathway::BleedingFactor bf);

  void PatientFacts(const Facts& f);
  void Condition(const Facts& f);
  void ConditionMeaningApply(const Facts& f, const ConditionEntry& e, const Coding& c, bool active,
                             std::optional<core::Date> onset);
  void Medication(const Facts& f, const std::vector<Facts>& all);
  void Encounter(const Facts& f);
  void Procedure(const Facts& f);
  void Observation(const Facts& f);
  void Attestation(const Facts& f, const AttestationEntry& e);
  void ObservationsDone();
  void DDimer(const std::vector<const Facts*>& candidates);
  void Imaging(const std::vector<const Facts*>& reports, const std::vector<const Facts*>& findings);
  void ReadFinding(const Facts& f, std::vector<pathway::Thrombus>& out, bool& unplaceable,
                   bool& absent_seen);
  void ProximalFromConditions();
  void FollowUps(const std::vector<Facts>& facts, const std::vector<const Facts*>& reports);
  void Resolve();

  template <class T>
  void Put(Fact<T>& fact, std::optional<T>& dst, const char* field);

  const CodeMap& m_;
  core::Date as_of_;
  MappedCase& out_;

  Fact<bool> active_cancer_, prior_vte_, inpatient_, recent_hosp_, recent_surgery_,
      severe_symptoms_, covid19_, esrd_, stroke_, breastfeeding_, liver_, aps_, contraindicated_;
  Fact<pathway::Pregnancy> pregnancy_;
  Fact<pathway::Provocation> provocation_;
  Fact<pathway::BleedingRisk> bleeding_risk_;
  Fact<pathway::Preference> preference_;
  Fact<core::Date> edd_;
  bool current_inpatient_ = false, current_outpatient_ = false;
  std::string_view current_outpatient_source_;

  struct ProximalCondition {
    std::string source;
    core::Vein vein;
    std::optional<core::Side> side;
  };
  std::vector<ProximalCondition> proximal_conditions_;
  std::optional<core::Date> dvt_condition_onset_;
  bool imaging_mapped_ = false;
  std::optional<core::Date> imaging_date_;
  template <class T>
  struct Dated {
    const Facts* f;
    core::Date date;
    T value;
  };
  std::vector<Dated<double>> crcl_;
  std::vector<Dated<pathway::Pregnancy>> pregnancy_status_;
  std::string egfr_seen_;
};

}  // namespace calfdvt::fhir::internal
