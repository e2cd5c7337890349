// Invariants every assessment must satisfy, whatever the case and whatever knowledge file loaded.
// Shared by the fuzz targets; a violation traps (__builtin_trap) so libFuzzer saves the input.
#pragma once

#include <simdjson.h>

#include <string>
#include <string_view>
#include <utility>

#include "core/status.h"
#include "formats/assessment_json.h"
#include "formats/knowledge_json.h"
#include "pathway/assessment.h"
#include "pathway/case.h"
#include "pathway/knowledge.h"

namespace calfdvt::fuzz {

inline void Check(bool ok) {
  if (!ok) __builtin_trap();
}

// The value of a load that cannot fail (the embedded knowledge files); a failure traps.
template <class T>
T MustLoad(core::Result<T> r) {
  Check(r.ok());
  return std::move(r).value();
}

// The embedded knowledge (knowledge/distal-dvt.json), loaded once.
inline const pathway::Knowledge& EmbeddedKnowledge() {
  static const pathway::Knowledge k = MustLoad(formats::LoadEmbeddedKnowledge());
  return k;
}

inline bool IsHex64(std::string_view s) {
  if (s.size() != 64) return false;
  for (char c : s)
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  return true;
}

// Checks `a` (computed from `c` under `k`/`p`) and serialises it into `out`:
//   - a proximal classification never gets the strategy serial_imaging;
//   - a pregnant patient (patient.pregnancy "pregnant") never gets doac, vka or oral_xa_inhibitor;
//   - the assessment carries the knowledge sha256 (64 lower-case hex characters);
//   - regimen and surveillance are never both set;
//   - the serialisation is deterministic, well-formed JSON and stamps the same sha256;
//   - AssessmentJsonWriter (the batch path; `writer` is bound to `k`) writes the same bytes.
inline void CheckAssessment(const pathway::Case& c, const pathway::Knowledge& k,
                            const pathway::ProfileDef& p, const pathway::Assessment& a,
                            formats::AssessmentJsonWriter& writer, std::string& out,
                            simdjson::dom::parser& json) {
  namespace pw = calfdvt::pathway;
  Check(a.knowledge == &k && a.profile == &p);
  Check(IsHex64(a.knowledge->sha256));
  if (a.classification == pw::Classification::kProximal)
    Check(a.strategy != pw::Strategy::kSerialImaging);
  Check(!(a.regimen && a.surveillance));
  if (c.patient.pregnancy == pw::Pregnancy::kPregnant && a.regimen)
    Check(a.regimen->agent != pw::Agent::kDoac && a.regimen->agent != pw::Agent::kVka &&
          a.regimen->agent != pw::Agent::kOralXaInhibitor);

  out.clear();
  formats::AppendAssessmentJson(a, out);
  const size_t first_size = out.size();
  formats::AppendAssessmentJson(a, out);
  Check(out.size() == 2 * first_size &&
        std::string_view(out).substr(0, first_size) == std::string_view(out).substr(first_size));
  out.resize(first_size);
  writer.Append(a, out);
  Check(out.size() == 2 * first_size &&
        std::string_view(out).substr(0, first_size) == std::string_view(out).substr(first_size));
  out.resize(first_size);
  simdjson::dom::element root;
  Check(json.parse(out).get(root) == simdjson::SUCCESS);
  std::string_view sha;
  Check(root["knowledge"]["sha256"].get(sha) == simdjson::SUCCESS && sha == k.sha256);
  std::string_view strategy;
  Check(root["strategy"].get(strategy) == simdjson::SUCCESS &&
        strategy == pw::kStrategyNames.Name(a.strategy));
}

}  // namespace calfdvt::fuzz
