// `calfdvt synth --patients N --seed S --out DIR`: writes a synthetic FHIR Bulk Data export with
// known care gaps (population/synth.h), its manifest and DIR/expected-gaps.json (the ground truth).
#include <CLI/CLI.hpp>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <memory>

#include "cli/common.h"
#include "cli/scan_cmd.h"
#include "population/synth.h"

namespace calfdvt::cli {
namespace {

namespace fs = std::filesystem;

struct SynthArgs {
  population::SynthOptions o;
  std::string out;
  std::string as_of;
  bool no_manifest = false;
};

bool WriteWhole(const fs::path& p, const std::string& bytes) {
  FILE* f = std::fopen(p.c_str(), "wb");
  if (!f) return false;
  const bool ok = std::fwrite(bytes.data(), 1, bytes.size(), f) == bytes.size();
  return std::fclose(f) == 0 && ok;
}

int RunSynth(SynthArgs a) {
  if (!a.as_of.empty()) {
    auto d = core::Date::Parse(a.as_of);
    if (!d) {
      std::fprintf(stderr, "error: --as-of: expected a date YYYY-MM-DD, got \"%s\"\n", a.as_of.c_str());
      return kExitInvalid;
    }
    a.o.as_of = *d;
  }
  if (auto st = population::ValidateSynthOptions(a.o); !st.ok()) {
    PrintErrors(st.errors(), "error: ");
    return kExitInvalid;
  }
  std::error_code ec;
  const fs::path dir(a.out);
  if (fs::exists(dir, ec) && !fs::is_empty(dir, ec)) {
    std::fprintf(stderr, "error: --out: %s exists and is not empty\n", a.out.c_str());
    return kExitInvalid;
  }
  fs::create_directories(dir, ec);
  if (ec) {
    std::fprintf(stderr, "error: --out: cannot create %s: %s\n", a.out.c_str(), ec.message().c_str());
    return kExitInvalid;
  }
  population::Synthesizer synth(a.o);
  const auto& files = synth.files();
  std::vector<FILE*> handles;
  std::vector<std::string> buffers(files.size());
  std::vector<int64_t> counts(files.size(), 0);
  for (const auto& f : files) {
    FILE* h = std::fopen((dir / f.name).c_str(), "wb");
    if (!h) {
      std::fprintf(stderr, "error: cannot write %s: %s\n", (dir / f.name).c_str(), std::strerror(errno));
      for (FILE* x : handles) std::fclose(x);
      return kExitInternal;
    }
    handles.push_back(h);
  }
  bool io_ok = true;
  constexpr size_t kFlush = 1 << 20;
  auto flush = [&](size_t i) {
    if (!buffers[i].empty() && std::fwrite(buffers[i].data(), 1, buffers[i].size(), handles[i]) != buffers[i].size())
      io_ok = false;
    buffers[i].clear();
  };
  const population::SynthTruth truth = synth.Run([&](size_t file, std::string_view line) {
    buffers[file].append(line);
    buffers[file].push_back('\n');
    ++counts[file];
    if (buffers[file].size() >= kFlush) flush(file);
  });
  for (size_t i = 0; i < files.size(); ++i) {
    flush(i);
    if (std::fclose(handles[i]) != 0) io_ok = false;
  }
  if (!a.no_manifest)
    io_ok &= WriteWhole(dir / "manifest.json",
                        population::BulkManifestJson(files, counts, "https://bulk.example.org/export/synth",
                                                     a.o.as_of.ToString() + "T00:00:00Z"));
  io_ok &= WriteWhole(dir / "expected-gaps.json", population::SynthTruthJson(truth));
  if (!io_ok) {
    std::fprintf(stderr, "error: writing %s failed: %s\n", a.out.c_str(), std::strerror(errno));
    return kExitInternal;
  }
  uint64_t bytes = 0;
  for (const auto& f : files) bytes += fs::file_size(dir / f.name, ec);
  std::fprintf(stderr, "synth: %lld patients, %zu files, %.1f MB, %zu DVT patients, %zu malformed lines -> %s\n",
               static_cast<long long>(truth.patients), files.size(), bytes / 1e6, truth.dvt_patients.size(),
               truth.malformed.size(), a.out.c_str());
  return kExitOk;
}

}  // namespace

void AddSynthCommand(CLI::App& app, int* exit_code) {
  auto a = std::make_shared<SynthArgs>();
  CLI::App* cmd = app.add_subcommand(
      "synth", "Write a synthetic FHIR Bulk Data export with known care gaps (fictional data)");
  cmd->add_option("--patients", a->o.patients, "Number of patients (>= 1)")->required();
  cmd->add_option("--seed", a->o.seed, "Random seed; the same seed gives the same export")->required();
  cmd->add_option("--out", a->out, "Output directory (created; must be empty)")->required();
  cmd->add_option("--as-of", a->as_of, "Date the care gaps are planted against (default 2026-11-21)");
  cmd->add_option("--files-per-type", a->o.files_per_type, "NDJSON files per resource type (1-64, default 1)");
  cmd->add_option("--malformed", a->o.malformed_lines, "Truncated lines to insert into Observation files (default 0)");
  cmd->add_flag("--no-manifest", a->no_manifest, "Do not write manifest.json");
  cmd->callback([a, exit_code] { *exit_code = RunSynth(*a); });
}

}  // namespace calfdvt::cli
