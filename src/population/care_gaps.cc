#include "population/care_gaps.h"

namespace calfdvt::population {

std::vector<GapCode> CareGaps(const fhir::CareFacts& f, core::Date as_of, const GapRules& rules) {
  std::vector<GapCode> gaps;
  if (f.distal_dvt && !f.proximal_dvt && !f.anticoagulant_active && f.followups.empty())
    gaps.push_back(GapCode::kUntreatedDistalWithoutFollowup);
  if (f.distal_dvt) {
    for (const auto& fu : f.followups) {
      if (!fu.completed && fu.due && fu.due->AddDays(rules.overdue_grace_days) < as_of) {
        gaps.push_back(GapCode::kFollowupOverdue);
        break;
      }
    }
  }
  if (f.limited_scan_only && !f.calf_veins_assessed && !f.proximal_dvt)
    gaps.push_back(GapCode::kCalfVeinsNotAssessed);
  if (f.proximal_dvt && !f.anticoagulant_active) gaps.push_back(GapCode::kProximalDvtUntreated);
  return gaps;
}

}  // namespace calfdvt::population
