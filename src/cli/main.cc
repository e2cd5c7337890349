// The calfdvt command. Exit codes: 0 success, 2 invalid input or usage, 1 internal error.
#include <CLI/CLI.hpp>
#include <cstdio>

#include "cli/assess_cmd.h"
#include "cli/common.h"
#include "cli/scan_cmd.h"

#ifndef CALFDVT_VERSION
#define CALFDVT_VERSION "0.0.0"
#endif

int main(int argc, char** argv) {
  CLI::App app{
      "calfdvt: clinical decision support for isolated distal (calf) deep vein thrombosis.\n"
      "Decision support, not a decision: every output shows its rules, sources and knowledge version."};
  app.set_version_flag("--version", std::string("calfdvt ") + CALFDVT_VERSION);
  app.require_subcommand(1);
  int exit_code = calfdvt::cli::kExitOk;
  calfdvt::cli::AddAssessCommand(app, &exit_code);
  calfdvt::cli::AddKnowledgeCommand(app, &exit_code);
  calfdvt::cli::AddServeCommand(app, &exit_code);
  calfdvt::cli::AddProcedureCommand(app, &exit_code);
  calfdvt::cli::AddScanCommand(app, &exit_code);
  calfdvt::cli::AddSynthCommand(app, &exit_code);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int code = app.exit(e);
    return code == 0 ? calfdvt::cli::kExitOk : calfdvt::cli::kExitInvalid;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "internal error: %s\n", e.what());
    return calfdvt::cli::kExitInternal;
  }
  return exit_code;
}
