// The patient case, format calfdvt/case@1 (clinical-spec §3). Every optional field that is empty
// means UNKNOWN, never false: the engine must treat std::nullopt as "not reported".
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/date.h"
#include "core/enum_names.h"
#include "core/vein.h"

namespace calfdvt::pathway {

using core::Date;
using core::Side;
using core::Vein;

enum class Sex : uint8_t { kFemale = 0, kMale = 1, kOther = 2, kUnknown = 3 };
inline constexpr core::EnumNames<Sex, 4> kSexNames{{"female", "male", "other", "unknown"}};

enum class Pregnancy : uint8_t { kNone = 0, kPregnant = 1, kPostpartum = 2 };
inline constexpr core::EnumNames<Pregnancy, 3> kPregnancyNames{{"none", "pregnant", "postpartum"}};

enum class Protocol : uint8_t {
  kWholeLegDuplex = 0,
  kProximalCompression2Point = 1,
  kProximalCompression3Point = 2,
};
inline constexpr core::EnumNames<Protocol, 3> kProtocolNames{
    {"whole_leg_duplex", "proximal_compression_2point", "proximal_compression_3point"}};

enum class Provocation : uint8_t { kUnprovoked = 0, kTransient = 1, kPersistent = 2 };
inline constexpr core::EnumNames<Provocation, 3> kProvocationNames{
    {"unprovoked", "transient", "persistent"}};

enum class BleedingRisk : uint8_t { kLow = 0, kModerate = 1, kHigh = 2 };
inline constexpr core::EnumNames<BleedingRisk, 3> kBleedingRiskNames{{"low", "moderate", "high"}};

enum class Preference : uint8_t { kNoPreference = 0, kAvoid = 1, kPrefer = 2 };
inline constexpr core::EnumNames<Preference, 3> kPreferenceNames{
    {"no_preference", "avoid", "prefer"}};

enum class DDimerResult : uint8_t { kPositive = 0, kNegative = 1 };
inline constexpr core::EnumNames<DDimerResult, 2> kDDimerResultNames{{"positive", "negative"}};

// The CHEST list of 17 bleeding risk factors. Their points are knowledge (knowledge file).
enum class BleedingFactor : uint8_t {
  kAgeOver65 = 0,
  kAgeOver75,
  kPreviousBleeding,
  kCancer,
  kMetastaticCancer,
  kRenalFailure,
  kLiverFailure,
  kThrombocytopenia,
  kPreviousStroke,
  kDiabetes,
  kAnemia,
  kAntiplateletTherapy,
  kPoorAnticoagulantControl,
  kComorbidityReducedFunction,
  kRecentSurgery,
  kFrequentFalls,
  kAlcoholAbuse,
};
inline constexpr core::EnumNames<BleedingFactor, 17> kBleedingFactorNames{{
    "age_over_65", "age_over_75", "previous_bleeding", "cancer", "metastatic_cancer",
    "renal_failure", "liver_failure", "thrombocytopenia", "previous_stroke", "diabetes", "anemia",
    "antiplatelet_therapy", "poor_anticoagulant_control", "comorbidity_reduced_function",
    "recent_surgery", "frequent_falls", "alcohol_abuse"}};
inline constexpr size_t kBleedingFactorCount = kBleedingFactorNames.size();

struct Thrombus {
  Vein vein = Vein::kAnteriorTibial;  // required
  std::optional<Side> side;           // left | right
  std::optional<double> length_cm;
  std::optional<double> max_diameter_mm;
  std::optional<double> distance_to_popliteal_cm;
  std::optional<bool> acute;  // unknown is treated as acute (conservative) and reported
};

struct Patient {
  std::optional<double> age;
  std::optional<Sex> sex;
  std::optional<Pregnancy> pregnancy;
  std::optional<Date> expected_delivery_date;
  std::optional<Date> delivery_date;
  std::optional<bool> breastfeeding;
  std::optional<double> crcl_ml_min;
  std::optional<bool> severe_liver_disease;
  std::optional<bool> antiphospholipid_syndrome;
};

struct Imaging {
  Date date;          // required
  Protocol protocol;  // required
  std::optional<Side> side;
  // nullopt: the findings were not reported (not_classifiable); empty: no thrombus seen.
  std::optional<std::vector<Thrombus>> thrombi;
};

struct DDimer {
  std::optional<double> value;
  std::optional<std::string> unit;
  std::optional<double> cutoff;
};

struct Labs {
  std::optional<DDimer> d_dimer;
  std::optional<DDimerResult> d_dimer_result;
};

struct History {
  std::optional<Provocation> provocation;
  std::optional<bool> active_cancer;
  std::optional<bool> prior_vte;
  std::optional<bool> inpatient;
  std::optional<bool> recent_hospitalization;
  std::optional<bool> recent_surgery;
  std::optional<bool> severe_symptoms;
  std::optional<bool> covid19;
  std::optional<bool> end_stage_renal_disease;
  std::optional<bool> stroke;
};

struct Bleeding {
  std::optional<BleedingRisk> risk;
  std::optional<std::vector<BleedingFactor>> factors;  // no duplicates (validated)
  std::optional<bool> anticoagulation_contraindicated;
};

struct Preferences {
  std::optional<Preference> anticoagulation;
};

struct Case {
  std::optional<std::string> id;
  Date as_of;  // required: the date of the assessment
  Patient patient;
  Imaging imaging;  // required
  Labs labs;
  History history;
  Bleeding bleeding;
  Preferences preferences;
};

}  // namespace calfdvt::pathway
