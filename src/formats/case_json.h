// Reading calfdvt/case@1 documents (clinical-spec §3 and §5.1) with strict validation: wrong
// types, unknown fields, duplicate keys, impossible values and contradictions are errors naming the
// JSON path; all errors of a document are reported. Nothing is clamped or guessed.
#pragma once

#include <memory>
#include <string_view>

#include "core/status.h"
#include "pathway/case.h"
#include "pathway/knowledge.h"

namespace calfdvt::formats {

inline constexpr std::string_view kCaseFormat = "calfdvt/case@1";

// Reuses its parse buffers across calls: keep one per thread for batch work. Not thread-safe.
class CaseParser {
 public:
  CaseParser();
  ~CaseParser();
  CaseParser(const CaseParser&) = delete;
  CaseParser& operator=(const CaseParser&) = delete;

  // Format rules only (no knowledge needed).
  core::Result<pathway::Case> Parse(std::string_view json);
  // Format rules, then the rules that need the knowledge (pathway::CheckCase).
  core::Result<pathway::Case> Parse(std::string_view json, const pathway::Knowledge& k);
  // As Parse, for a buffer whose kPadding bytes after the end are readable (no copy is made).
  core::Result<pathway::Case> ParsePadded(std::string_view json, const pathway::Knowledge& k);
  static constexpr size_t kPadding = 64;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace calfdvt::formats
