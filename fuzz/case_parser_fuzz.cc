// libFuzzer target: bytes -> CaseParser::Parse (with the embedded knowledge) -> pathway::Assess
// under every profile -> AppendAssessmentJson and AssessmentJsonWriter. Besides ASan/UBSan it
// checks the invariants of fuzz/invariants.h on every accepted case, and that Parse and ParsePadded
// (the in-place path `calfdvt assess --batch` uses) agree.
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

#include "formats/case_json.h"
#include "fuzz/invariants.h"
#include "pathway/engine.h"

namespace {

namespace fm = calfdvt::formats;
namespace pw = calfdvt::pathway;
using calfdvt::fuzz::Check;

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const pw::Knowledge& k = calfdvt::fuzz::EmbeddedKnowledge();
  static fm::CaseParser parser;
  static fm::AssessmentJsonWriter writer(k);
  static simdjson::dom::parser json;
  static std::string out, first;

  const std::string_view input(reinterpret_cast<const char*>(data), size);
  auto c = parser.Parse(input, k);

  std::vector<char> padded(size + fm::CaseParser::kPadding, '\0');
  if (size) std::memcpy(padded.data(), data, size);
  auto cp = parser.ParsePadded(std::string_view(padded.data(), size), k);
  Check(c.ok() == cp.ok());
  if (!c.ok()) {
    Check(!c.errors().empty() && c.errors().size() == cp.errors().size());
    return 0;
  }

  for (const pw::ProfileDef& p : k.profiles) {
    calfdvt::fuzz::CheckAssessment(*c, k, p, pw::Assess(*c, k, p), writer, out, json);
    first = out;
    calfdvt::fuzz::CheckAssessment(*cp, k, p, pw::Assess(*cp, k, p), writer, out, json);
    Check(out == first);
  }
  return 0;
}
