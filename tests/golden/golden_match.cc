#include "tests/golden/golden_match.h"

#include <algorithm>
#include <functional>
#include <optional>

namespace calfdvt::golden {
namespace {

using simdjson::dom::array;
using simdjson::dom::element;
using simdjson::dom::element_type;
using simdjson::dom::object;

std::string Key(const std::string& path, std::string_view key) {
  return path.empty() ? std::string(key) : path + "." + std::string(key);
}

std::string Index(const std::string& path, size_t i) {
  return path + "[" + std::to_string(i) + "]";
}

// Compact JSON text of any DOM value, cut to `max_chars`.
template <class T>
std::string RenderAny(T value, size_t max_chars = 400) {
  std::string s = simdjson::to_string(value);
  if (s.size() > max_chars) s = s.substr(0, max_chars) + "...";
  return s;
}

std::vector<element> Elements(array a) {
  std::vector<element> v;
  for (element e : a) v.push_back(e);
  return v;
}

bool IsNumber(element e) {
  const element_type t = e.type();
  return t == element_type::INT64 || t == element_type::UINT64 || t == element_type::DOUBLE;
}

double AsDouble(element e) {
  switch (e.type()) {
    case element_type::INT64:
      return static_cast<double>(int64_t(e));
    case element_type::UINT64:
      return static_cast<double>(uint64_t(e));
    default:
      return double(e);
  }
}

// Operator objects: every key starts with '$'.
bool IsOperator(object o) {
  if (o.size() == 0) return false;
  for (auto [key, value] : o) {
    (void)value;
    if (key.empty() || key[0] != '$') return false;
  }
  return true;
}

// Maximum bipartite matching of expected items to actual elements (items are few).
bool MatchAsSet(const std::vector<element>& items, const std::vector<element>& elems) {
  std::vector<int> owner(elems.size(), -1);
  std::function<bool(size_t, std::vector<bool>&)> assign = [&](size_t i, std::vector<bool>& seen) {
    for (size_t j = 0; j < elems.size(); ++j) {
      if (seen[j] || !Matches(items[i], elems[j])) continue;
      seen[j] = true;
      if (owner[j] < 0 || assign(static_cast<size_t>(owner[j]), seen)) {
        owner[j] = static_cast<int>(i);
        return true;
      }
    }
    return false;
  };
  for (size_t i = 0; i < items.size(); ++i) {
    std::vector<bool> seen(elems.size(), false);
    if (!assign(i, seen)) return false;
  }
  return true;
}

void MatchOperator(object ops, element actual, const std::string& path,
                   std::vector<Mismatch>& out) {
  array act;
  if (actual.get(act) != simdjson::SUCCESS) {
    out.push_back({path, RenderAny(ops), Render(actual), "operator needs an array"});
    return;
  }
  const std::vector<element> elems = Elements(act);
  for (auto [op, arg] : ops) {
    array items_arr;
    if (arg.get(items_arr) != simdjson::SUCCESS) {
      out.push_back(
          {path, RenderAny(ops), "", "golden file error: " + std::string(op) + " needs an array"});
      continue;
    }
    const std::vector<element> items = Elements(items_arr);
    if (op == "$contains") {
      for (element item : items) {
        const bool found =
            std::any_of(elems.begin(), elems.end(), [&](element e) { return Matches(item, e); });
        if (!found) out.push_back({path, Render(item), Render(actual), "no element matches"});
      }
    } else if (op == "$excludes") {
      for (element item : items) {
        for (size_t j = 0; j < elems.size(); ++j) {
          if (Matches(item, elems[j]))
            out.push_back({Index(path, j), "none like " + Render(item), Render(elems[j]),
                           "excluded element present"});
        }
      }
    } else if (op == "$set") {
      if (items.size() != elems.size() || !MatchAsSet(items, elems))
        out.push_back({path, Render(arg), Render(actual), "not the same set"});
    } else {
      out.push_back(
          {path, RenderAny(ops), "", "golden file error: unknown operator " + std::string(op)});
    }
  }
}

}  // namespace

std::string Render(element e, size_t max_chars) { return RenderAny(e, max_chars); }

bool Matches(element expected, element actual) {
  std::vector<Mismatch> scratch;
  Match(expected, actual, "", scratch);
  return scratch.empty();
}

void Match(element expected, element actual, const std::string& path, std::vector<Mismatch>& out) {
  switch (expected.type()) {
    case element_type::OBJECT: {
      object exp = expected;
      if (IsOperator(exp)) {
        MatchOperator(exp, actual, path, out);
        return;
      }
      object act;
      if (actual.get(act) != simdjson::SUCCESS) {
        out.push_back({path, Render(expected), Render(actual), "not an object"});
        return;
      }
      for (auto [key, value] : exp) {
        element a;
        if (act.at_key(key).get(a) != simdjson::SUCCESS) {
          out.push_back({Key(path, key), Render(value), "(absent)", "missing key"});
          continue;
        }
        Match(value, a, Key(path, key), out);
      }
      return;
    }
    case element_type::ARRAY: {
      array exp = expected;
      array act;
      if (actual.get(act) != simdjson::SUCCESS) {
        out.push_back({path, Render(expected), Render(actual), "not an array"});
        return;
      }
      if (exp.size() != act.size()) {
        out.push_back(
            {path, Render(expected), Render(actual),
             "length " + std::to_string(act.size()) + ", expected " + std::to_string(exp.size())});
        return;
      }
      size_t i = 0;
      for (auto it_e = exp.begin(), it_a = act.begin(); it_e != exp.end(); ++it_e, ++it_a, ++i)
        Match(*it_e, *it_a, Index(path, i), out);
      return;
    }
    case element_type::INT64:
    case element_type::UINT64:
    case element_type::DOUBLE:
      if (!IsNumber(actual) || AsDouble(expected) != AsDouble(actual))
        out.push_back({path, Render(expected), Render(actual), "not equal"});
      return;
    case element_type::STRING: {
      std::string_view e = expected, a;
      if (actual.get(a) != simdjson::SUCCESS || a != e)
        out.push_back({path, Render(expected), Render(actual), "not equal"});
      return;
    }
    case element_type::BOOL: {
      bool a;
      if (actual.get(a) != simdjson::SUCCESS || a != bool(expected))
        out.push_back({path, Render(expected), Render(actual), "not equal"});
      return;
    }
    case element_type::NULL_VALUE:
      if (!actual.is_null()) out.push_back({path, "null", Render(actual), "not equal"});
      return;
  }
}

void MatchFeatures(element expected, element actual_root, std::vector<Mismatch>& out) {
  object exp;
  if (expected.get(exp) != simdjson::SUCCESS) {
    out.push_back(
        {"expect_features", Render(expected), "", "golden file error: must be an object"});
    return;
  }
  array features;
  if (actual_root["features"].get(features) != simdjson::SUCCESS) {
    out.push_back({"features", "an array", Render(actual_root, 200), "missing features"});
    return;
  }
  for (auto [id, want] : exp) {
    const std::string path = "features[id=" + std::string(id) + "]";
    std::optional<element> found;
    for (element f : features) {
      std::string_view fid;
      if (f["id"].get(fid) == simdjson::SUCCESS && fid == id) found = f;
    }
    if (!found) {
      out.push_back({path, Render(want), RenderAny(features, 200), "feature not listed"});
      continue;
    }
    if (want.is_string()) {
      element status;
      if ((*found)["status"].get(status) != simdjson::SUCCESS)
        out.push_back({path + ".status", Render(want), "(absent)", "missing key"});
      else
        Match(want, status, path + ".status", out);
    } else {
      Match(want, *found, path, out);
    }
  }
}

void MatchAlertCodes(element expected, element actual_root, std::vector<Mismatch>& out) {
  std::vector<std::string> want, got;
  array exp;
  if (expected.get(exp) != simdjson::SUCCESS) {
    out.push_back(
        {"expect_alert_codes", Render(expected), "", "golden file error: must be an array"});
    return;
  }
  for (element e : exp) {
    std::string_view s;
    if (e.get(s) == simdjson::SUCCESS) want.emplace_back(s);
  }
  array alerts;
  if (actual_root["alerts"].get(alerts) == simdjson::SUCCESS) {
    for (element a : alerts) {
      std::string_view s;
      if (a["code"].get(s) == simdjson::SUCCESS) got.emplace_back(s);
    }
  }
  std::sort(want.begin(), want.end());
  std::sort(got.begin(), got.end());
  if (want == got) return;
  auto list = [](const std::vector<std::string>& v) {
    std::string s = "[";
    for (size_t i = 0; i < v.size(); ++i) s += (i ? ", " : "") + v[i];
    return s + "]";
  };
  out.push_back({"alerts[*].code", list(want), list(got), "alert codes differ (sorted)"});
}

std::string Describe(std::string_view case_id, const std::vector<Mismatch>& mismatches) {
  std::string s = "golden case " + std::string(case_id) + ": " + std::to_string(mismatches.size()) +
                  " difference(s)\n";
  for (const Mismatch& m : mismatches) {
    s += "  at " + (m.path.empty() ? std::string("(root)") : m.path) + ": " + m.why + "\n";
    s += "    expected: " + m.expected + "\n";
    s += "    actual:   " + m.actual + "\n";
  }
  return s;
}

}  // namespace calfdvt::golden
