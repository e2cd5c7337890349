// String <-> enum tables for vocabularies that cross the wire. Enumerators must be the dense
// values 0..N-1 in the order of the names; the names are the persisted spelling.
#pragma once

#include <array>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace calfdvt::core {

template <class E, size_t N>
struct EnumNames {
  std::array<std::string_view, N> names;

  constexpr std::string_view Name(E e) const { return names[static_cast<size_t>(e)]; }
  constexpr std::optional<E> Parse(std::string_view s) const {
    for (size_t i = 0; i < N; ++i)
      if (names[i] == s) return static_cast<E>(i);
    return std::nullopt;
  }
  // "a | b | c", for error messages.
  std::string Choices() const {
    std::string out;
    for (size_t i = 0; i < N; ++i) {
      if (i) out += " | ";
      out += names[i];
    }
    return out;
  }
  static constexpr size_t size() { return N; }
};

}  // namespace calfdvt::core
