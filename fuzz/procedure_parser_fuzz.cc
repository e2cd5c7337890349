// libFuzzer target: bytes -> formats::ParseProcedure (calfdvt/procedure@1), ParseProcedureLines (the
// NDJSON of `calfdvt registry report --input`), ParseSqueeze and ParseOutcome. Besides ASan/UBSan
// it checks:
//   - a rejected input always carries at least one error;
//   - an accepted record re-serialised with WriteProcedureRecord (ProcedureRecordJson) re-parses,
//     to an equal record, whose serialisation is byte-identical (canonical form is a fixed point);
//   - ProcedureJson (the procedure-report@1 with protocol checks under the embedded calf-squeeze
//     knowledge) is well-formed JSON embedding that same record;
//   - each line accepted by ParseProcedureLines round-trips the same way; a squeeze accepted by
//     ParseSqueeze round-trips through WriteSqueeze; an outcome accepted by ParseOutcome
//     round-trips through OutcomeJson to a byte-identical document.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "core/json_writer.h"
#include "formats/procedure_json.h"
#include "formats/thrombectomy_knowledge_json.h"
#include "fuzz/invariants.h"

namespace {

namespace fm = calfdvt::formats;
namespace th = calfdvt::thrombectomy;
using calfdvt::fuzz::Check;

const th::ThrombectomyKnowledge& TheKnowledge() {
  static const th::ThrombectomyKnowledge k =
      calfdvt::fuzz::MustLoad(fm::LoadEmbeddedThrombectomyKnowledge());
  return k;
}

void CheckRoundTrip(const th::Procedure& p, simdjson::dom::parser& json) {
  const std::string first = fm::ProcedureRecordJson(p);
  auto again = fm::ParseProcedure(first);
  Check(again.ok());
  Check(*again == p);
  Check(fm::ProcedureRecordJson(*again) == first);

  // The report embeds the record as written by WriteProcedureRecord.
  const std::string report = fm::ProcedureJson(p, TheKnowledge());
  simdjson::dom::element root;
  Check(json.parse(report).get(root) == simdjson::SUCCESS);
  simdjson::dom::object record;
  Check(root["procedure"].get(record) == simdjson::SUCCESS);
  Check(report.find(first) != std::string::npos);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static simdjson::dom::parser json;
  const std::string_view input(reinterpret_cast<const char*>(data), size);

  auto p = fm::ParseProcedure(input);
  if (p.ok())
    CheckRoundTrip(*p, json);
  else
    Check(!p.errors().empty());

  auto lines = fm::ParseProcedureLines(input);
  if (lines.ok()) {
    for (const th::Procedure& one : *lines) CheckRoundTrip(one, json);
  } else {
    Check(!lines.errors().empty());
  }

  auto s = fm::ParseSqueeze(input, "squeezes[0]");
  if (s.ok()) {
    std::string first;
    calfdvt::core::JsonWriter w(first);
    fm::WriteSqueeze(w, *s);
    auto again = fm::ParseSqueeze(first);
    Check(again.ok() && *again == *s);
  } else {
    Check(!s.errors().empty());
  }

  auto o = fm::ParseOutcome(input);
  if (o.ok()) {
    const std::string first = fm::OutcomeJson(*o);
    auto again = fm::ParseOutcome(first);
    Check(again.ok() && *again == *o && fm::OutcomeJson(*again) == first);
  } else {
    Check(!o.errors().empty());
  }
  return 0;
}
