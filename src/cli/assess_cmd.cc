// `calfdvt assess`: one case (file or stdin) to a readable or JSON assessment, or --batch NDJSON.
#include <cstdio>
#include <memory>

#include "cli/assess_cmd.h"
#include "cli/assess_fhir.h"
#include "cli/batch.h"
#include "cli/common.h"
#include "formats/assessment_json.h"
#include "formats/assessment_text.h"
#include "formats/case_json.h"
#include "pathway/engine.h"

namespace calfdvt::cli {
namespace {

struct AssessOptions {
  KnowledgeChoice knowledge;
  std::string format = "text";
  std::string input;
  std::string batch;
  std::string fhir;      // --fhir BUNDLE.json (docs/fhir.md)
  std::string as_of;     // --as-of, with --fhir
  std::string fhir_map;  // --fhir-map, with --fhir
  std::string fhir_out;  // --fhir-out FILE: the FHIR proposals Bundle
};

int RunAssess(const AssessOptions& opt) {
  LoadedKnowledge lk;
  if (auto code = LoadKnowledgeOrExit(opt.knowledge, lk)) return *code;
  if (!opt.batch.empty()) {
    if (!opt.input.empty()) {
      std::fprintf(stderr, "error: give either FILE or --batch FILE.ndjson, not both\n");
      return kExitInvalid;
    }
    if (opt.format != "json") {
      std::fprintf(stderr, "error: --batch writes NDJSON; --format text is not available with it\n");
      return kExitInvalid;
    }
    if (!opt.fhir.empty() || !opt.fhir_out.empty()) {
      std::fprintf(stderr, "error: --fhir and --fhir-out are not available with --batch\n");
      return kExitInvalid;
    }
    return RunBatch(opt.batch, lk.knowledge, *lk.profile);
  }
  if (!opt.fhir.empty()) {
    if (!opt.input.empty()) {
      std::fprintf(stderr, "error: give either FILE or --fhir BUNDLE.json, not both\n");
      return kExitInvalid;
    }
    return RunAssessFhir({opt.fhir, opt.as_of, opt.fhir_map, opt.format, opt.fhir_out}, lk);
  }
  if (!opt.as_of.empty() || !opt.fhir_map.empty()) {
    std::fprintf(stderr, "error: --as-of and --fhir-map apply to --fhir only\n");
    return kExitInvalid;
  }
  if (opt.input.empty()) {
    std::fprintf(stderr, "error: FILE is required (a case JSON file, or - for standard input)\n");
    return kExitInvalid;
  }
  auto bytes = ReadFile(opt.input);
  if (!bytes.ok()) {
    PrintErrors(bytes.errors(), "error: ");
    return kExitInvalid;
  }
  formats::CaseParser parser;
  auto c = parser.Parse(*bytes, lk.knowledge);
  if (!c.ok()) {
    const std::string name = opt.input == "-" ? "<stdin>" : opt.input;
    std::fprintf(stderr, "%s: invalid case (%zu error%s)\n", name.c_str(), c.errors().size(),
                 c.errors().size() == 1 ? "" : "s");
    PrintErrors(c.errors(), "  ");
    return ExitFor(c.kind());
  }
  const pathway::Assessment a = pathway::Assess(*c, lk.knowledge, *lk.profile);
  if (!opt.fhir_out.empty())
    if (auto code = WriteProposals(a, "", opt.fhir_out)) return *code;
  std::string out = opt.format == "json" ? formats::AssessmentJson(a) + "\n" : formats::AssessmentText(a);
  std::fwrite(out.data(), 1, out.size(), stdout);
  return std::fflush(stdout) == 0 ? kExitOk : kExitInternal;
}

}  // namespace

void AddAssessCommand(CLI::App& app, int* exit_code) {
  auto opt = std::make_shared<AssessOptions>();
  CLI::App* cmd = app.add_subcommand(
      "assess",
      "Assess one isolated distal DVT case (calfdvt/case@1 JSON): anticoagulate or serial imaging, "
      "with reasons, next steps and evidence.");
  cmd->add_option("FILE", opt->input, "Case JSON file, or - for standard input");
  cmd->add_option("--profile", opt->knowledge.profile,
                  "Knowledge profile: seed001 (default) or chest");
  cmd->add_option("--knowledge", opt->knowledge.file,
                  "Knowledge file (default: the embedded knowledge/distal-dvt.json)");
  cmd->add_option("--format", opt->format, "Output: text (for people) or json (calfdvt/assessment@1)")
      ->check(CLI::IsMember({"text", "json"}));
  cmd->add_option("--batch", opt->batch,
                  "Assess one case per line of an NDJSON file (- for stdin) into one assessment per "
                  "line; bad lines give an error record and the batch goes on (exit 2 if any)");
  cmd->add_option("--fhir", opt->fhir,
                  "Assess a FHIR R4 Bundle (- for stdin) mapped onto the case (docs/fhir.md); what "
                  "cannot be mapped stays unknown and is listed");
  cmd->add_option("--as-of", opt->as_of, "With --fhir: the assessment date YYYY-MM-DD (default: today, UTC)");
  cmd->add_option("--fhir-map", opt->fhir_map,
                  "With --fhir: a code map file (default: the embedded knowledge/fhir-map.json)");
  cmd->add_option("--fhir-out", opt->fhir_out,
                  "Also write the FHIR proposals (ServiceRequest, MedicationRequest, DetectedIssue) "
                  "as a Bundle to this file");
  cmd->callback([opt, exit_code] {
    AssessOptions o = *opt;
    if (!o.batch.empty() && o.format == "text") o.format = "json";
    *exit_code = RunAssess(o);
  });
}

}  // namespace calfdvt::cli
