#include "tests/golden/golden_file.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <span>
#include <sstream>
#include <string_view>

namespace calfdvt::golden {
namespace {

namespace fs = std::filesystem;
using simdjson::dom::element;

constexpr std::string_view kValidKeys[] = {"id",
                                           "spec",
                                           "rule",
                                           "statement",
                                           "profile",
                                           "case",
                                           "expect",
                                           "expect_features",
                                           "expect_alert_codes"};
constexpr std::string_view kInvalidKeys[] = {"id",      "spec", "rule",      "statement",
                                             "profile", "case", "case_text", "expect_errors"};

bool IsIdentifier(const std::string& s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
  });
}

}  // namespace

std::vector<GoldenFile> ListGoldenFiles(const std::string& dir) {
  std::vector<GoldenFile> files;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(dir, ec)) {
    if (!entry.is_regular_file() || entry.path().extension() != ".json") continue;
    files.push_back({entry.path().stem().string(), entry.path().string()});
  }
  std::sort(files.begin(), files.end(),
            [](const GoldenFile& a, const GoldenFile& b) { return a.name < b.name; });
  return files;
}

void GoldenCase::Load(const GoldenFile& file, GoldenKind kind) {
  std::ifstream in(file.path, std::ios::binary);
  if (!in.is_open()) {
    problems_.push_back("cannot open " + file.path);
    return;
  }
  std::stringstream buf;
  buf << in.rdbuf();
  const simdjson::padded_string bytes(buf.str());
  element root;
  if (auto err = parser_.parse(bytes).get(root)) {
    problems_.push_back(file.path + ": not JSON: " + simdjson::error_message(err));
    return;
  }
  simdjson::dom::object obj;
  if (root.get(obj) != simdjson::SUCCESS) {
    problems_.push_back(file.path + ": must be a JSON object");
    return;
  }
  const std::span<const std::string_view> allowed =
      kind == GoldenKind::kValid ? std::span<const std::string_view>(kValidKeys)
                                 : std::span<const std::string_view>(kInvalidKeys);
  for (auto [key, value] : obj) {
    (void)value;
    if (std::find(allowed.begin(), allowed.end(), key) == allowed.end())
      problems_.push_back(file.path + ": unknown key \"" + std::string(key) + "\"");
  }
  auto text = [&](std::string_view key, bool required, std::string& out) {
    element e;
    if (obj.at_key(key).get(e) != simdjson::SUCCESS) {
      if (required) problems_.push_back(file.path + ": \"" + std::string(key) + "\" is required");
      return;
    }
    std::string_view s;
    if (e.get(s) != simdjson::SUCCESS || s.empty()) {
      problems_.push_back(file.path + ": \"" + std::string(key) + "\" must be a non-empty string");
      return;
    }
    out = std::string(s);
  };
  text("id", true, id_);
  text("spec", true, spec_);
  text("rule", kind == GoldenKind::kValid, rule_);
  text("statement", true, statement_);
  text("profile", false, profile_);
  if (!id_.empty() && (id_ != file.name || !IsIdentifier(id_)))
    problems_.push_back(file.path + ": \"id\" must equal the file name and use only [a-z0-9_]");

  auto part = [&](std::string_view key) -> std::optional<element> {
    element e;
    if (obj.at_key(key).get(e) != simdjson::SUCCESS) return std::nullopt;
    return e;
  };
  const auto case_doc = part("case");
  const auto raw = part("case_text");
  if (case_doc.has_value() == raw.has_value()) {
    problems_.push_back(file.path + ": give exactly one of \"case\" and \"case_text\"");
  } else if (case_doc) {
    if (!case_doc->is_object()) problems_.push_back(file.path + ": \"case\" must be an object");
    case_text_ = simdjson::to_string(*case_doc);
  } else {
    std::string_view s;
    if (raw->get(s) != simdjson::SUCCESS)
      problems_.push_back(file.path + ": \"case_text\" must be a string");
    case_text_ = std::string(s);
  }
  expect_ = part("expect");
  expect_features_ = part("expect_features");
  expect_alert_codes_ = part("expect_alert_codes");
  expect_errors_ = part("expect_errors");
  if (kind == GoldenKind::kValid && !expect_ && !expect_features_ && !expect_alert_codes_)
    problems_.push_back(file.path +
                        ": a valid case needs expect, expect_features or "
                        "expect_alert_codes");
  if (kind == GoldenKind::kInvalid && (!expect_errors_ || !expect_errors_->is_array()))
    problems_.push_back(file.path + ": an invalid case needs an \"expect_errors\" array");
}

std::string GoldenCase::Header() const {
  std::string s = id_ + " [" + spec_;
  if (!rule_.empty()) s += ", " + rule_;
  return s + "]: " + statement_;
}

}  // namespace calfdvt::golden
