// Internal to formats: strict reading of JSON documents on top of simdjson's DOM. Every accessor
// reports problems as core::Error values naming the JSON path and the rule broken, and collects
// all of them rather than stopping at the first. `null` is read as "absent" (unknown).
#pragma once

#include <simdjson.h>

#include <array>
#include <cstring>
#include <initializer_list>
#include <new>
#include <optional>
#include <string>
#include <string_view>

#include "core/date.h"
#include "core/enum_names.h"
#include "core/status.h"

namespace calfdvt::formats::internal {

using simdjson::dom::element;

// Joins a parent path and a key: ("", "as_of") -> "as_of", ("imaging", "date") -> "imaging.date".
std::string JoinPath(std::string_view parent, std::string_view key);
std::string IndexPath(std::string_view parent, size_t index);

// Error for a simdjson failure on the whole document.
core::Error ParseError(simdjson::error_code code);

// Name of a JSON type for messages ("a number", "a string", ...).
std::string_view TypeName(element e);

template <class T>
inline T LoadUnaligned(const char* p) {
  T v;
  std::memcpy(&v, p, sizeof(T));
  return v;
}

// Key equality: lengths first (most candidates differ there), then whole words, the last one
// overlapping the one before, so a key of any length costs a few loads and no call.
inline bool SameKey(std::string_view a, std::string_view b) {
  const size_t n = a.size();
  if (n != b.size()) return false;
  const char* p = a.data();
  const char* q = b.data();
  if (n >= 8) {
    for (size_t i = 0; i + 8 < n; i += 8)
      if (LoadUnaligned<uint64_t>(p + i) != LoadUnaligned<uint64_t>(q + i)) return false;
    return LoadUnaligned<uint64_t>(p + n - 8) == LoadUnaligned<uint64_t>(q + n - 8);
  }
  if (n >= 4)
    return LoadUnaligned<uint32_t>(p) == LoadUnaligned<uint32_t>(q) &&
           LoadUnaligned<uint32_t>(p + n - 4) == LoadUnaligned<uint32_t>(q + n - 4);
  for (size_t i = 0; i < n; ++i)
    if (p[i] != q[i]) return false;
  return true;
}

// A JSON object read against a closed list of allowed keys. Duplicate keys make the document
// malformed (rule "duplicate_key"); keys outside the list are errors (rule "unknown_field").
class Obj {
 public:
  Obj(element e, std::string path, std::initializer_list<std::string_view> allowed,
      core::Errors& errors);

  bool valid() const { return valid_; }
  const std::string& path() const { return path_; }
  std::string PathOf(std::string_view key) const { return JoinPath(path_, key); }

  // The value of `key`, or nullopt when absent or null.
  std::optional<element> Find(std::string_view key) const {
    const element* v;
    if (IsNext(key, v)) return v && !v->is_null() ? std::optional<element>(*v) : std::nullopt;
    return FindSlow(key);
  }
  // Like Find, and an error (rule "required") when absent or null.
  std::optional<element> Require(std::string_view key) const;

  // Typed values; nullopt when absent or null, and an error (rule "type") when of another type.
  // The inline parts serve a well-typed value of the key read next; the rest is out of line.
  std::optional<bool> Bool(std::string_view key) const {
    const element* v;
    bool b;
    if (IsNext(key, v) && (!v || v->is_null())) return std::nullopt;
    if (v && v->get(b) == simdjson::SUCCESS) return b;
    return BoolSlow(key);
  }
  std::optional<double> Number(std::string_view key) const {
    const element* v;
    double d;
    if (IsNext(key, v) && (!v || v->is_null())) return std::nullopt;
    if (v && v->is_number() && v->get(d) == simdjson::SUCCESS) return d;
    return NumberSlow(key);
  }
  std::optional<std::string_view> String(std::string_view key) const {
    const element* v;
    std::string_view s;
    if (IsNext(key, v) && (!v || v->is_null())) return std::nullopt;
    if (v && v->get(s) == simdjson::SUCCESS) return s;
    return StringSlow(key);
  }
  std::optional<core::Date> Date(std::string_view key) const;
  template <class E, size_t N>
  std::optional<E> Enum(std::string_view key, const core::EnumNames<E, N>& names) const {
    auto s = String(key);
    if (!s) return std::nullopt;
    if (auto v = names.Parse(*s)) return v;
    Fail(PathOf(key), "enum", "must be one of " + names.Choices() + " (got \"" + std::string(*s) + "\")");
    return std::nullopt;
  }

