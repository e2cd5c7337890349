// Loading and validating knowledge files (format calfdvt/knowledge@1). A load error names the JSON
// path and the rule: unknown keys, wrong types, missing entries, a rule/alert/note/feature without a
// source, references to unknown sources or rules. The SHA-256 of the exact bytes is stamped on
// the result and on every output computed with it.
#pragma once

#include <string>
#include <string_view>

#include "core/status.h"
#include "pathway/knowledge.h"

namespace calfdvt::formats {

inline constexpr std::string_view kKnowledgeFormat = "calfdvt/knowledge@1";

core::Result<pathway::Knowledge> LoadKnowledge(std::string_view bytes);

// The default knowledge file (knowledge/distal-dvt.json), embedded in the binary at build time.
std::string_view EmbeddedKnowledgeBytes();
// Loads the embedded file. Failure is a build defect (ErrorKind::kInternal).
core::Result<pathway::Knowledge> LoadEmbeddedKnowledge();

}  // namespace calfdvt::formats
