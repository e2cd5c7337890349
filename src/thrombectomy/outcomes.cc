#include "thrombectomy/outcomes.h"

namespace calfdvt::thrombectomy {

RemovalGrade GradeOf(double removal_percent, const ThrombectomyKnowledge& k) {
  if (removal_percent >= k.grade_iii_min_removal_percent) return RemovalGrade::kIII;
  if (removal_percent >= k.grade_ii_min_removal_percent) return RemovalGrade::kII;
  return RemovalGrade::kI;
}

namespace {

std::optional<bool> Migration(const Procedure& p) {
  bool unknown = false;
  for (const Squeeze& s : p.squeezes) {
    if (s.migration_observed == true) return true;
    if (!s.migration_observed) unknown = true;
  }
  if (unknown) return std::nullopt;
  return false;
}

}  // namespace

Outcomes ComputeOutcomes(const Procedure& p, const ThrombectomyKnowledge& k) {
  Outcomes o;
  o.squeeze_count = static_cast<int>(p.squeezes.size());
  o.migration = Migration(p);

  std::optional<bool> antegrade;
  if (p.result) {
    antegrade = p.result->antegrade_flow;
    if (p.result->residual_thrombus_percent) {
      o.removal_percent = 100.0 - *p.result->residual_thrombus_percent;
      o.removal_grade = GradeOf(*o.removal_percent, k);
    }
  }
  const std::optional<bool> grade_ok =
      o.removal_grade ? std::optional<bool>(*o.removal_grade != RemovalGrade::kI) : std::nullopt;
  if (antegrade == false || grade_ok == false) o.recanalization = false;
  else if (antegrade && grade_ok) o.recanalization = true;

  if (p.complications) {
    for (const Complication& c : *p.complications) {
      ++o.complications;
      if (!c.severity) ++o.unclassified_complications;
      else if (*c.severity == ComplicationSeverity::kMajor) ++o.major_complications;
      else ++o.minor_complications;
    }
    o.complication = o.complications > 0;
    if (o.major_complications > 0) o.major_complication = true;
    else if (o.unclassified_complications == 0) o.major_complication = false;
  }
  return o;
}

}  // namespace calfdvt::thrombectomy
