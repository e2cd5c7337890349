// The clinical knowledge the engine runs on (clinical-spec §§1-5): thresholds, vein meanings,
// features, profiles, bleeding points, windows, regimens, texts and citations. It is loaded and
// validated from a versioned data file (formats/knowledge_json.h); the engine never hard-codes a
// clinical number or sentence. Immutable after load; safe to share across threads.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/vein.h"
#include "pathway/case.h"
#include "pathway/vocabulary.h"

namespace calfdvt::pathway {

// A set of sources, as bits over Knowledge::sources (at most 64 sources).
using SourceSet = uint64_t;

struct SourceDef {
  std::string id;        // "seed001", "chest", "sales2010", ...
  std::string tag;       // provenance tag: seed001 | seed000 | chest | sru2018 | literature | informatics
  std::string label;     // short label for people: "Sales 2010"
  std::string citation;  // full citation
  std::string url;       // may be empty
};

struct RuleDef {
  std::string id;  // "R1" .. "R9"
  std::string title;
  SourceSet sources = 0;  // never empty (load error)
};

struct Text {
  std::string text;
  std::string rule;  // rule id it belongs to
  SourceSet sources = 0;
};

struct VeinDef {
  VeinClass vein_class = VeinClass::kDistal;
  VeinKind kind = VeinKind::kNone;
  bool close_to_proximal = false;  // counts as near_proximal_veins when involved
  std::string group;               // vein group for multiple_veins (per leg)
  std::string label;
};

struct FeatureDef {
  std::string label;
  std::string rule;  // "R3"
  SourceSet sources = 0;
  std::optional<double> threshold;  // length, diameter, distance, vein-group count
  std::string unit;
  std::string prompt;  // what the clinician attests (severe_symptoms)
  // inpatient_or_recent_hospitalization only: its sources when present by recent hospitalization
  // alone (a seed-only criterion).
  SourceSet secondary_sources = 0;
};

struct ProfileDef {
  std::string id;
  std::string label;
  std::string description;
  SourceSet sources = 0;
  std::array<bool, kFeatureCount> counted{};
  bool persistent_is_unprovoked = false;  // CHEST: "no reversible provoking factor"
  bool recent_hospitalization_counts = true;
  Agent cancer_agent = Agent::kLmwh;
  SourceSet cancer_agent_sources = 0;
  // When set, a present counted feature whose sources lack this source raises seed_only_criterion.
  std::optional<int> flag_features_without_source;
};

struct BleedingCategoryDef {
  int min_points = 0;
  double major_bleeding_3mo = 0;
};

struct BleedingDef {
  std::array<int, kBleedingFactorCount> points{};
  // Nested pairs (lower, higher): when both are given only the higher one scores.
  std::vector<std::pair<BleedingFactor, BleedingFactor>> nested;
  std::array<BleedingCategoryDef, 3> categories{};  // low, moderate, high
  SourceSet sources = 0;
};

struct ScanDef {
  int day = 0;
  int window_before_days = 0;
  int window_after_days = 0;
};

struct SurveillanceDef {
  std::vector<ScanDef> scans;
  SourceSet sources = 0;
};

struct AgentDef {
  std::string label;
  SourceSet sources = 0;
};

struct RegimenDef {
  int isolated_distal_minimum_months = 3;
  int proximal_minimum_months = 3;
  int cancer_minimum_months = 3;
  int pregnancy_minimum_months = 3;
  int postpartum_minimum_weeks = 6;
  double vka_if_crcl_below_ml_min = 30;
  bool vka_if_severe_liver_disease = true;
  bool vka_if_antiphospholipid_syndrome = true;
  // A DOAC/VKA regimen for a patient who is not male, with unknown pregnancy status and an age not
  // known to exceed this, gets the "confirm not pregnant" note.
  double pregnancy_check_max_age = 55;
  std::array<AgentDef, 4> agents{};  // indexed by Agent
  SourceSet sources = 0;
};

struct AlertDef {
  Severity severity = Severity::kInfo;
  std::optional<Severity> severity_proximal;  // anticoagulation_contraindicated
  std::string message;
  std::string message_proximal;  // may be empty
  std::string rule;
  SourceSet sources = 0;
};

struct EvidenceDef {
  std::string id;
  std::string claim;
  int source = 0;  // index into sources
};

struct Knowledge {
  std::string id;       // "distal-dvt"
  std::string version;  // semantic version of the clinical content
  std::string title;
  std::string sha256;   // of the file bytes, hex; set by the loader
  std::vector<SourceDef> sources;
  std::vector<RuleDef> rules;
  std::array<VeinDef, core::kVeinCount> veins{};
  std::array<FeatureDef, kFeatureCount> features{};
  std::vector<ProfileDef> profiles;
  std::string default_profile;
  BleedingDef bleeding;
  SurveillanceDef surveillance;
  RegimenDef regimen;
  std::array<AlertDef, kAlertCodeCount> alerts{};
  std::array<Text, kNoteCount> notes{};
  // Surveillance-episode safety alerts (clinical-spec §6), keyed by surveillance::kSafetyCodeNames.
  std::vector<std::pair<std::string, AlertDef>> episode_alerts;
  const AlertDef* FindEpisodeAlert(std::string_view code) const {
    for (const auto& [name, def] : episode_alerts)
      if (name == code) return &def;
    return nullptr;
  }
  std::vector<EvidenceDef> evidence;
  std::string evidence_conclusion;
  int evidence_conclusion_source = 0;  // index into sources
  std::array<std::string, 5> strategy_labels{};  // indexed by Strategy
  std::array<std::string, 5> favouring_labels{};  // indexed by Favouring

  const ProfileDef* FindProfile(std::string_view id) const {
    for (const auto& p : profiles)
      if (p.id == id) return &p;
    return nullptr;
  }
  const RuleDef* FindRule(std::string_view id) const {
    for (const auto& r : rules)
      if (r.id == id) return &r;
    return nullptr;
  }
  std::optional<int> FindSource(std::string_view id) const {
    for (size_t i = 0; i < sources.size(); ++i)
      if (sources[i].id == id) return static_cast<int>(i);
    return std::nullopt;
  }
};

}  // namespace calfdvt::pathway
