// The engine's output, format calfdvt/assessment@1 (clinical-spec §5, §5.1). Plain data; it refers
// to the Knowledge it was computed with (which must outlive it) for texts, labels and sources.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "core/date.h"
#include "pathway/knowledge.h"
#include "pathway/vocabulary.h"

namespace calfdvt::pathway {

// A feature's value as reported: a number (cm, mm, count, D-dimer), a flag, or a token.
using FeatureValue = std::variant<std::monostate, double, bool, std::string_view>;

struct FeatureResult {
  Feature id = Feature::kLengthOver5cm;
  FeatureStatus status = FeatureStatus::kUnknown;
  bool counted = true;
  FeatureValue value;
  std::optional<double> threshold;
  SourceSet sources = 0;
};

struct BleedingResult {
  BleedingCategory category = BleedingCategory::kUnknown;
  std::optional<int> points;  // only when factors were given
  std::optional<double> major_bleeding_3mo;
  std::string_view basis;  // "risk", "factors" or "unknown"
};

struct RegimenResult {
  Agent agent = Agent::kDoac;
  int minimum_months = 3;
  bool extended = false;
  std::optional<core::Date> earliest_stop;  // the first review date when extended
  std::vector<std::string> notes;
  SourceSet sources = 0;
};

struct ScanPlan {
  int day = 0;
  core::Date due;
  core::Date window_start;
  core::Date window_end;
};

struct SurveillanceResult {
  std::vector<ScanPlan> scans;
  OnExtension on_extension = OnExtension::kAnticoagulate;
};

struct AlertResult {
  AlertCode code = AlertCode::kCalfVeinsNotAssessed;
  Severity severity = Severity::kInfo;
  std::string_view message;  // from the knowledge file
  std::string detail;        // case-specific facts (may be empty)
  std::string_view rule;
  SourceSet sources = 0;
};

struct Assessment {
  std::optional<std::string> case_id;
  core::Date as_of;
  Classification classification = Classification::kNotClassifiable;
  std::optional<Pattern> pattern;
  Strategy strategy = Strategy::kOutOfScope;
  std::optional<Strength> strength;
  bool shared_decision = false;
  std::optional<Strategy> alternative;
  std::string_view strategy_rule;  // "R5.3", "R1", "R2", ...
  SourceSet strategy_sources = 0;
  std::vector<FeatureResult> features;  // all twelve for isolated_distal, else empty
  std::vector<Favouring> favouring_imaging;
  std::vector<std::string> notes;
  BleedingResult bleeding;
  std::optional<RegimenResult> regimen;
  std::optional<SurveillanceResult> surveillance;
  std::vector<AlertResult> alerts;  // most severe first
  std::vector<std::string> unknowns;           // every unknown input the pathway looked at
  std::vector<std::string> decisive_unknowns;  // those whose value could change the strategy
  bool show_evidence = false;
  std::vector<std::string> trace;
  std::vector<std::string_view> rules_fired;  // rule ids, in order
  const Knowledge* knowledge = nullptr;
  const ProfileDef* profile = nullptr;
};

}  // namespace calfdvt::pathway
