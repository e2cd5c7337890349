#include "store/worklist_cursor.h"

#include <array>
#include <charconv>
#include <cstdint>
#include <optional>

namespace calfdvt::store {
namespace {

constexpr std::string_view kAlphabet =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
constexpr std::string_view kPrefix = "w1|";
constexpr size_t kMaxCursorChars = 1024;

std::string Base64UrlEncode(std::string_view in) {
  std::string out;
  out.reserve((in.size() * 4 + 2) / 3);
  size_t i = 0;
  for (; i + 3 <= in.size(); i += 3) {
    const uint32_t v = (uint32_t{static_cast<uint8_t>(in[i])} << 16) |
                       (uint32_t{static_cast<uint8_t>(in[i + 1])} << 8) |
                       uint32_t{static_cast<uint8_t>(in[i + 2])};
    out += kAlphabet[(v >> 18) & 63];
    out += kAlphabet[(v >> 12) & 63];
    out += kAlphabet[(v >> 6) & 63];
    out += kAlphabet[v & 63];
  }
  const size_t rest = in.size() - i;
  if (rest > 0) {
    uint32_t v = uint32_t{static_cast<uint8_t>(in[i])} << 16;
    if (rest == 2) v |= uint32_t{static_cast<uint8_t>(in[i + 1])} << 8;
    out += kAlphabet[(v >> 18) & 63];
    out += kAlphabet[(v >> 12) & 63];
    if (rest == 2) out += kAlphabet[(v >> 6) & 63];
  }
  return out;
}

std::optional<std::string> Base64UrlDecode(std::string_view in) {
  static constexpr std::array<int8_t, 256> kValue = [] {
    std::array<int8_t, 256> t{};
    for (auto& x : t) x = -1;
    for (size_t i = 0; i < kAlphabet.size(); ++i)
      t[static_cast<uint8_t>(kAlphabet[i])] = static_cast<int8_t>(i);
    return t;
  }();
  if (in.size() % 4 == 1) return std::nullopt;
  std::string out;
  uint32_t acc = 0;
  int bits = 0;
  for (char c : in) {
    const int8_t v = kValue[static_cast<uint8_t>(c)];
    if (v < 0) return std::nullopt;
    acc = (acc << 6) | static_cast<uint32_t>(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out += static_cast<char>((acc >> bits) & 0xFF);
    }
  }
  // Canonical form only: leftover bits must be zero.
  if ((acc & ((1u << bits) - 1)) != 0) return std::nullopt;
  return out;
}

bool ParseInt(std::string_view s, int& out) {
  if (s.empty() || s.size() > 9) return false;
  for (char c : s)
    if (c < '0' || c > '9') return false;
  std::from_chars(s.data(), s.data() + s.size(), out);
  return true;
}

core::Result<CursorKey> Malformed() {
  return core::Result<CursorKey>::Invalid(
      "cursor", "cursor", "cursor is not a value returned as next_cursor by a worklist page");
}

}  // namespace

std::string EncodeCursor(const CursorKey& key) {
  std::string raw(kPrefix);
  raw += std::to_string(key.rank);
  raw += '|';
  raw += key.date.ToString();
  raw += '|';
  raw += std::to_string(key.tie);
  raw += '|';
  raw += key.episode_id;
  return Base64UrlEncode(raw);
}

core::Result<CursorKey> DecodeCursor(std::string_view cursor) {
  if (cursor.empty() || cursor.size() > kMaxCursorChars) return Malformed();
  const std::optional<std::string> raw = Base64UrlDecode(cursor);
  if (!raw || raw->compare(0, kPrefix.size(), kPrefix) != 0) return Malformed();
  std::string_view rest = std::string_view(*raw).substr(kPrefix.size());
  std::array<std::string_view, 3> parts;
  for (auto& p : parts) {
    const size_t bar = rest.find('|');
    if (bar == std::string_view::npos) return Malformed();
    p = rest.substr(0, bar);
    rest.remove_prefix(bar + 1);
  }
  CursorKey key;
  const std::optional<core::Date> date = core::Date::Parse(parts[1]);
  if (!ParseInt(parts[0], key.rank) || key.rank > 3 || !date || !ParseInt(parts[2], key.tie) ||
      rest.empty()) {
    return Malformed();
  }
  key.date = *date;
  key.episode_id = std::string(rest);
  return key;
}

}  // namespace calfdvt::store
