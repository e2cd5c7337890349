// Internal to the pathway module: the cheap decision phase (classification, R3 features, bleeding,
// R5 strategy) without any text. Assess() runs it once for the answer and again, counterfactually,
// to find decisive unknowns. Not part of the public surface.
#pragma once

#include <array>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "pathway/assessment.h"
#include "pathway/case.h"
#include "pathway/knowledge.h"

namespace calfdvt::pathway::internal {

// Case inputs the pathway reads; with a thrombus index they name one JSON path.
enum class Input : uint8_t {
  kThrombi,
  kThrombusLength,
  kThrombusDiameter,
  kThrombusDistance,
  kThrombusSide,
  kThrombusAcute,
  kDDimer,
  kProvocation,
  kActiveCancer,
  kPriorVte,
  kInpatient,
  kRecentHospitalization,
  kRecentSurgery,
  kSevereSymptoms,
  kCovid19,
  kEsrd,
  kStroke,
  kBleedingRisk,
  kPreference,
  kContraindicated,
  kSex,
  kPregnancy,
  kExpectedDelivery,
  kDeliveryDate,
  kBreastfeeding,
  kCrcl,
  kSevereLiver,
  kAps,
};

struct InputRef {
  Input input;
  int index = -1;  // thrombus index for per-thrombus inputs
  std::optional<Feature> feature;  // the R3 feature it feeds, if any
};

// Appends the JSON path of the input (as listed in "unknowns") to `out`.
void AppendInputPath(std::string& out, const InputRef& ref);

struct StrategyOutcome {
  Strategy strategy = Strategy::kOutOfScope;
  std::optional<Strength> strength;
  bool shared_decision = false;
  std::optional<Strategy> alternative;
  std::string_view rule;  // "R1", "R2", "R5.1", "R5.2", "R5.3"
  std::optional<Note> note;
};

struct Decision {
  Classification classification = Classification::kNotClassifiable;
  std::optional<Pattern> pattern;
  StrategyOutcome outcome;
  std::array<FeatureResult, kFeatureCount> features{};
  bool any_counted_present = false;
  BleedingResult bleeding;
  // Facts behind notes and trace.
  bool limited_protocol = false;
  bool thrombi_missing = false;
  bool distal_on_limited_protocol = false;
  bool d_dimer_incomplete = false;
  bool recent_hospitalization_not_counted = false;
  int superficial_ignored = 0;
  int chronic = 0;
  std::vector<int> acuity_unknown;           // thrombus indices treated as acute
  std::vector<std::string_view> veins_seen;  // acute deep veins, for the trace
  std::vector<InputRef> feature_unknowns;    // unknown inputs of R3 features
};

// `as_chronic`: a thrombus index to treat as chronic (counterfactual), or -1.
Decision Decide(const Case& c, const Knowledge& k, const ProfileDef& profile, int as_chronic = -1);

// R5 for an isolated distal DVT, from its four drivers.
StrategyOutcome IsolatedDistalStrategy(std::optional<bool> contraindicated, bool any_counted_present,
                                       BleedingCategory bleeding,
                                       std::optional<Preference> preference);

BleedingResult EvaluateBleeding(const Bleeding& b, const Knowledge& k);

}  // namespace calfdvt::pathway::internal
