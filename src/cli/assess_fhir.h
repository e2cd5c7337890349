// `calfdvt assess --fhir BUNDLE.json` and `--fhir-out FILE` (issue 6 §1-2, docs/fhir.md): a FHIR R4
// Bundle mapped onto calfdvt/case@1, assessed like a native case, with what could not be mapped
// shown to the user; and the assessment's FHIR proposals written as a Bundle.
#pragma once

#include <optional>
#include <string>

#include "cli/common.h"
#include "pathway/assessment.h"

namespace calfdvt::cli {

struct FhirAssessOptions {
  std::string bundle;    // file or "-"
  std::string as_of;     // YYYY-MM-DD; empty: today (UTC)
  std::string code_map;  // empty: the embedded knowledge/fhir-map.json
  std::string format;    // text | json
  std::string fhir_out;  // empty: no proposals file
};

// Exit codes as `assess`: 2 for a malformed bundle (errors name the JSON path), for a bundle whose
// imaging cannot be mapped, or for a mapped case that breaks a case rule.
int RunAssessFhir(const FhirAssessOptions& opt, const LoadedKnowledge& lk);

// Writes EmitBundle(a, patient_ref) to `path`; prints the error and returns the exit code on
// failure, nullopt on success.
std::optional<int> WriteProposals(const pathway::Assessment& a, const std::string& patient_ref,
                                  const std::string& path);

}  // namespace calfdvt::cli
