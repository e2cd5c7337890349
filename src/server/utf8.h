// UTF-8 well-formedness for text that reaches the API without passing a JSON parser: percent-
// decoded query and path parameters, token labels from the command line. Such bytes must neither
// reach the store (PostgreSQL rejects them: a 500) nor be echoed into JSON answers (RFC 8259
// requires UTF-8).
#pragma once

#include <cstddef>
#include <string_view>

namespace calfdvt::server {

// Whether `s` is well-formed UTF-8 (RFC 3629: no overlong forms, surrogates, or code points above
// U+10FFFF, no truncated sequences).
inline bool ValidUtf8(std::string_view s) {
  size_t i = 0;
  while (i < s.size()) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c < 0x80) {
      ++i;
      continue;
    }
    size_t n = 0;                        // continuation bytes
    unsigned char lo = 0x80, hi = 0xbf;  // bounds of the first continuation byte
    if (c >= 0xc2 && c <= 0xdf) {
      n = 1;
    } else if (c >= 0xe0 && c <= 0xef) {
      n = 2;
      if (c == 0xe0) lo = 0xa0;
      if (c == 0xed) hi = 0x9f;
    } else if (c >= 0xf0 && c <= 0xf4) {
      n = 3;
      if (c == 0xf0) lo = 0x90;
      if (c == 0xf4) hi = 0x8f;
    } else {
      return false;
    }
    if (i + n >= s.size()) return false;
    for (size_t k = 1; k <= n; ++k) {
      const auto b = static_cast<unsigned char>(s[i + k]);
      if (k == 1 ? (b < lo || b > hi) : (b < 0x80 || b > 0xbf)) return false;
    }
    i += n + 1;
  }
  return true;
}

}  // namespace calfdvt::server
