// The calf-squeeze outcome registry (clinical-spec §7): pure statistics over procedure records,
// filtered, side by side with the published series of the knowledge file. Deterministic: the same
// records, filter and knowledge give the same report. Thread-safe (no shared state).
#pragma once

#include <array>
#include <optional>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "core/date.h"
#include "core/status.h"
#include "core/vein.h"
#include "thrombectomy/knowledge.h"
#include "thrombectomy/procedure.h"
#include "thrombectomy/stats.h"

namespace calfdvt::thrombectomy {

// Which records count. Every set criterion must hold; an unset one accepts everything. A record
// whose value for a set criterion is unknown does not match it.
struct RegistryFilter {
  std::optional<core::Date> from;  // procedure date on or after (inclusive)
  std::optional<core::Date> to;    // procedure date on or before (inclusive); from <= to
  std::optional<std::string> operator_name;  // exact match of "operator"
  std::optional<bool> iliac_obstruction;     // indication.iliac_obstruction equals it
  std::optional<core::Vein> thrombosed_vein;  // listed in indication.thrombosed_veins
  std::optional<core::Side> side;            // left or right
  friend bool operator==(const RegistryFilter&, const RegistryFilter&) = default;
};

// Rejects contradictory or impossible filters (from after to: "filter.to" rule "range"; side
// bilateral: "filter.side" rule "enum"; empty operator: "filter.operator" rule "empty").
core::Status ValidateFilter(const RegistryFilter& filter);
// Precondition: ValidateFilter(filter).ok().
bool Matches(const Procedure& p, const RegistryFilter& filter);

// k of n with intervals. Records whose outcome is unknown are counted in `unknown`, not in n.
struct Proportion {
  int k = 0;
  int n = 0;
  int unknown = 0;
  std::optional<double> estimate;  // k / n; nullopt when n == 0 (no data)
  std::optional<Interval> exact;   // Clopper-Pearson; nullopt when n == 0
  std::optional<Interval> wilson;  // Wilson score; nullopt when n == 0
};
// Precondition: 0 <= k <= n, unknown >= 0, 0 < confidence < 1.
Proportion MakeProportion(int k, int n, int unknown, double confidence);

struct SqueezeStats {
  int total = 0;    // squeezes over all procedures
  Summary summary;  // squeezes per procedure (n = procedures)
  // (squeezes per procedure, procedures) for each count that occurs, ascending.
  std::vector<std::pair<int, int>> distribution;
};

// For one vein targeted by at least one squeeze.
struct VeinOutcome {
  core::Vein vein = core::Vein::kPopliteal;
  int procedures = 0;  // procedures with a squeeze targeting it
  int squeezes = 0;    // squeezes targeting it
  int migration_observed = 0;  // of those squeezes: migration_observed true
  int migration_unknown = 0;   // migration_observed not recorded
  int aspirated = 0;           // thrombus_aspirated true
  int aspirated_unknown = 0;   // thrombus_aspirated not recorded
};

struct CheckCount {
  CheckId id = CheckId::kOutsideEligibility;
  Severity severity = Severity::kInfo;
  int fired = 0;    // procedures where the check fired
  int unknown = 0;  // procedures where it could not be evaluated
};

struct ProportionComparison {
  PublishedProportion published;
  Interval published_interval;  // as stated, or Clopper-Pearson of the published k/n
  bool published_interval_stated = false;
  std::optional<bool> overlap;  // local exact interval meets published_interval; nullopt: no data
};

struct PublishedComparison {
  std::string source;  // knowledge source id
  std::string label;
  std::string population;
  int procedures = 0;
  double squeezes_mean = 0;
  int squeezes_min = 0;
  int squeezes_max = 0;
  // Local min..max within the published range; nullopt with no procedures.
  std::optional<bool> squeezes_range_within;
  ProportionComparison migration;
  ProportionComparison recanalization;
  ProportionComparison complications;
};

struct RegistryReport {
  std::string knowledge_id;
  std::string knowledge_version;
  std::string knowledge_sha256;
  double confidence = 0.95;
  RegistryFilter filter;
  int records = 0;     // records given
  int procedures = 0;  // records matching the filter
  int procedures_with_squeeze = 0;
  SqueezeStats squeezes;
  Proportion migration;       // among procedures with at least one squeeze
  Proportion recanalization;  // successful recanalization (outcomes.h)
  Proportion complications;   // any complication, among procedures with complications recorded
  Proportion major_complications;
  std::array<int, 3> removal_grades{};  // procedures per grade I, II, III
  int removal_grade_unknown = 0;
  std::vector<VeinOutcome> veins;  // in vein vocabulary order
  std::vector<CheckCount> checks;  // one per CheckId, in order
  PublishedComparison published;
};

// Errors: only an invalid filter (ValidateFilter). An empty selection is a valid report with
// n = 0 everywhere and no intervals.
core::Result<RegistryReport> Registry(std::span<const Procedure> records,
                                      const RegistryFilter& filter,
                                      const ThrombectomyKnowledge& k);

}  // namespace calfdvt::thrombectomy