  // Adds an error at `path`.
  void Fail(std::string path, std::string rule, std::string message) const;
  core::Errors& errors() const { return errors_; }

 private:
  // The object is read once, in the constructor: each allowed key's value lands in its slot, so
  // Find is a lookup in the (short) allowed list, not a walk of the JSON object.
  static constexpr size_t kMaxSlots = 64;
  int SlotOf(std::string_view key) const;
  // Whether `key` is the allowed key after the last one looked up (readers ask in list order),
  // compared inline so that a literal key costs a constant-size compare. When it is, `v` is its
  // value (nullptr when absent) and the lookup moves on; otherwise `v` is nullptr.
  bool IsNext(std::string_view key, const element*& v) const {
    v = nullptr;
    if (find_hint_ >= allowed_count_) return false;  // also when not valid_ or not slotted_
    const KeyRef& a = allowed_[find_hint_];
    if (!SameKey({a.ptr, a.len}, key)) return false;
    const size_t slot = find_hint_++;
    if (present_ & (uint64_t{1} << slot)) v = &Value(slot);
    return true;
  }
  std::optional<element> FindSlow(std::string_view key) const;
  std::optional<bool> BoolSlow(std::string_view key) const;
  std::optional<double> NumberSlow(std::string_view key) const;
  std::optional<std::string_view> StringSlow(std::string_view key) const;

  simdjson::dom::object obj_;
  std::string path_;
  core::Errors& errors_;
  bool valid_ = false;
  bool slotted_ = false;  // false: more than kMaxSlots allowed keys; Find walks obj_
  uint64_t present_ = 0;  // bit i: allowed key i is in the object
  size_t allowed_count_ = 0;
  mutable size_t find_hint_ = 0;  // slot after the last one Find returned (a guess, never wrong)
  // Plain (trivially default-constructible) so an Obj does not zero-fill 64 entries it won't use.
  struct KeyRef {
    const char* ptr;
    size_t len;
    const char* data() const { return ptr; }
    size_t size() const { return len; }
  };
  KeyRef allowed_[kMaxSlots];
  // Values by slot; only slots whose present_ bit is set were constructed (element is trivially
  // destructible), so an Obj does not zero-fill 64 elements it will never read.
  alignas(element) unsigned char values_[kMaxSlots * sizeof(element)];
  const element& Value(size_t slot) const {
    return *std::launder(reinterpret_cast<const element*>(values_ + slot * sizeof(element)));
  }
};

// Field helpers shared by the strict loaders (knowledge files, procedure knowledge).
// A required, non-empty string (rules "required", "type", "empty").
std::optional<std::string> RequiredString(const Obj& o, std::string_view key);
// An optional string that must not be empty when present.
std::optional<std::string> NonEmptyString(const Obj& o, std::string_view key);
std::optional<double> RequiredNumber(const Obj& o, std::string_view key);
// A required whole number in [min, 1000000] (rule "range").
std::optional<int> RequiredInt(const Obj& o, std::string_view key, int min);
std::optional<bool> RequiredBool(const Obj& o, std::string_view key);

// Provenance tags of clinical-spec §1, the same in every knowledge file. Reports rule "enum" at
// `key` when `tag` is not one of them (an empty tag is left to the required-field check).
void CheckProvenanceTag(const Obj& o, std::string_view key, std::string_view tag);

// Typed reads of a bare element at `path` (for array items).
std::optional<std::string_view> ReadString(element e, const std::string& path, core::Errors& errors);
std::optional<double> ReadNumber(element e, const std::string& path, core::Errors& errors);
std::optional<bool> ReadBool(element e, const std::string& path, core::Errors& errors);
std::optional<core::Date> ReadDate(element e, const std::string& path, core::Errors& errors);
// An array (errors and nullopt otherwise).
std::optional<simdjson::dom::array> ReadArray(element e, const std::string& path, core::Errors& errors);

}  // namespace calfdvt::formats::internal

namespace calfdvt::pathway {
struct Thrombus;
}

namespace calfdvt::formats::internal {
// Defined in case_json.cc: one thrombus object with the case format's rules.
std::optional<pathway::Thrombus> ReadThrombus(element e, const std::string& path, core::Errors& errors);
}  // namespace calfdvt::formats::internal
