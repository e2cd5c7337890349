#include "cli/assess_fhir.h"

#include <cstdio>
#include <ctime>
#include <fstream>

#include "core/json_writer.h"
#include "fhir/code_map.h"
#include "fhir/emit.h"
#include "fhir/record.h"
#include "formats/assessment_json.h"
#include "formats/assessment_text.h"
#include "pathway/engine.h"
#include "pathway/validate.h"

namespace calfdvt::cli {
namespace {

// Today's date (UTC): the CLI is where the clock may be read.
core::Date Today() {
  const std::time_t now = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&now, &tm);
  return core::Date::FromCivil(tm.tm_year + 1900, static_cast<unsigned>(tm.tm_mon + 1),
                               static_cast<unsigned>(tm.tm_mday));
}

std::string UnmappedLine(const fhir::Unmapped& u) {
  std::string where = u.resource.empty() ? std::string("bundle") : u.resource;
  if (!u.path.empty()) where += " " + u.path;
  std::string line = where;
  if (!u.field.empty()) line += " [" + u.field + "]";
  return line + ": " + u.reason;
}

// The text section shown after the assessment.
std::string UnmappedText(const fhir::MappedCase& m) {
  std::string out = "\nFHIR MAPPING (" + m.code_map_version + ", patient " +
                    (m.patient_id.empty() ? std::string("unknown") : "Patient/" + m.patient_id) +
                    ")\n";
  if (m.unmapped.empty()) return out + "  everything found was mapped\n";
  out += "  not mapped (the case fields stay unknown; nothing is guessed):\n";
  for (const auto& u : m.unmapped) out += "  - " + UnmappedLine(u) + "\n";
  return out;
}

}  // namespace

std::optional<int> WriteProposals(const pathway::Assessment& a, const std::string& patient_ref,
                                  const std::string& path) {
  const std::string bundle = fhir::EmitBundle(a, patient_ref) + "\n";
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  if (!out || !out.write(bundle.data(), static_cast<std::streamsize>(bundle.size())) ||
      !out.flush()) {
    std::fprintf(stderr, "error: cannot write %s\n", path.c_str());
    return kExitInvalid;
  }
  return std::nullopt;
}

int RunAssessFhir(const FhirAssessOptions& opt, const LoadedKnowledge& lk) {
  const std::string name = opt.bundle == "-" ? "<stdin>" : opt.bundle;
  core::Date as_of = Today();
  if (!opt.as_of.empty()) {
    auto d = core::Date::Parse(opt.as_of);
    if (!d) {
      std::fprintf(stderr, "error: --as-of must be a date YYYY-MM-DD (got \"%s\")\n",
                   opt.as_of.c_str());
      return kExitInvalid;
    }
    as_of = *d;
  }
  std::shared_ptr<const fhir::CodeMap> override_map;
  if (!opt.code_map.empty()) {
    auto bytes = ReadFile(opt.code_map);
    if (!bytes.ok()) {
      PrintErrors(bytes.errors(), "error: ");
      return kExitInvalid;
    }
    auto m = fhir::LoadCodeMap(*bytes);
    if (!m.ok()) {
      PrintErrors(m.errors(), opt.code_map + ": ");
      return kExitInvalid;
    }
    override_map = *m;
  }
  const fhir::CodeMap& codes = override_map ? *override_map : fhir::DefaultCodeMap();
  auto bytes = ReadFile(opt.bundle);
  if (!bytes.ok()) {
    PrintErrors(bytes.errors(), "error: ");
    return kExitInvalid;
  }
  auto mapped = fhir::MapBundle(*bytes, codes, as_of);
  if (!mapped.ok()) {
    std::fprintf(stderr, "%s: invalid FHIR bundle (%zu error%s)\n", name.c_str(),
                 mapped.errors().size(), mapped.errors().size() == 1 ? "" : "s");
    PrintErrors(mapped.errors(), "  ");
    return ExitFor(mapped.kind());
  }
  fhir::MappedCase& m = mapped.value();
  fhir::ApplyBleedingFactors(m, lk.knowledge);
  if (!m.usable) {
    std::fprintf(stderr, "%s: cannot assess: the imaging study could not be mapped\n%s",
                 name.c_str(), UnmappedText(m).c_str());
    return kExitInvalid;
  }
  if (!m.patient_id.empty()) m.c.id = m.patient_id;
  if (auto errors = pathway::CheckCase(m.c, lk.knowledge); !errors.empty()) {
    std::fprintf(stderr, "%s: the mapped case is invalid (%zu error%s)\n", name.c_str(),
                 errors.size(), errors.size() == 1 ? "" : "s");
    PrintErrors(errors, "  ");
    return kExitInvalid;
  }
  const pathway::Assessment a = pathway::Assess(m.c, lk.knowledge, *lk.profile);
  if (!opt.fhir_out.empty()) {
    const std::string ref = m.patient_id.empty() ? std::string() : "Patient/" + m.patient_id;
    if (auto code = WriteProposals(a, ref, opt.fhir_out)) return *code;
  }
  std::string out;
  if (opt.format == "json") {
    out = formats::AssessmentJson(a) + "\n";
    // assessment@1 stays untouched on stdout; the mapping report goes to stderr, one line each.
    for (const auto& u : m.unmapped)
      std::fprintf(stderr, "fhir: not mapped: %s\n", UnmappedLine(u).c_str());
  } else {
    out = formats::AssessmentText(a) + UnmappedText(m);
  }
  std::fwrite(out.data(), 1, out.size(), stdout);
  return std::fflush(stdout) == 0 ? kExitOk : kExitInternal;
}

}  // namespace calfdvt::cli
