// Human-readable rendering of an assessment for the terminal and for print: recommendation, alerts,
// why, next steps, evidence and trace, each line with its basis (rule id and sources). It carries
// the same content as the JSON document.
#pragma once

#include <string>

#include "pathway/assessment.h"

namespace calfdvt::formats {

std::string AssessmentText(const pathway::Assessment& a);

}  // namespace calfdvt::formats
