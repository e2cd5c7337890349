// Identifiers the engine and the knowledge file share: feature ids (R3), alert codes (§5), note
// keys, agents, strategies. These are persisted spellings: never rename, only add.
#pragma once

#include <cstdint>

#include "core/enum_names.h"

namespace calfdvt::pathway {

enum class Feature : uint8_t {
  kLengthOver5cm = 0,
  kMultipleVeins,
  kDiameterOver7mm,
  kNearProximalVeins,
  kDDimerPositive,
  kUnprovoked,
  kActiveCancer,
  kPriorVte,
  kInpatientOrRecentHospitalization,
  kRecentSurgery,
  kSevereSymptoms,
  kCovid19,
};
inline constexpr core::EnumNames<Feature, 12> kFeatureNames{{
    "length_over_5cm", "multiple_veins", "diameter_over_7mm", "near_proximal_veins",
    "d_dimer_positive", "unprovoked", "active_cancer", "prior_vte",
    "inpatient_or_recent_hospitalization", "recent_surgery", "severe_symptoms", "covid19"}};
inline constexpr size_t kFeatureCount = kFeatureNames.size();

enum class AlertCode : uint8_t {
  kCalfVeinsNotAssessed = 0,
  kFollowupImagingRequired,
  kFollowupOverdue,
  kExtensionDetected,
  kCloserMonitoring,
  kPregnancyLmwhOnly,
  kBleedingRiskHigh,
  kAnticoagulationContraindicated,
  kCancerExtendedTherapy,
  kSeedOnlyCriterion,
  kSuperficialOnly,
};
inline constexpr core::EnumNames<AlertCode, 11> kAlertCodeNames{{
    "calf_veins_not_assessed", "followup_imaging_required", "followup_overdue",
    "extension_detected", "closer_monitoring", "pregnancy_lmwh_only", "bleeding_risk_high",
    "anticoagulation_contraindicated", "cancer_extended_therapy", "seed_only_criterion",
    "superficial_only"}};
inline constexpr size_t kAlertCodeCount = kAlertCodeNames.size();

enum class Severity : uint8_t { kInfo = 0, kWarning = 1, kCritical = 2 };
inline constexpr core::EnumNames<Severity, 3> kSeverityNames{{"info", "warning", "critical"}};

// Texts the engine emits as notes; their wording lives in the knowledge file under "notes".
enum class Note : uint8_t {
  kMuscularOnlyLowerRisk = 0,
  kContraindicatedSerialImaging,
  kProximalPathway,
  kSuperficialIgnored,
  kChronicIgnored,
  kChronicOnly,
  kAcuityUnknown,
  kThrombiNotReported,
  kNoThrombus,
  kLimitedProtocolDistalThrombus,
  kSharedDecisionImaging,
  kSharedDecisionAnticoagulate,
  kSharedDecisionPreferAnticoagulation,
  kDDimerIncomplete,
  kRecentHospitalizationNotCounted,
  kStandardRegimen,
  kVkaIndicated,
  kCancerExtended,
  kCancerVkaConditionReview,
  kCancerGiGu,
  kPregnancyLmwh,
  kPregnancyNoDeliveryDate,
  kPostpartum,
  kCrclUnknown,
  kPregnancyStatusUnknown,
  kSurveillanceWorsening,
  kSurveillanceOnExtension,
  kSurveillanceSpecialistReview,
  kDecisionSupport,
  kRegimenContraindicated,
};
inline constexpr core::EnumNames<Note, 30> kNoteNames{{
    "muscular_only_lower_risk", "contraindicated_serial_imaging", "proximal_pathway",
    "superficial_ignored", "chronic_ignored", "chronic_only", "acuity_unknown",
    "thrombi_not_reported", "no_thrombus", "limited_protocol_distal_thrombus",
    "shared_decision_imaging", "shared_decision_anticoagulate",
    "shared_decision_prefer_anticoagulation", "d_dimer_incomplete",
    "recent_hospitalization_not_counted", "standard_regimen", "vka_indicated", "cancer_extended",
    "cancer_vka_condition_review", "cancer_gi_gu", "pregnancy_lmwh", "pregnancy_no_delivery_date",
    "postpartum", "crcl_unknown", "pregnancy_status_unknown", "surveillance_worsening",
    "surveillance_on_extension", "surveillance_specialist_review", "decision_support",
    "regimen_contraindicated"}};
inline constexpr size_t kNoteCount = kNoteNames.size();

enum class Agent : uint8_t { kDoac = 0, kLmwh, kVka, kOralXaInhibitor };
inline constexpr core::EnumNames<Agent, 4> kAgentNames{{"doac", "lmwh", "vka", "oral_xa_inhibitor"}};

enum class Classification : uint8_t {
  kIsolatedDistal = 0,
  kProximal,
  kSuperficialOnly,
  kNoThrombus,
  kNotClassifiable,
};
inline constexpr core::EnumNames<Classification, 5> kClassificationNames{
    {"isolated_distal", "proximal", "superficial_only", "no_thrombus", "not_classifiable"}};

enum class Pattern : uint8_t { kMuscularOnly = 0, kAxial, kMixed };
inline constexpr core::EnumNames<Pattern, 3> kPatternNames{{"muscular_only", "axial", "mixed"}};

enum class Strategy : uint8_t {
  kAnticoagulate = 0,
  kSerialImaging,
  kProximalDvtPathway,
  kCompleteImagingFirst,
  kOutOfScope,
};
inline constexpr core::EnumNames<Strategy, 5> kStrategyNames{{"anticoagulate", "serial_imaging",
                                                              "proximal_dvt_pathway",
                                                              "complete_imaging_first",
                                                              "out_of_scope"}};

enum class Strength : uint8_t { kStrong = 0, kWeak };
inline constexpr core::EnumNames<Strength, 2> kStrengthNames{{"strong", "weak"}};

enum class FeatureStatus : uint8_t { kPresent = 0, kAbsent, kUnknown };
inline constexpr core::EnumNames<FeatureStatus, 3> kFeatureStatusNames{
    {"present", "absent", "unknown"}};

enum class BleedingCategory : uint8_t { kLow = 0, kModerate, kHigh, kUnknown };
inline constexpr core::EnumNames<BleedingCategory, 4> kBleedingCategoryNames{
    {"low", "moderate", "high", "unknown"}};

enum class Favouring : uint8_t {
  kMuscularOnly = 0,
  kBleedingRiskHigh,
  kBleedingRiskModerate,
  kNoExtensionRiskFactors,
  kPreferenceAvoid,
};
inline constexpr core::EnumNames<Favouring, 5> kFavouringNames{
    {"muscular_only", "bleeding_risk_high", "bleeding_risk_moderate", "no_extension_risk_factors",
     "preference_avoid"}};

enum class OnExtension : uint8_t { kAnticoagulate = 0, kSpecialistReview };
inline constexpr core::EnumNames<OnExtension, 2> kOnExtensionNames{
    {"anticoagulate", "specialist_review"}};

enum class VeinClass : uint8_t { kDistal = 0, kProximal, kSuperficial };
inline constexpr core::EnumNames<VeinClass, 3> kVeinClassNames{
    {"distal", "proximal", "superficial"}};

enum class VeinKind : uint8_t { kAxial = 0, kMuscular, kNone };
inline constexpr core::EnumNames<VeinKind, 3> kVeinKindNames{{"axial", "muscular", "none"}};

}  // namespace calfdvt::pathway
