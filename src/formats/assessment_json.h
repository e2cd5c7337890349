// Writing calfdvt/assessment@1 documents (clinical-spec §5). Output is deterministic: the same
// assessment always serialises to the same bytes.
#pragma once

#include <string>

#include "core/json_writer.h"
#include "pathway/assessment.h"

namespace calfdvt::formats {

inline constexpr std::string_view kAssessmentFormat = "calfdvt/assessment@1";

// Appends the assessment as one JSON object (no trailing newline).
void AppendAssessmentJson(const pathway::Assessment& a, std::string& out);
std::string AssessmentJson(const pathway::Assessment& a);

// Writes "sources" (provenance tags) and, when literature is cited, "references" (study labels)
// as fields of the current object.
void WriteSourceFields(core::JsonWriter& w, const pathway::Knowledge& k, pathway::SourceSet s);

// The knowledge stamp object {"id","profile","version","sha256"}.
void WriteKnowledgeStamp(core::JsonWriter& w, const pathway::Knowledge& k,
                         const pathway::ProfileDef& profile);

}  // namespace calfdvt::formats
