// `calfdvt scan DIR [--as-of DATE] [--threads N] --out REPORT.json [--csv FILE]`: care gaps over a
// FHIR Bulk Data export (docs/scan.md). Exit 0 when the scan completed, also when some lines were
// malformed (they are listed in the report and on stderr); 2 for usage errors (missing directory,
// bad manifest, bad date or thread count); 1 for a read or write failure.
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <memory>
#include <thread>

#include "cli/common.h"
#include "cli/scan_cmd.h"
#include "cli/scan_engine.h"
#include "fhir/code_map.h"
#include "fhir/record.h"
#include "population/report.h"

namespace calfdvt::cli {
namespace {

struct ScanArgs {
  std::string dir, as_of, out, csv, fhir_map;
  KnowledgeChoice knowledge;
  int threads = -1;  // -1: not given (all cores)
  int chunk_kb = 4096;
  bool no_progress = false;
  bool timings = false;
};

core::Date TodayUtc() {
  const std::time_t now = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&now, &tm);
  return core::Date::FromCivil(tm.tm_year + 1900, static_cast<unsigned>(tm.tm_mon + 1),
                               static_cast<unsigned>(tm.tm_mday));
}

bool WriteOutput(const std::string& path, const std::string& bytes) {
  FILE* f = path == "-" ? stdout : std::fopen(path.c_str(), "wb");
  if (!f) return false;
  bool ok = std::fwrite(bytes.data(), 1, bytes.size(), f) == bytes.size();
  ok = (path == "-" ? std::fflush(f) : std::fclose(f)) == 0 && ok;
  return ok;
}

int RunScanCommand(const ScanArgs& a) {
  ScanOptions o;
  o.dir = a.dir;
  if (a.as_of.empty()) {
    o.as_of = TodayUtc();
  } else if (auto d = core::Date::Parse(a.as_of)) {
    o.as_of = *d;
  } else {
    std::fprintf(stderr, "error: --as-of: expected a date YYYY-MM-DD, got \"%s\"\n", a.as_of.c_str());
    return kExitInvalid;
  }
  o.threads = a.threads == -1 ? static_cast<int>(std::max(1u, std::thread::hardware_concurrency())) : a.threads;
  if (o.threads < 1 || o.threads > 256) {
    std::fprintf(stderr, "error: --threads: must be between 1 and 256\n");
    return kExitInvalid;
  }
  if (a.chunk_kb < 16 || a.chunk_kb > 1 << 20) {
    std::fprintf(stderr, "error: --chunk-kb: must be between 16 and 1048576\n");
    return kExitInvalid;
  }
  o.chunk_bytes = static_cast<uint64_t>(a.chunk_kb) << 10;
  o.progress = !a.no_progress && ::isatty(STDERR_FILENO);
  LoadedKnowledge lk;
  if (auto code = LoadKnowledgeOrExit(a.knowledge, lk)) return *code;
  std::shared_ptr<const fhir::CodeMap> custom;
  if (!a.fhir_map.empty()) {
    auto bytes = ReadFile(a.fhir_map);
    if (!bytes.ok()) {
      PrintErrors(bytes.errors(), "error: ");
      return kExitInvalid;
    }
    auto m = fhir::LoadCodeMap(*bytes);
    if (!m.ok()) {
      PrintErrors(m.errors(), a.fhir_map + ": ");
      return ExitFor(m.kind());
    }
    custom = *m;
  }
  const fhir::CodeMap& codes = custom ? *custom : fhir::DefaultCodeMap();
  ScanTimings t;
  const auto start = std::chrono::steady_clock::now();
  auto report = RunScan(o, lk.knowledge, *lk.profile, codes, &t);
  if (!report.ok()) {
    PrintErrors(report.errors(), "error: ");
    return ExitFor(report.kind());
  }
  const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  const population::ScanReport& r = *report;
  if (!WriteOutput(a.out, population::ScanReportJson(r))) {
    std::fprintf(stderr, "error: cannot write %s\n", a.out.c_str());
    return kExitInternal;
  }
  if (!a.csv.empty() && !WriteOutput(a.csv, population::ScanCsv(r))) {
    std::fprintf(stderr, "error: cannot write %s\n", a.csv.c_str());
    return kExitInternal;
  }
  // Errors name file and line only: never patient data on stderr.
  constexpr size_t kShown = 20;
  for (size_t i = 0; i < r.errors.size() && i < kShown; ++i)
    std::fprintf(stderr, "%s:%lld: %s\n", r.errors[i].file.c_str(), static_cast<long long>(r.errors[i].line),
                 r.errors[i].message.c_str());
  if (r.errors_total > static_cast<int64_t>(kShown))
    std::fprintf(stderr, "... and %lld more (see \"errors\" in %s)\n",
                 static_cast<long long>(r.errors_total - static_cast<int64_t>(kShown)), a.out.c_str());
  std::fprintf(stderr,
               "scan: %lld patients, %lld candidates, %lld with distal DVT, %lld with gaps; %lld "
               "bad line%s (scan completed); %.1f MB in %.2f s (%.1f MB/s, %d thread%s)\n",
               static_cast<long long>(r.counts.patients_scanned), static_cast<long long>(r.counts.candidates),
               static_cast<long long>(r.counts.with_distal_dvt), static_cast<long long>(r.counts.gap_patients),
               static_cast<long long>(r.errors_total), r.errors_total == 1 ? "" : "s", t.export_bytes / 1e6,
               secs, secs > 0 ? t.export_bytes / 1e6 / secs : 0.0, o.threads, o.threads == 1 ? "" : "s");
  if (a.timings)
    std::fprintf(stderr,
                 "timings (wall / cpu s): discover %.3f / %.3f, pass 1 %.3f / %.3f, pass 2 %.3f / %.3f, "
                 "map+assess %.3f / %.3f; read %.1f MB\n",
                 t.discover_s, t.discover_cpu, t.pass1_s, t.pass1_cpu, t.pass2_s, t.pass2_cpu, t.map_s,
                 t.map_cpu, t.bytes_read / 1e6);
  return kExitOk;
}

}  // namespace

void AddScanCommand(CLI::App& app, int* exit_code) {
  auto a = std::make_shared<ScanArgs>();
  CLI::App* cmd = app.add_subcommand("scan", "Care gaps over a FHIR Bulk Data export (NDJSON)");
  cmd->add_option("DIR", a->dir, "Export directory (manifest.json optional)")->required();
  cmd->add_option("--as-of", a->as_of, "Assessment date YYYY-MM-DD (default: today, UTC)");
  cmd->add_option("--threads", a->threads, "Worker threads (default: all cores)");
  cmd->add_option("--out", a->out, "Report file (calfdvt/scan-report@1 JSON; - for stdout)")->required();
  cmd->add_option("--csv", a->csv, "Also write the per-patient rows as CSV");
  cmd->add_option("--knowledge", a->knowledge.file, "Knowledge file (default: embedded)");
  cmd->add_option("--profile", a->knowledge.profile, "Knowledge profile (default: the file's default)");
  cmd->add_option("--fhir-map", a->fhir_map, "FHIR code map (default: embedded knowledge/fhir-map.json)");
  cmd->add_option("--chunk-kb", a->chunk_kb, "Bytes per work item, in KiB (default 4096; memory in flight is about threads x this)");
  cmd->add_flag("--no-progress", a->no_progress, "Never draw the progress bar");
  cmd->add_flag("--timings", a->timings, "Print the time spent in each pass on stderr");
  cmd->callback([a, exit_code] { *exit_code = RunScanCommand(*a); });
}

}  // namespace calfdvt::cli
