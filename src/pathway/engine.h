// The decision engine: case -> assessment under one knowledge profile (clinical-spec R1-R9).
// Pure: no clock, no I/O, no global state; the same inputs always give the same output.
// Thread-safe for concurrent calls sharing one Knowledge.
#pragma once

#include "pathway/assessment.h"
#include "pathway/case.h"
#include "pathway/knowledge.h"

namespace calfdvt::pathway {

// Preconditions: `c` passed case validation (formats/case_json.h); `profile` belongs to
// `knowledge`. The returned assessment points into `knowledge` and `profile`.
Assessment Assess(const Case& c, const Knowledge& knowledge, const ProfileDef& profile);

// The same assessment, written over `out` (whatever it held before is replaced): its vectors keep
// their capacity, so a caller assessing many cases with one Assessment (batch work) allocates
// less. Same preconditions; `out` afterwards equals what the overload above returns.
void Assess(const Case& c, const Knowledge& knowledge, const ProfileDef& profile, Assessment& out);

}  // namespace calfdvt::pathway
