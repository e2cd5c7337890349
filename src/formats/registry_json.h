// Rendering a calf-squeeze RegistryReport (thrombectomy/registry.h) as JSON
// (calfdvt/registry-report@1), as a human-readable text table beside the published series, and as
// CSV. All three carry the same numbers; layouts are documented in docs/thrombectomy.md.
// Deterministic output; thread-safe.
#pragma once

#include <string>
#include <string_view>

#include "thrombectomy/registry.h"

namespace calfdvt::formats {

inline constexpr std::string_view kRegistryReportFormat = "calfdvt/registry-report@1";

std::string RegistryJson(const thrombectomy::RegistryReport& r);

// Aligned plain-text tables (UTF-8), ending with a newline: local figures beside the published
// series, with intervals as percentages to one decimal and "no data" where n = 0.
std::string RegistryText(const thrombectomy::RegistryReport& r);

// RFC 4180 CSV with one header row, then one row per figure (tidy, long format). Columns:
// group,item,k,n,unknown,value,exact_low,exact_high,wilson_low,wilson_high,
// published_value,published_low,published_high,overlap
// Empty cells where a column does not apply or there is no data; overlap is yes | no | empty.
inline constexpr std::string_view kRegistryCsvHeader =
    "group,item,k,n,unknown,value,exact_low,exact_high,wilson_low,wilson_high,published_value,"
    "published_low,published_high,overlap";
std::string RegistryCsv(const thrombectomy::RegistryReport& r);

}  // namespace calfdvt::formats
