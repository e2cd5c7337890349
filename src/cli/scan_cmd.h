// The population verbs (issue 6 §4): `calfdvt scan` and `calfdvt synth`.
#pragma once

#include <CLI/CLI.hpp>

namespace calfdvt::cli {

void AddScanCommand(CLI::App& app, int* exit_code);
void AddSynthCommand(CLI::App& app, int* exit_code);

}  // namespace calfdvt::cli
