#include "formats/json_read.h"

#include <algorithm>
#include <cmath>
#include <array>
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
  return std::string(parent) + "[" + std::to_string(index) + "]";
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

void TypeError(element e, const std::string& path, std::string_view want, core::Errors& errors) {
  errors.push_back({path, "type",
                    "must be " + std::string(want) + " (got " + std::string(TypeName(e)) + ")"});
}

}  // namespace

Obj::Obj(element e, std::string path, std::initializer_list<std::string_view> allowed,
         core::Errors& errors)
    : path_(std::move(path)), errors_(errors) {
  if (e.get(obj_) != simdjson::SUCCESS) {
    TypeError(e, path_.empty() ? std::string("$") : path_, "an object", errors_);
    return;
  }
  valid_ = true;
  // Objects here are small (<= ~20 keys): quadratic duplicate detection on a stack buffer is
  // cheapest. Larger objects (always invalid: their extra keys are unknown) spill to the heap, so a
  // duplicate is reported however many keys come before it.
  std::array<std::string_view, 64> seen;
  std::vector<std::string_view> seen_more;
  size_t n = 0;
  for (auto [key, value] : obj_) {
    (void)value;
    const auto seen_end = seen.begin() + static_cast<std::ptrdiff_t>(std::min(n, seen.size()));
    if (std::find(seen.begin(), seen_end, key) != seen_end ||
        std::find(seen_more.begin(), seen_more.end(), key) != seen_more.end()) {
      errors_.push_back({JoinPath(path_, key), "duplicate_key",
                         "malformed JSON: duplicate key \"" + std::string(key) + "\""});
    }
    if (n < seen.size()) seen[n] = key;
    else seen_more.push_back(key);
    ++n;
    if (std::find(allowed.begin(), allowed.end(), key) == allowed.end()) {
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

std::optional<element> Obj::Find(std::string_view key) const {
  if (!valid_) return std::nullopt;
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

std::optional<bool> Obj::Bool(std::string_view key) const {
  auto v = Find(key);
  if (!v) return std::nullopt;
  bool b;
  if (v->get(b) == simdjson::SUCCESS) return b;  // fast path: the path is built for errors only
  return ReadBool(*v, PathOf(key), errors_);
}

std::optional<double> Obj::Number(std::string_view key) const {
  auto v = Find(key);
  if (!v) return std::nullopt;
  double d;
  if (v->is_number() && v->get(d) == simdjson::SUCCESS) return d;  // as ReadNumber, no path
  return ReadNumber(*v, PathOf(key), errors_);
}

std::optional<std::string_view> Obj::String(std::string_view key) const {
  auto v = Find(key);
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
