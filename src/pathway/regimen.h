// Internal to the pathway module: R7 regimen selection.
#pragma once

#include <vector>

#include "pathway/decide.h"

namespace calfdvt::pathway::internal {

struct RegimenOutput {
  RegimenResult regimen;
  bool pregnancy_lmwh_only = false;
  bool cancer_extended_therapy = false;
  std::vector<InputRef> unknowns;
};

// Called when the strategy is anticoagulate or proximal_dvt_pathway.
RegimenOutput ComputeRegimen(const Case& c, const Knowledge& k, const ProfileDef& p,
                             Classification cls);

}  // namespace calfdvt::pathway::internal
