// Writing calfdvt/assessment@1 documents (clinical-spec §5). Output is deterministic: the same
// assessment always serialises to the same bytes.
#pragma once

#include <memory>
#include <string>

#include "core/json_writer.h"
#include "pathway/assessment.h"

namespace calfdvt::formats {

inline constexpr std::string_view kAssessmentFormat = "calfdvt/assessment@1";

// Appends the assessment as one JSON object (no trailing newline).
void AppendAssessmentJson(const pathway::Assessment& a, std::string& out);
std::string AssessmentJson(const pathway::Assessment& a);

// The same serialisation, for many assessments computed with one Knowledge (batch work): the
// texts, labels, source lists, rule blocks and evidence that come from the knowledge file are
// rendered once and copied thereafter. Output is byte-identical to AppendAssessmentJson.
// `k` must outlive the writer and not change meanwhile (Knowledge is immutable after load).
// An assessment computed with another Knowledge is written by AppendAssessmentJson.
// Not thread-safe (it memoises source lists): keep one per thread.
class AssessmentJsonWriter {
 public:
  explicit AssessmentJsonWriter(const pathway::Knowledge& k);
  ~AssessmentJsonWriter();
  AssessmentJsonWriter(const AssessmentJsonWriter&) = delete;
  AssessmentJsonWriter& operator=(const AssessmentJsonWriter&) = delete;

  void Append(const pathway::Assessment& a, std::string& out);

  struct Fragments;  // internal

 private:
  std::unique_ptr<Fragments> f_;
};

// Writes "sources" (provenance tags) and, when literature is cited, "references" (study labels)
// as fields of the current object.
void WriteSourceFields(core::JsonWriter& w, const pathway::Knowledge& k, pathway::SourceSet s);

// The knowledge stamp object {"id","profile","version","sha256"}.
void WriteKnowledgeStamp(core::JsonWriter& w, const pathway::Knowledge& k,
                         const pathway::ProfileDef& profile);

}  // namespace calfdvt::formats
