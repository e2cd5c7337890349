#pragma once

#include <string>

#include "pathway/knowledge.h"

namespace calfdvt::cli {

// Streams an NDJSON file of cases to NDJSON assessments on stdout. A line that fails validation
// yields {"line":N,"errors":[...]} and the batch continues. Returns the exit code: 0 when every
// line was assessed, 2 when any line was rejected, 1 on an I/O failure.
int RunBatch(const std::string& path, const pathway::Knowledge& k, const pathway::ProfileDef& p);

}  // namespace calfdvt::cli
