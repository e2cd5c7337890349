#pragma once

#include <CLI/CLI.hpp>

namespace calfdvt::cli {

// Registers `calfdvt assess`; sets *exit_code when it runs.
void AddAssessCommand(CLI::App& app, int* exit_code);
void AddKnowledgeCommand(CLI::App& app, int* exit_code);
void AddServeCommand(CLI::App& app, int* exit_code);
void AddProcedureCommand(CLI::App& app, int* exit_code);

}  // namespace calfdvt::cli
