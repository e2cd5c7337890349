#include "cli/common.h"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <iostream>
#include <iterator>
#include <sstream>

#include "formats/knowledge_json.h"

namespace calfdvt::cli {

core::Result<std::string> ReadFile(const std::string& path) {
  if (path == "-") {
    std::ostringstream ss;
    ss << std::cin.rdbuf();
    return ss.str();
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return core::Result<std::string>::Invalid(
        "", "file", "cannot read " + path + ": " + std::strerror(errno));
  }
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

void PrintErrors(const core::Errors& errors, const std::string& prefix) {
  for (const auto& e : errors) {
    std::string line = prefix + core::FormatError(e);
    if (!e.rule.empty()) line += " (" + e.rule + ")";
    std::fprintf(stderr, "%s\n", line.c_str());
  }
}

int ExitFor(core::ErrorKind kind) {
  return kind == core::ErrorKind::kInternal ? kExitInternal : kExitInvalid;
}

std::optional<int> LoadKnowledgeOrExit(const KnowledgeChoice& choice, LoadedKnowledge& out) {
  if (choice.file.empty()) {
    auto k = formats::LoadEmbeddedKnowledge();
    if (!k.ok()) {
      PrintErrors(k.errors(), "embedded knowledge: ");
      return ExitFor(k.kind());
    }
    out.knowledge = std::move(k).value();
  } else {
    auto bytes = ReadFile(choice.file);
    if (!bytes.ok()) {
      PrintErrors(bytes.errors(), "error: ");
      return kExitInvalid;
    }
    auto k = formats::LoadKnowledge(*bytes);
    if (!k.ok()) {
      PrintErrors(k.errors(), choice.file + ": ");
      return ExitFor(k.kind());
    }
    out.knowledge = std::move(k).value();
  }
  const std::string profile = choice.profile.empty() ? out.knowledge.default_profile : choice.profile;
  out.profile = out.knowledge.FindProfile(profile);
  if (!out.profile) {
    std::string names;
    for (const auto& p : out.knowledge.profiles) names += (names.empty() ? "" : ", ") + p.id;
    std::fprintf(stderr, "error: --profile: unknown profile \"%s\" (this knowledge file has: %s)\n",
                 profile.c_str(), names.c_str());
    return kExitInvalid;
  }
  return std::nullopt;
}

}  // namespace calfdvt::cli
