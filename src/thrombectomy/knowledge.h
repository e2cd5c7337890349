// The clinical knowledge of the calf-squeeze module (clinical-spec §7): eligible veins, vein
// levels, thresholds, removal-grade cut-offs, outcome definitions, check texts and the published
// series, each with its sources. Loaded and validated from knowledge/calf-squeeze.json
// (formats/thrombectomy_knowledge_json.h); the code never hard-codes a clinical number or
// sentence. Immutable after load; safe to share across threads.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/enum_names.h"
#include "core/vein.h"

namespace calfdvt::thrombectomy {

enum class Severity : uint8_t { kInfo = 0, kWarning = 1, kCritical = 2 };
inline constexpr core::EnumNames<Severity, 3> kSeverityNames{{"info", "warning", "critical"}};

// Protocol check ids (persisted spelling: never rename, only add).
enum class CheckId : uint8_t {
  kOutsideEligibility = 0,      // no residual thrombus in an eligible vein below the access site
  kNoEmbolicProtection = 1,     // no IVC filter recorded
  kSqueezesBeyondPublished = 2, // more squeezes than the published maximum
  kSqueezeWithoutAspiration = 3,  // a squeeze after which no thrombus was aspirated
  kIsolatedCalfDvtIndication = 4,  // indication is an isolated calf DVT
};
inline constexpr core::EnumNames<CheckId, 5> kCheckIdNames{{
    "outside_eligibility", "no_embolic_protection", "squeezes_beyond_published",
    "squeeze_without_aspiration", "isolated_calf_dvt_indication"}};
inline constexpr size_t kCheckCount = kCheckIdNames.size();

// Outcome definitions shown with every report (texts only; the computation is in outcomes.h).
enum class OutcomeId : uint8_t {
  kSqueezeCount = 0,
  kMigration = 1,
  kRemovalGrade = 2,
  kRecanalization = 3,
  kComplication = 4,
  kMajorComplication = 5,
};
inline constexpr core::EnumNames<OutcomeId, 6> kOutcomeIdNames{{
    "squeeze_count", "migration", "removal_grade", "recanalization", "complication",
    "major_complication"}};
inline constexpr size_t kOutcomeCount = kOutcomeIdNames.size();

struct SourceDef {
  std::string id;        // "seed000", "informatics", "sir"
  std::string tag;       // provenance tag: seed000 | literature | informatics | ...
  std::string label;     // short label for people
  std::string citation;  // full citation
  std::string url;       // may be empty
  // What remains to be verified against the original (empty: nothing). Shown with every use.
  std::string to_confirm;
};

struct CheckDef {
  Severity severity = Severity::kWarning;
  std::string title;    // what is checked, for the "not fired" display
  std::string message;  // what the clinician is told when the check fires
  std::string basis;    // why: the evidence or choice behind the check
  std::vector<std::string> sources;  // ids into ThrombectomyKnowledge::sources; never empty
};

struct OutcomeDef {
  std::string label;
  std::string definition;
  std::vector<std::string> sources;  // never empty
};

// A proportion as published, with the interval as published (stated_*), if any.
struct PublishedProportion {
  int k = 0;
  int n = 0;  // >= 1, k <= n
  std::optional<double> stated_low;   // 0..1
  std::optional<double> stated_high;  // stated_low <= stated_high <= 1
};

struct PublishedSeries {
  std::string source;  // id into sources
  std::string label;
  std::string population;
  int procedures = 0;
  double squeezes_mean = 0;
  int squeezes_min = 0;
  int squeezes_max = 0;
  PublishedProportion migration;
  PublishedProportion recanalization;
  PublishedProportion complications;
};

struct ThrombectomyKnowledge {
  std::string id;       // "calf-squeeze"
  std::string version;  // semantic version of the clinical content
  std::string title;
  std::string sha256;   // of the file bytes, hex; set by the loader
  std::vector<SourceDef> sources;

  // Eligibility: veins where residual thrombus can be moved by the squeeze.
  std::array<bool, core::kVeinCount> eligible_veins{};
  // Distal-to-proximal level of each deep vein (0 = calf); nullopt for veins off the deep axis
  // (superficial). Thrombus in vein v lies below the access vein a when level(v) < level(a), or
  // v == a (the segment below the puncture).
  std::array<std::optional<int>, core::kVeinCount> vein_levels{};
  std::vector<std::string> eligibility_sources;

  // Isolated calf DVT: every deep thrombosed vein is one of calf_veins (ignored veins aside).
  std::array<bool, core::kVeinCount> calf_veins{};
  std::array<bool, core::kVeinCount> ignored_veins{};  // superficial veins
  std::vector<std::string> isolated_calf_dvt_sources;

  int max_published_squeezes = 3;  // >= 1
  std::vector<std::string> squeezes_sources;

  // Thrombus removal grade from removal = 100 - residual_thrombus_percent:
  // I below grade_ii_min, II from grade_ii_min to below grade_iii_min, III from grade_iii_min.
  // 0 < grade_ii_min < grade_iii_min <= 100.
  double grade_ii_min_removal_percent = 50;
  double grade_iii_min_removal_percent = 100;
  std::vector<std::string> removal_grade_sources;

  double confidence = 0.95;  // of every interval, 0 < confidence < 1
  std::vector<std::string> statistics_sources;

  std::array<OutcomeDef, kOutcomeCount> outcomes{};
  std::array<CheckDef, kCheckCount> checks{};
  PublishedSeries published;

  const CheckDef& Check(CheckId id) const { return checks[static_cast<size_t>(id)]; }
  const OutcomeDef& Outcome(OutcomeId id) const { return outcomes[static_cast<size_t>(id)]; }
  const SourceDef* FindSource(std::string_view source_id) const {
    for (const auto& s : sources)
      if (s.id == source_id) return &s;
    return nullptr;
  }
};

}  // namespace calfdvt::thrombectomy
