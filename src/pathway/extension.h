// Re-assessment after a follow-up scan shows extension (clinical-spec §6, R8): "initiate
// anticoagulation immediately if extension occurs" (seed001; CHEST grades distal extension weak,
// proximal extension strong). Pure, like Assess.
#pragma once

#include <optional>
#include <vector>

#include "pathway/assessment.h"
#include "pathway/case.h"
#include "pathway/knowledge.h"

namespace calfdvt::pathway {

struct ExtensionFinding {
  bool proximal = false;  // extended_proximal (else extended_distal)
  core::Date date;        // date of the follow-up scan; becomes as_of and imaging.date
  int scan_day = 0;
  // The thrombi seen on the follow-up scan, when reported; otherwise the index findings are kept.
  std::optional<std::vector<Thrombus>> findings;
};

// Preconditions: `index` is the episode's validated index case; finding.date >= its imaging date.
// The result's strategy is anticoagulate (distal) or proximal_dvt_pathway (proximal) with a
// regimen and the critical alert extension_detected — unless anticoagulation is contraindicated,
// in which case the engine's own strategy stands and the alert asks for specialist review.
Assessment AssessExtension(const Case& index, const ExtensionFinding& finding, const Knowledge& k,
                           const ProfileDef& profile);

}  // namespace calfdvt::pathway
