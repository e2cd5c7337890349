// Case rules that need the knowledge file (clinical-spec §3): currently that a bleeding `risk` and
// bleeding `factors` given together agree on the category the factors score to.
#pragma once

#include "core/status.h"
#include "pathway/case.h"
#include "pathway/knowledge.h"

namespace calfdvt::pathway {

core::Errors CheckCase(const Case& c, const Knowledge& k);

}  // namespace calfdvt::pathway
