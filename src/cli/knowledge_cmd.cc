// `calfdvt knowledge check FILE` and `calfdvt knowledge show`.
#include <cstdio>
#include <memory>

#include "cli/assess_cmd.h"
#include "cli/common.h"
#include "core/json_writer.h"
#include "formats/assessment_json.h"
#include "formats/knowledge_json.h"

namespace calfdvt::cli {
namespace {

namespace pw = calfdvt::pathway;

int Check(const std::string& file) {
  auto bytes = ReadFile(file);
  if (!bytes.ok()) {
    PrintErrors(bytes.errors(), "error: ");
    return kExitInvalid;
  }
  auto k = formats::LoadKnowledge(*bytes);
  if (!k.ok()) {
    std::fprintf(stderr, "%s: invalid knowledge file (%zu error%s)\n", file.c_str(),
                 k.errors().size(), k.errors().size() == 1 ? "" : "s");
    PrintErrors(k.errors(), "  ");
    return kExitInvalid;
  }
  std::string profiles;
  for (const auto& p : k->profiles) profiles += (profiles.empty() ? "" : ", ") + p.id;
  std::printf("%s: ok: %s version %s, profiles %s (default %s), sha256 %s\n", file.c_str(),
              k->id.c_str(), k->version.c_str(), profiles.c_str(), k->default_profile.c_str(),
              k->sha256.c_str());
  return kExitOk;
}

std::string Tags(const pw::Knowledge& k, pw::SourceSet s) {
  std::string out;
  for (size_t i = 0; i < k.sources.size(); ++i)
    if (s & (pw::SourceSet{1} << i)) out += (out.empty() ? "" : ", ") + k.sources[i].id;
  return out;
}

int Show(const KnowledgeChoice& choice, const std::string& format) {
  LoadedKnowledge lk;
  if (auto code = LoadKnowledgeOrExit(choice, lk)) return *code;
  const pw::Knowledge& k = lk.knowledge;
  const pw::ProfileDef& p = *lk.profile;
  if (format == "json") {
    std::string out;
    core::JsonWriter w(out);
    w.BeginObject();
    w.Key("knowledge");
    formats::WriteKnowledgeStamp(w, k, p);
    w.Key("source").String(choice.file.empty() ? "embedded" : choice.file);
    w.Key("profiles").BeginArray();
    for (const auto& pr : k.profiles) w.String(pr.id);
    w.EndArray();
    w.Key("thresholds").BeginObject();
    for (size_t i = 0; i < pw::kFeatureCount; ++i)
      if (k.features[i].threshold) w.Key(pw::kFeatureNames.names[i]).Number(*k.features[i].threshold);
    w.EndObject();
    w.Key("counted_features").BeginArray();
    for (size_t i = 0; i < pw::kFeatureCount; ++i)
      if (p.counted[i]) w.String(pw::kFeatureNames.names[i]);
    w.EndArray();
    w.EndObject();
    std::printf("%s\n", out.c_str());
    return kExitOk;
  }
  std::printf("%s\n", k.title.c_str());
  std::printf("id %s | version %s | sha256 %s | %s\n", k.id.c_str(), k.version.c_str(),
              k.sha256.c_str(), choice.file.empty() ? "embedded knowledge/distal-dvt.json" : choice.file.c_str());
  std::printf("profile %s: %s\n  %s\n", p.id.c_str(), p.label.c_str(), p.description.c_str());
  std::printf("\nRules\n");
  for (const auto& r : k.rules)
    std::printf("  %-3s %s [%s]\n", r.id.c_str(), r.title.c_str(), Tags(k, r.sources).c_str());
  std::printf("\nHigh-risk features (R3) under profile %s\n", p.id.c_str());
  for (size_t i = 0; i < pw::kFeatureCount; ++i) {
    const auto& f = k.features[i];
    std::string thr = f.threshold ? " threshold " + std::to_string(*f.threshold).substr(0, 4) + " " + f.unit : "";
    std::printf("  %-36s %s%s%s [%s]\n", std::string(pw::kFeatureNames.names[i]).c_str(),
                p.counted[i] ? "counted    " : "NOT counted", thr.c_str(),
                f.prompt.empty() ? "" : (" - " + f.prompt).c_str(), Tags(k, f.sources).c_str());
  }
  std::printf("\nBleeding categories (points -> estimated 3-month major bleeding)\n");
  for (size_t i = 0; i < 3; ++i)
    std::printf("  %-9s >= %d points: %.1f%%\n", std::string(pw::kBleedingCategoryNames.names[i]).c_str(),
                k.bleeding.categories[i].min_points, k.bleeding.categories[i].major_bleeding_3mo * 100);
  std::printf("\nSurveillance scans (days after the index duplex)\n");
  for (const auto& s : k.surveillance.scans)
    std::printf("  day %d (window day %d to %d)\n", s.day, s.day - s.window_before_days,
                s.day + s.window_after_days);
  std::printf("\nRegimen: %d months isolated distal, %d months proximal; cancer agent under %s: %s\n",
              k.regimen.isolated_distal_minimum_months, k.regimen.proximal_minimum_months,
              p.id.c_str(), std::string(pw::kAgentNames.Name(p.cancer_agent)).c_str());
  std::printf("\nSources\n");
  for (const auto& s : k.sources)
    std::printf("  %-14s %-12s %s\n", s.id.c_str(), s.tag.c_str(), s.citation.c_str());
  return kExitOk;
}

}  // namespace

void AddKnowledgeCommand(CLI::App& app, int* exit_code) {
  CLI::App* cmd = app.add_subcommand("knowledge", "Check or show a knowledge file");
  cmd->require_subcommand(1);
  auto file = std::make_shared<std::string>();
  CLI::App* check = cmd->add_subcommand("check", "Validate a knowledge file; print its id, version and SHA-256");
  check->add_option("FILE", *file, "Knowledge JSON file")->required();
  check->callback([file, exit_code] { *exit_code = Check(*file); });

  auto choice = std::make_shared<KnowledgeChoice>();
  auto format = std::make_shared<std::string>("text");
  CLI::App* show = cmd->add_subcommand("show", "Show the knowledge in force: version, hash, rules, thresholds, sources");
  show->add_option("--knowledge", choice->file, "Knowledge file (default: embedded)");
  show->add_option("--profile", choice->profile, "Profile (default: the file's default)");
  show->add_option("--format", *format, "text or json")->check(CLI::IsMember({"text", "json"}));
  show->callback([choice, format, exit_code] { *exit_code = Show(*choice, *format); });
}

}  // namespace calfdvt::cli
