#include "formats/json_read.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <cstring>
#include <type_traits>
#include <vector>

namespace calfdvt::formats::internal {

std::string JoinPath(std::string_view parent, std::string_view key) {
  std::string out;
  out.reserve(parent.size() + key.size() + 1);
  out.append(parent);
  if (!parent.empty()) out.push_back('.');
  out.append(key);
  return out;
}

std::string IndexPath(std::string_view parent, size_t index) {
  char digits[24];
  const auto end = std::to_chars(digits, digits + sizeof digits, index).ptr;
  std::string out;
  out.reserve(parent.size() + static_cast<size_t>(end - digits) + 2);
  out.append(parent);
  out.push_back('[');
  out.append(digits, end);
  out.push_back(']');
  return out;
}

core::Error ParseError(simdjson::error_code code) {
  return core::Error{"", "malformed_json",
                     std::string("malformed JSON: ") + simdjson::error_message(code)};
}

std::string_view TypeName(element e) {
  switch (e.type()) {
    case simdjson::dom::element_type::ARRAY: return "an array";
    case simdjson::dom::element_type::OBJECT: return "an object";
    case simdjson::dom::element_type::INT64:
    case simdjson::dom::element_type::UINT64:
    case simdjson::dom::element_type::DOUBLE: return "a number";
    case simdjson::dom::element_type::STRING: return "a string";
    case simdjson::dom::element_type::BOOL: return "a boolean";
    case simdjson::dom::element_type::NULL_VALUE: return "null";
  }
  return "a value";
}

namespace {

// Index of `key` in list[0, n), looking at list[from..] first and then wrapping around (readers
// and documents both follow the list order, so the match is usually at or just after `from`);
// n when absent. Allowed lists hold each key once, so this is the key's only index.
template <class Key>
size_t IndexOfKey(const Key* list, size_t n, size_t from, std::string_view key) {
  for (size_t i = from; i < n; ++i)
    if (SameKey(std::string_view(list[i].data(), list[i].size()), key)) return i;
  for (size_t i = 0; i < from && i < n; ++i)
    if (SameKey(std::string_view(list[i].data(), list[i].size()), key)) return i;
  return n;
}

void TypeError(element e, const std::string& path, std::string_view want, core::Errors& errors) {
  errors.push_back({path, "type",
                    "must be " + std::string(want) + " (got " + std::string(TypeName(e)) + ")"});
}

}  // namespace

Obj::Obj(element e, std::string path, std::initializer_list<std::string_view> allowed,
         core::Errors& errors)
    : path_(std::move(path)), errors_(errors) {
  static_assert(std::is_trivially_destructible_v<element> && std::is_trivially_copyable_v<element>);
  if (e.get(obj_) != simdjson::SUCCESS) {
    TypeError(e, path_.empty() ? std::string("$") : path_, "an object", errors_);
    return;
  }
  valid_ = true;
  slotted_ = allowed.size() <= kMaxSlots;
  if (slotted_) {
    size_t i = 0;
    for (std::string_view a : allowed) allowed_[i++] = KeyRef{a.data(), a.size()};
    allowed_count_ = allowed.size();
  }
  // Duplicates of allowed keys are found through their slots; keys outside the list (always an
  // error, so rare) are remembered to report their duplicates too.
  std::vector<std::string_view> unknown_seen;
  std::vector<std::string_view> all_seen;  // only when not slotted
  size_t hint = 0;
  for (auto [key, value] : obj_) {
    bool duplicate = false;
    // Documents usually list keys in the order of the allowed list: look from the slot after the
    // last match on.
    const size_t slot = IndexOfKey(allowed.begin(), allowed.size(), hint, key);
    const bool known = slot < allowed.size();
    if (known) hint = slot + 1;
    if (slotted_ && known) {
      if (present_ & (uint64_t{1} << slot)) {
        duplicate = true;
      } else {
        present_ |= uint64_t{1} << slot;
        new (values_ + slot * sizeof(element)) element(value);
      }
    } else {
      auto& seen = known ? all_seen : unknown_seen;
      duplicate = std::find(seen.begin(), seen.end(), key) != seen.end();
      seen.push_back(key);
    }
    if (duplicate) {
      errors_.push_back({JoinPath(path_, key), "duplicate_key",
                         "malformed JSON: duplicate key \"" + std::string(key) + "\""});
    }
    if (!known) {
      std::string choices;
      for (std::string_view a : allowed) {
        if (!choices.empty()) choices += ", ";
        choices += a;
      }
      errors_.push_back({JoinPath(path_, key), "unknown_field",
                         "unknown field \"" + std::string(key) + "\" (allowed: " + choices + ")"});
    }
  }
}

int Obj::SlotOf(std::string_view key) const {
  // Readers ask for keys roughly in list order: look from the slot after the last answer on.
  const size_t i = IndexOfKey(allowed_, allowed_count_, find_hint_, key);
  if (i == allowed_count_) return -1;
  find_hint_ = i + 1;
  return static_cast<int>(i);
}

std::optional<element> Obj::FindSlow(std::string_view key) const {
  if (!valid_) return std::nullopt;
  if (slotted_) {
    const int slot = SlotOf(key);
    if (slot < 0 || !(present_ & (uint64_t{1} << slot))) return std::nullopt;
    const element& v = Value(static_cast<size_t>(slot));
    if (v.is_null()) return std::nullopt;
    return v;
  }
  for (auto [k, v] : obj_) {
    if (k == key) {
      if (v.is_null()) return std::nullopt;
      return v;
    }
  }
  return std::nullopt;
}

std::optional<element> Obj::Require(std::string_view key) const {
  auto v = Find(key);
  if (!v && valid_) Fail(PathOf(key), "required", "is required");
  return v;
}

void Obj::Fail(std::string path, std::string rule, std::string message) const {
  errors_.push_back({std::move(path), std::move(rule), std::move(message)});
}

std::optional<bool> Obj::BoolSlow(std::string_view key) const {
  auto v = FindSlow(key);
  if (!v) return std::nullopt;
  bool b;
  if (v->get(b) == simdjson::SUCCESS) return b;  // fast path: the path is built for errors only
  return ReadBool(*v, PathOf(key), errors_);
}

std::optional<double> Obj::NumberSlow(std::string_view key) const {
  auto v = FindSlow(key);
  if (!v) return std::nullopt;
  double d;
  if (v->is_number() && v->get(d) == simdjson::SUCCESS) return d;  // as ReadNumber, no path
  return ReadNumber(*v, PathOf(key), errors_);
}

std::optional<std::string_view> Obj::StringSlow(std::string_view key) const {
  auto v = FindSlow(key);
  if (!v) return std::nullopt;
  std::string_view s;
  if (v->get(s) == simdjson::SUCCESS) return s;
  return ReadString(*v, PathOf(key), errors_);
}

std::optional<core::Date> Obj::Date(std::string_view key) const {
  auto v = Find(key);
  if (!v) return std::nullopt;
  std::string_view s;
  std::optional<core::Date> d;
  if (v->get(s) == simdjson::SUCCESS && (d = core::Date::Parse(s))) return d;
  return ReadDate(*v, PathOf(key), errors_);  // reports the type or date error
}

void CheckProvenanceTag(const Obj& o, std::string_view key, std::string_view tag) {
  static constexpr std::string_view kTags[] = {"seed001", "sru2018", "seed000",
                                               "chest",   "literature", "informatics"};
  if (tag.empty() || std::find(std::begin(kTags), std::end(kTags), tag) != std::end(kTags)) return;
  o.Fail(o.PathOf(key), "enum",
         "must be one of seed001 | seed000 | chest | sru2018 | literature | informatics");
}

std::optional<std::string> NonEmptyString(const Obj& o, std::string_view key) {
  auto s = o.String(key);
  if (!s) return std::nullopt;
  if (s->empty()) {
    o.Fail(o.PathOf(key), "empty", "must not be empty");
    return std::nullopt;
  }
  return std::string(*s);
}

std::optional<std::string> RequiredString(const Obj& o, std::string_view key) {
  if (!o.Require(key)) return std::nullopt;
  return NonEmptyString(o, key);
}

std::optional<double> RequiredNumber(const Obj& o, std::string_view key) {
  if (!o.Require(key)) return std::nullopt;
  return o.Number(key);
}

std::optional<int> RequiredInt(const Obj& o, std::string_view key, int min) {
  auto v = RequiredNumber(o, key);
  if (!v) return std::nullopt;
  if (*v != std::floor(*v) || *v < min || *v > 1000000) {
    o.Fail(o.PathOf(key), "range", "must be a whole number of at least " + std::to_string(min));
    return std::nullopt;
  }
  return static_cast<int>(*v);
}

std::optional<bool> RequiredBool(const Obj& o, std::string_view key) {
  if (!o.Require(key)) return std::nullopt;
  return o.Bool(key);
}

std::optional<std::string_view> ReadString(element e, const std::string& path, core::Errors& errors) {
  std::string_view s;
  if (e.get(s) != simdjson::SUCCESS) {
    TypeError(e, path, "a string", errors);
    return std::nullopt;
  }
  return s;
}

std::optional<double> ReadNumber(element e, const std::string& path, core::Errors& errors) {
  double d;
  if (!e.is_number() || e.get(d) != simdjson::SUCCESS) {
    TypeError(e, path, "a number", errors);
    return std::nullopt;
  }
  return d;
}

std::optional<bool> ReadBool(element e, const std::string& path, core::Errors& errors) {
  bool b;
  if (e.get(b) != simdjson::SUCCESS) {
    TypeError(e, path, "a boolean (true or false)", errors);
    return std::nullopt;
  }
  return b;
}

std::optional<core::Date> ReadDate(element e, const std::string& path, core::Errors& errors) {
  auto s = ReadString(e, path, errors);
  if (!s) return std::nullopt;
  auto d = core::Date::Parse(*s);
  if (!d) {
    errors.push_back({path, "date",
                      "must be a calendar date YYYY-MM-DD (got \"" + std::string(*s) + "\")"});
  }
  return d;
}

std::optional<simdjson::dom::array> ReadArray(element e, const std::string& path,
                                              core::Errors& errors) {
  simdjson::dom::array a;
  if (e.get(a) != simdjson::SUCCESS) {
    TypeError(e, path, "an array", errors);
    return std::nullopt;
  }
  return a;
}

}  // namespace calfdvt::formats::internal
