#include "core/status.h"

namespace calfdvt::core {

std::string FormatError(const Error& e) {
  if (e.path.empty()) return e.message;
  return e.path + ": " + e.message;
}

}  // namespace calfdvt::core
