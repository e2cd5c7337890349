// `calfdvt procedure add FILE` and `calfdvt registry report`: calf-squeeze procedures
// (clinical-spec §7, docs/thrombectomy.md) stored through the same store as `serve`.
#include <cstdio>
#include <memory>
#include <tuple>

#include "cli/assess_cmd.h"
#include "cli/common.h"
#include "formats/procedure_json.h"
#include "formats/thrombectomy_knowledge_json.h"
#include "server/clock.h"
#include "server/procedure_service.h"
#include "store/store.h"
#include "thrombectomy/registry.h"

namespace calfdvt::cli {
namespace {

struct RegistryOptions {
  std::string db = "sqlite:calfdvt.db";
  std::string input;  // NDJSON file instead of the store
  std::string format = "text";
  std::string from;
  std::string to;
  std::string operator_name;
};

std::optional<int> LoadThrombectomyKnowledgeOrExit(thrombectomy::ThrombectomyKnowledge& out) {
  auto k = formats::LoadEmbeddedThrombectomyKnowledge();
  if (!k.ok()) {
    PrintErrors(k.errors(), "internal: calf-squeeze knowledge: ");
    return kExitInternal;
  }
  out = std::move(k).value();
  return std::nullopt;
}

int ProcedureAdd(const std::string& file, const std::string& db) {
  thrombectomy::ThrombectomyKnowledge k;
  if (auto code = LoadThrombectomyKnowledgeOrExit(k)) return *code;
  auto text = ReadFile(file);
  if (!text.ok()) {
    PrintErrors(text.errors(), "error: ");
    return ExitFor(text.kind());
  }
  // Validate before opening the store so that an invalid record never creates a database.
  if (auto p = formats::ParseProcedure(*text); !p.ok()) {
    PrintErrors(p.errors(), "error: " + file + ": ");
    return ExitFor(p.kind());
  }
  auto store = store::OpenStore(db);
  if (!store.ok()) {
    PrintErrors(store.errors(), "error: --db: ");
    return ExitFor(store.kind());
  }
  server::ProcedureService svc(server::ProcedureServiceContext{
      store->get(), &k, &server::SystemClock(), &server::SystemRandom()});
  auto created = svc.Create(*text, "cli");
  if (!created.ok()) {
    PrintErrors(created.errors(), "error: " + file + ": ");
    return ExitFor(created.kind());
  }
  std::printf("procedure %s stored\n%s", created->id.c_str(),
              server::ProcedureText(created->procedure, k).c_str());
  return kExitOk;
}

int RegistryReport(const RegistryOptions& opt) {
  server::RegistryFormat format = server::RegistryFormat::kText;
  if (opt.format == "text") {
    format = server::RegistryFormat::kText;
  } else if (opt.format == "json") {
    format = server::RegistryFormat::kJson;
  } else if (opt.format == "csv") {
    format = server::RegistryFormat::kCsv;
  } else {
    std::fprintf(stderr, "error: --format: must be text | json | csv\n");
    return kExitInvalid;
  }
  thrombectomy::RegistryFilter filter;
  for (auto [flag, text, field] :
       {std::tuple{"--from", &opt.from, &filter.from}, std::tuple{"--to", &opt.to, &filter.to}}) {
    if (text->empty()) continue;
    auto d = core::Date::Parse(*text);
    if (!d) {
      std::fprintf(stderr, "error: %s: must be a calendar date YYYY-MM-DD\n", flag);
      return kExitInvalid;
    }
    *field = *d;
  }
  if (!opt.operator_name.empty()) filter.operator_name = opt.operator_name;
  if (auto v = thrombectomy::ValidateFilter(filter); !v.ok()) {
    PrintErrors(v.errors(), "error: ");
    return kExitInvalid;
  }
  thrombectomy::ThrombectomyKnowledge k;
  if (auto code = LoadThrombectomyKnowledgeOrExit(k)) return *code;
  std::string out;
  if (!opt.input.empty()) {
    auto text = ReadFile(opt.input);
    if (!text.ok()) {
      PrintErrors(text.errors(), "error: ");
      return ExitFor(text.kind());
    }
    auto records = formats::ParseProcedureLines(*text);
    if (!records.ok()) {
      PrintErrors(records.errors(), "error: " + opt.input + ": ");
      return ExitFor(records.kind());
    }
    auto report = thrombectomy::Registry(*records, filter, k);
    if (!report.ok()) {
      PrintErrors(report.errors(), "error: ");
      return ExitFor(report.kind());
    }
    out = server::RenderRegistry(*report, format);
  } else {
    auto store = store::OpenStore(opt.db);
    if (!store.ok()) {
      PrintErrors(store.errors(), "error: --db: ");
      return ExitFor(store.kind());
    }
    server::ProcedureService svc(server::ProcedureServiceContext{
        store->get(), &k, &server::SystemClock(), &server::SystemRandom()});
    auto r = svc.Registry(filter, format);
    if (!r.ok()) {
      PrintErrors(r.errors(), "error: ");
      return ExitFor(r.kind());
    }
    out = std::move(r).value();
  }
  std::fwrite(out.data(), 1, out.size(), stdout);
  if (format == server::RegistryFormat::kJson) std::fputc('\n', stdout);
  return kExitOk;
}

}  // namespace

void AddProcedureCommand(CLI::App& app, int* exit_code) {
  auto file = std::make_shared<std::string>();
  auto db = std::make_shared<std::string>("sqlite:calfdvt.db");
  CLI::App* procedure = app.add_subcommand("procedure", "Calf-squeeze procedure records");
  procedure->require_subcommand(1);
  CLI::App* add = procedure->add_subcommand(
      "add", "Validate and store a calfdvt/procedure@1 record; prints its outcomes and checks");
  add->add_option("FILE", *file, "Procedure record (JSON; - for standard input)")->required();
  add->add_option("--db", *db,
                  "Store: sqlite:PATH (default sqlite:calfdvt.db) or postgresql://...");
  add->callback([file, db, exit_code] { *exit_code = ProcedureAdd(*file, *db); });

  auto opt = std::make_shared<RegistryOptions>();
  CLI::App* registry = app.add_subcommand("registry", "Calf-squeeze outcome registry");
  registry->require_subcommand(1);
  CLI::App* report = registry->add_subcommand(
      "report", "Registry statistics beside the published series (text, JSON or CSV)");
  report->add_option("--db", opt->db, "Store (as for serve; default sqlite:calfdvt.db)");
  report->add_option("--input", opt->input,
                     "Read procedures from an NDJSON file instead of the store");
  report->add_option("--format", opt->format, "text | json | csv (default text)");
  report->add_option("--from", opt->from, "Procedures on or after DATE (YYYY-MM-DD)");
  report->add_option("--to", opt->to, "Procedures on or before DATE (YYYY-MM-DD)");
  report->add_option("--operator", opt->operator_name, "Procedures by this operator only");
  report->callback([opt, exit_code] { *exit_code = RegistryReport(*opt); });
}

}  // namespace calfdvt::cli
