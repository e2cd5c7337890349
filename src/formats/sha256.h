// SHA-256 (OpenSSL) of a byte string, as 64 lower-case hex digits.
#pragma once

#include <string>
#include <string_view>

namespace calfdvt::formats {

std::string Sha256Hex(std::string_view bytes);

}  // namespace calfdvt::formats
