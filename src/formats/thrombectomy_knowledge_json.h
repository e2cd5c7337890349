// Loading and validating the calf-squeeze knowledge file (format
// calfdvt/thrombectomy-knowledge@1, knowledge/calf-squeeze.json). A load error names the JSON path
// and the rule: unknown or duplicate keys, wrong types, missing entries, unknown vein ids, a check,
// outcome or threshold without a source, references to undefined sources, and values that are
// impossible or inconsistent (grade cut-offs out of order, k > n, an eligible vein without a
// level). The SHA-256 of the exact bytes is stamped on the result.
#pragma once

#include <string_view>

#include "core/status.h"
#include "thrombectomy/knowledge.h"

namespace calfdvt::formats {

inline constexpr std::string_view kThrombectomyKnowledgeFormat = "calfdvt/thrombectomy-knowledge@1";

core::Result<thrombectomy::ThrombectomyKnowledge> LoadThrombectomyKnowledge(std::string_view bytes);

// knowledge/calf-squeeze.json, embedded in the binary at build time.
std::string_view EmbeddedThrombectomyKnowledgeBytes();
// Loads the embedded file. Failure is a build defect (ErrorKind::kInternal).
core::Result<thrombectomy::ThrombectomyKnowledge> LoadEmbeddedThrombectomyKnowledge();

}  // namespace calfdvt::formats
