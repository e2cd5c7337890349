// The short "%g" form of a number (at most 6 significant digits, no trailing zeros: 5.1, 7, 0.25,
// 1.5e+06) used in messages, trace lines and readable reports. JSON output uses JsonWriter::Number
// (shortest round-trip form) instead.
#pragma once

#include <cstdio>
#include <string>

namespace calfdvt::core {

inline std::string ShortNumber(double v) {
  char buf[32];
  const int n = std::snprintf(buf, sizeof buf, "%g", v);
  return std::string(buf, n > 0 ? static_cast<size_t>(n) : 0);
}

}  // namespace calfdvt::core
