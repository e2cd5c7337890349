// The code lists of knowledge/fhir-map.json (format calfdvt/fhir-map@1), as loaded and validated.
// Data, not code: every standard code the mapping recognises is an entry here, documented in
// docs/fhir.md. Immutable after load; safe to share between threads.
#pragma once

#include <cstdint>
#include <cstring>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/vein.h"
#include "fhir/record.h"
#include "pathway/case.h"

namespace calfdvt::fhir {

inline constexpr std::string_view kCodeMapFormat = "calfdvt/fhir-map@1";
inline constexpr std::string_view kIcd10CmSystem = "http://hl7.org/fhir/sid/icd-10-cm";

// One code or code family. ICD-10-CM codes compare without dots and case-insensitively
// ("I82.442" == "I82442").
struct CodeEntry {
  enum class Match { kExact, kPrefix, kRange };
  std::string system;
  std::string code;  // exact code, prefix, or range start
  std::string to;    // range end (inclusive), compared on its own length: C00..C96 holds C50.9
  Match match = Match::kExact;
  std::string display;
  bool verify = false;  // listed as "verify against the terminology release" in docs/fhir.md

  // Inline: the cheap rejections and the common case (an exact code outside ICD-10-CM, where a
  // code is its own normal form) without a call; the rest in MatchesNormalised.
  bool Matches(std::string_view sys, std::string_view raw) const {
    if (sys.size() != system.size()) return false;
    if (match == Match::kExact && sys.size() != kIcd10CmSystem.size())
      return SameBytes(raw, code) && SameBytes(sys, system);
    return MatchesNormalised(sys, raw);
  }
  bool MatchesNormalised(std::string_view system, std::string_view code) const;

 private:
  // a == b, comparing 8 bytes at a time from the start (codes differ early; systems are long).
  static bool SameBytes(std::string_view a, std::string_view b) {
    const size_t n = a.size();
    if (n != b.size()) return false;
    const char* p = a.data();
    const char* q = b.data();
    size_t i = 0;
    for (; i + 8 <= n; i += 8) {
      uint64_t x, y;
      std::memcpy(&x, p + i, 8);
      std::memcpy(&y, q + i, 8);
      if (x != y) return false;
    }
    for (; i < n; ++i)
      if (p[i] != q[i]) return false;
    return true;
  }
};

enum class ConditionMeaning {
  kDistalDvt,    // acute isolated distal DVT (care facts only: imaging is the case source)
  kProximalDvt,  // acute proximal DVT: the case gets a proximal thrombus (never surveillance)
  kDvtUnspecifiedLevel,  // acute DVT, level not coded: reported
  kChronicDvt,           // I82.5-: not acute; history.prior_vte
  kPulmonaryEmbolism,    // active: reported (outside the pathway); resolved and old: prior_vte
  kPriorVte,
  kActiveCancer,   // active C00-C96: history.active_cancer
  kCancerHistory,  // Z85: history of cancer, never active cancer: reported
  kNotActiveCancer,  // inside C00-C96 but not active cancer for VTE (C44 skin): cancels it
  kPregnancy,
  kPostpartum,
  kCovid19,
  kEndStageRenalDisease,
  kStroke,
  kSevereLiverDisease,
  kAntiphospholipidSyndrome,
  kBleedingFactor,  // only the bleeding factor below
};

struct ConditionEntry : CodeEntry {
  ConditionMeaning meaning = ConditionMeaning::kBleedingFactor;
  bool any_status = false;         // counts whatever the clinicalStatus (histories, chronic states)
  std::optional<core::Vein> vein;  // kProximalDvt: the vein placed on the case
  bool side_from_last_character = false;  // ICD-10-CM I82.4x: 1 right, 2 left, 3 bilateral
  std::optional<pathway::BleedingFactor> bleeding_factor;
};

struct VeinEntry : CodeEntry {
  core::Vein vein = core::Vein::kAnteriorTibial;
  std::string note;  // non-empty: the code is less specific than the vein id; reported
};

struct ReportEntry : CodeEntry {
  std::optional<pathway::Protocol> protocol;  // nullopt: the code does not say
  std::optional<core::Side> side;
  bool limited = false;  // a limited study (calf veins not examined or not known to be)
};

struct UnitFactor {
  std::string unit;   // UCUM, without annotation
  double factor = 1;  // multiply a value in `unit` by this to get the canonical unit
};

struct DDimerEntry : CodeEntry {
  bool ddu = false;  // the LOINC code is D-dimer units (DDU); otherwise FEU
};

struct ObservationEntry : CodeEntry {
  enum class Meaning { kCrcl, kEgfr, kPregnancyStatus, kExpectedDeliveryDate };
  Meaning meaning = Meaning::kCrcl;
};

struct PregnancyValueEntry : CodeEntry {
  pathway::Pregnancy pregnancy = pathway::Pregnancy::kNone;
};

struct MedicationEntry : CodeEntry {
  bool antiplatelet = false;  // else anticoagulant
  std::string name;           // ingredient name; also matched in code text / display
};

struct EncounterEntry : CodeEntry {
  bool inpatient = false;
};

struct AttestationEntry : CodeEntry {
  std::string field;  // case path, one of kAttestableFields (fhir/code_map.cc)
};

struct CodeMap {
  std::string id;
  std::string version;
  std::string title;
  std::string sha256;  // of the file bytes
  std::string calfdvt_system;
  std::string finding_profile;

  int recent_hospitalization_days = 30;
  int recent_surgery_days = 30;
  int prior_vte_min_days = 90;
  int d_dimer_days = 7;

  std::vector<ConditionEntry> conditions;
  std::vector<VeinEntry> veins;

  std::vector<ReportEntry> reports;
  CodeEntry finding, length, diameter, distance, acuity, laterality;
  std::vector<CodeEntry> present, absent, acute, chronic, left, right, no_thrombus;
  std::vector<UnitFactor> length_units, diameter_units;

  std::vector<DDimerEntry> d_dimer;
  std::vector<UnitFactor> d_dimer_units;                      // to ng/mL
  std::vector<CodeEntry> d_dimer_positive, d_dimer_negative;  // Observation.interpretation
  double ddu_to_feu = 2;
  std::string d_dimer_unit_out;

  std::vector<ObservationEntry> observations;
  std::vector<UnitFactor> crcl_units;
  std::vector<PregnancyValueEntry> pregnancy_values;
  std::vector<MedicationEntry> medications;
  std::vector<EncounterEntry> encounters;
  std::vector<CodeEntry> surgery;
  std::vector<AttestationEntry> attestations;
};

// The case fields an attestation Observation may set.
const std::vector<std::string_view>& AttestableFields();

// Finds the first entry matching (system, code), or nullptr.
template <class E>
const E* FindCode(const std::vector<E>& list, std::string_view system, std::string_view code) {
  for (const E& e : list)
    if (e.Matches(system, code)) return &e;
  return nullptr;
}

// The embedded file's bytes (knowledge/fhir-map.json).
std::string_view EmbeddedCodeMapBytes();

}  // namespace calfdvt::fhir
