// Shared plumbing of the calfdvt command: exit codes, file reading, knowledge selection, error
// printing. Side effects (files, stdout/stderr) live here and in the verbs, never in the domain.
#pragma once

#include <cstdio>
#include <optional>
#include <string>

#include "core/status.h"
#include "pathway/knowledge.h"

namespace calfdvt::cli {

enum ExitCode : int { kExitOk = 0, kExitInternal = 1, kExitInvalid = 2 };

// Reads a whole file ("-" is standard input). Errors name the file.
core::Result<std::string> ReadFile(const std::string& path);

// Prints every error as "<prefix>path: message (rule)" on stderr.
void PrintErrors(const core::Errors& errors, const std::string& prefix);

// Exit code for a failed result.
int ExitFor(core::ErrorKind kind);

struct KnowledgeChoice {
  std::string file;     // empty: the embedded default
  std::string profile;  // empty: the file's default profile
};

struct LoadedKnowledge {
  pathway::Knowledge knowledge;
  const pathway::ProfileDef* profile = nullptr;
};

// Loads the chosen knowledge file and resolves the profile; on failure prints the errors and
// returns the exit code.
std::optional<int> LoadKnowledgeOrExit(const KnowledgeChoice& choice, LoadedKnowledge& out);

}  // namespace calfdvt::cli
