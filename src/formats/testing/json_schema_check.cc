#include "formats/testing/json_schema_check.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <regex.h>

#include <cstdint>
#include <fstream>
#include <map>
#include <memory>
#include <sstream>

namespace calfdvt::formats::schema_check {

using simdjson::dom::element_type;

simdjson::dom::array Arr(element e) {
  simdjson::dom::array a;
  EXPECT_EQ(e.get(a), simdjson::SUCCESS);
  return a;
}
simdjson::dom::object Obj(element e) {
  simdjson::dom::object o;
  EXPECT_EQ(e.get(o), simdjson::SUCCESS);
  return o;
}
std::string_view Str(element e) {
  std::string_view s;
  EXPECT_EQ(e.get(s), simdjson::SUCCESS);
  return s;
}

std::string ReadSourceFile(std::string_view relative) {
  const std::string path = std::string(CALFDVT_SOURCE_DIR) + "/" + std::string(relative);
  std::ifstream in(path, std::ios::binary);
  EXPECT_TRUE(in.good()) << "cannot read " << path;
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// ---------------------------------------------------------------------------------------------
// MiniValidator

namespace {

bool TypeMatches(std::string_view type, element v) {
  switch (v.type()) {
    case element_type::OBJECT:
      return type == "object";
    case element_type::ARRAY:
      return type == "array";
    case element_type::STRING:
      return type == "string";
    case element_type::BOOL:
      return type == "boolean";
    case element_type::NULL_VALUE:
      return type == "null";
    case element_type::INT64:
    case element_type::UINT64:
      return type == "number" || type == "integer";
    case element_type::DOUBLE: {
      const double d = v.get_double().value();
      return type == "number" ||
             (type == "integer" && d == static_cast<double>(static_cast<int64_t>(d)));
    }
  }
  return false;
}

bool Equal(element a, element b) { return simdjson::minify(a) == simdjson::minify(b); }

// Whether `text` matches `pattern`. JSON Schema patterns are ECMA-262 regular expressions; the
// schemas' are also valid POSIX extended ones (anchors, groups, classes, counts), so POSIX regexec
// serves (std::regex trips GCC 12 -Wmaybe-uninitialized under the sanitizer preset). Compiled
// patterns are cached for the life of the test binary.
bool Matches(std::string_view pattern, const std::string& text) {
  struct Compiled {
    regex_t re{};
    bool ok = false;
    ~Compiled() {
      if (ok) regfree(&re);
    }
  };
  static std::map<std::string, std::unique_ptr<Compiled>, std::less<>> cache;
  auto it = cache.find(pattern);
  if (it == cache.end()) {
    auto c = std::make_unique<Compiled>();
    c->ok = regcomp(&c->re, std::string(pattern).c_str(), REG_EXTENDED | REG_NOSUB) == 0;
    EXPECT_TRUE(c->ok) << "pattern is not POSIX ERE: " << pattern;
    it = cache.emplace(std::string(pattern), std::move(c)).first;
  }
  return it->second->ok && regexec(&it->second->re, text.c_str(), 0, nullptr, 0) == 0;
}

}  // namespace

element MiniValidator::Resolve(std::string_view ref) {
  constexpr std::string_view kPrefix = "#/$defs/";
  EXPECT_EQ(ref.substr(0, kPrefix.size()), kPrefix) << "unsupported $ref " << ref;
  element target;
  EXPECT_EQ(root_["$defs"][ref.substr(kPrefix.size())].get(target), simdjson::SUCCESS) << ref;
  return target;
}

bool MiniValidator::Check(element schema, element v) {
  if (schema.is_bool()) return schema.get_bool().value();
  simdjson::dom::object s = Obj(schema);
  bool ok = true;
  for (auto [key, kw] : s) {
    if (key == "$schema" || key == "$id" || key == "title" || key == "description" ||
        key == "$comment" || key == "format" || key == "$defs" || key == "then" ||
        key == "else") {
      continue;  // annotations, or applied with "if"
    } else if (key == "type") {
      bool any = false;
      if (kw.is_string()) {
        any = TypeMatches(Str(kw), v);
      } else {
        for (element t : Arr(kw)) any = any || TypeMatches(Str(t), v);
      }
      ok = ok && any;
    } else if (key == "enum") {
      bool any = false;
      for (element option : Arr(kw)) any = any || Equal(option, v);
      ok = ok && any;
    } else if (key == "const") {
      ok = ok && Equal(kw, v);
    } else if (key == "properties") {
      if (!v.is_object()) continue;
      for (auto [name, sub] : Obj(kw)) {
        element child;
        if (v[name].get(child) == simdjson::SUCCESS) ok = Check(sub, child) && ok;
      }
    } else if (key == "additionalProperties") {
      EXPECT_TRUE(kw.is_bool()) << "additionalProperties must be a boolean here";
      if (!v.is_object() || kw.get_bool().value()) continue;
      element props;
      const bool has_props = s["properties"].get(props) == simdjson::SUCCESS;
      for (auto [name, child] : Obj(v)) {
        (void)child;
        element unused;
        if (!has_props || props[name].get(unused) != simdjson::SUCCESS) ok = false;
      }
    } else if (key == "required") {
      if (!v.is_object()) continue;
      for (element name : Arr(kw)) {
        element unused;
        if (v[Str(name)].get(unused) != simdjson::SUCCESS) ok = false;
      }
    } else if (key == "items") {
      if (!v.is_array()) continue;
      for (element item : Arr(v)) ok = Check(kw, item) && ok;
    } else if (key == "minItems") {
      if (!v.is_array()) continue;
      ok = ok && Arr(v).size() >= static_cast<size_t>(kw.get_int64().value());
    } else if (key == "minLength") {
      if (!v.is_string()) continue;
      ok = ok && Str(v).size() >= static_cast<size_t>(kw.get_int64().value());  // ASCII here
    } else if (key == "uniqueItems") {
      if (!v.is_array() || !kw.get_bool().value()) continue;
      std::set<std::string> seen;
      for (element item : Arr(v))
        if (!seen.insert(simdjson::minify(item)).second) ok = false;
    } else if (key == "minimum" || key == "maximum" || key == "exclusiveMinimum" ||
               key == "exclusiveMaximum") {
      if (!v.is_number()) continue;
      const double x = v.get_double().value();
      const double bound = kw.get_double().value();
      if (key == "minimum") ok = ok && x >= bound;
      if (key == "maximum") ok = ok && x <= bound;
      if (key == "exclusiveMinimum") ok = ok && x > bound;
      if (key == "exclusiveMaximum") ok = ok && x < bound;
    } else if (key == "pattern") {
      if (!v.is_string()) continue;
      const std::string text(Str(v));
      ok = ok && Matches(Str(kw), text);
    } else if (key == "$ref") {
      ok = Check(Resolve(Str(kw)), v) && ok;
    } else if (key == "allOf" || key == "anyOf") {
      bool all = true, any = false;
      for (element sub : Arr(kw)) {
        const bool r = Check(sub, v);
        all = all && r;
        any = any || r;
      }
      ok = ok && (key == "allOf" ? all : any);
    } else if (key == "if") {
      element branch;
      const char* name = Check(kw, v) ? "then" : "else";
      if (s[name].get(branch) == simdjson::SUCCESS) ok = Check(branch, v) && ok;
    } else {
      ADD_FAILURE() << "the test's validator does not support keyword \"" << key << "\"";
      ok = false;
    }
  }
  return ok;
}

// ---------------------------------------------------------------------------------------------
// Schema

Schema::Schema(std::string_view relative_path) : text_(ReadSourceFile(relative_path)) {
  EXPECT_EQ(parser_.parse(text_).get(root_), simdjson::SUCCESS)
      << relative_path << " is not JSON";
}

bool Schema::Valid(std::string_view json) {
  element doc;
  if (doc_parser_.parse(json.data(), json.size()).get(doc) != simdjson::SUCCESS) return false;
  return MiniValidator(root_).Valid(doc);
}

element Schema::Deref(element node) const {
  std::string_view ref;
  if (node["$ref"].get(ref) != simdjson::SUCCESS) return node;
  return root_["$defs"][ref.substr(std::string_view("#/$defs/").size())].value();
}

// ---------------------------------------------------------------------------------------------
// Json

Json Json::Raw(std::string text) {
  Json j;
  j.raw = std::move(text);
  return j;
}

Json Json::Of(Kind kind) {
  Json j;
  j.kind = kind;
  return j;
}

std::string Json::Dump() const {
  if (kind == Kind::kRaw) return raw;
  std::string out(1, kind == Kind::kObject ? '{' : '[');
  for (size_t i = 0; i < values.size(); ++i) {
    if (i) out += ',';
    if (kind == Kind::kObject) out += "\"" + keys[i] + "\":";
    out += values[i].Dump();
  }
  return out + (kind == Kind::kObject ? '}' : ']');
}

void Json::Set(const std::vector<std::string>& path, size_t at, const std::string& value) {
  if (at == path.size()) {
    *this = Raw(value);
    return;
  }
  if (path[at] == "[0]") {
    if (kind != Kind::kArray) *this = Of(Kind::kArray);
    if (values.empty()) values.push_back(Of(Kind::kObject));
    values[0].Set(path, at + 1, value);
    return;
  }
  if (kind != Kind::kObject) *this = Of(Kind::kObject);
  for (size_t i = 0; i < keys.size(); ++i) {
    if (keys[i] == path[at]) {
      values[i].Set(path, at + 1, value);
      return;
    }
  }
  keys.push_back(path[at]);
  values.push_back(Of(Kind::kObject));
  values.back().Set(path, at + 1, value);
}

// ---------------------------------------------------------------------------------------------
// The walk and the shared checks

std::string DottedPath(const std::vector<std::string>& path) {
  std::string out;
  for (const auto& p : path) {
    if (p != "[0]" && !out.empty()) out += '.';
    out += p;
  }
  return out;
}

namespace {

void CollectObjects(const Schema& s, element node, std::vector<std::string> path,
                    std::vector<ObjectNode>& out) {
  node = s.Deref(node);
  element props;
  if (node["properties"].get(props) == simdjson::SUCCESS) {
    out.push_back({path, node});
    for (auto [name, sub] : Obj(props)) {
      auto child = path;
      child.emplace_back(name);
      CollectObjects(s, sub, child, out);
    }
  }
  element items;
  if (node["items"].get(items) == simdjson::SUCCESS) {
    auto child = path;
    child.emplace_back("[0]");
    CollectObjects(s, items, child, out);
  }
}

}  // namespace

std::vector<ObjectNode> CollectObjects(const Schema& s) {
  std::vector<ObjectNode> out;
  CollectObjects(s, s.root(), {}, out);
  return out;
}

std::set<std::string> PropertyNames(element object_schema) {
  std::set<std::string> out;
  for (auto [name, sub] : Obj(object_schema["properties"].value())) {
    (void)sub;
    out.emplace(name);
  }
  return out;
}

std::set<std::string> RequiredNames(element object_schema) {
  std::set<std::string> out;
  element req;
  if (object_schema["required"].get(req) != simdjson::SUCCESS) return out;
  for (element n : Arr(req)) out.emplace(Str(n));
  return out;
}

void AddSchemaDerivedSamples(const Schema& s, element field, std::vector<std::string>& out) {
  field = s.Deref(field);
  element e;
  if (field["enum"].get(e) == simdjson::SUCCESS)
    for (element v : Arr(e)) out.push_back(simdjson::minify(v));
  for (const char* bound : {"minimum", "maximum", "exclusiveMinimum"}) {
    double b;
    if (field[bound].get(b) != simdjson::SUCCESS) continue;
    for (double d : {b - 0.5, b, b + 0.5}) {
      std::ostringstream os;
      os << d;
      out.push_back(os.str());
    }
  }
  element items;
  if (field["items"].get(items) == simdjson::SUCCESS) {
    items = s.Deref(items);
    if (items["enum"].get(e) == simdjson::SUCCESS) {
      std::string all = "[";
      for (element v : Arr(e)) {
        const std::string one = simdjson::minify(v);
        out.push_back("[" + one + "]");
        out.push_back("[" + one + "," + one + "]");  // uniqueItems
        all += (all.size() > 1 ? "," : "") + one;
      }
      out.push_back(all + "]");
    }
  }
}

std::set<std::string> ParserAllowedKeys(const Json& base, const std::vector<std::string>& path,
                                        const ParseErrors& parse) {
  Json doc = base;
  auto probe = path;
  probe.emplace_back("zz_probe");
  doc.Set(probe, 0, "1");
  const Parsed r = parse(doc.Dump());
  EXPECT_FALSE(r.ok);
  if (r.ok) return {};
  const std::string expected_path = DottedPath(probe);
  for (const auto& e : r.errors) {
    if (e.path != expected_path || e.rule != "unknown_field") continue;
    const size_t open = e.message.find("(allowed: ");
    const size_t close = e.message.rfind(')');
    EXPECT_NE(open, std::string::npos) << e.message;
    if (open == std::string::npos) return {};
    std::set<std::string> out;
    std::stringstream list(e.message.substr(open + 10, close - open - 10));
    for (std::string key; std::getline(list, key, ',');)
      out.insert(key.substr(key.front() == ' ' ? 1 : 0));
    return out;
  }
  ADD_FAILURE() << "no unknown_field error at " << expected_path;
  return {};
}

void ExpectDraft202012AndClosedEverywhere(const Schema& s) {
  std::string_view dialect;
  ASSERT_EQ(s.root()["$schema"].get(dialect), simdjson::SUCCESS);
  EXPECT_EQ(dialect, "https://json-schema.org/draft/2020-12/schema");
  for (const auto& o : CollectObjects(s)) {
    bool additional = true;
    EXPECT_EQ(o.schema["additionalProperties"].get(additional), simdjson::SUCCESS)
        << DottedPath(o.path);
    EXPECT_FALSE(additional) << DottedPath(o.path);
  }
}

void ExpectPropertiesAreExactlyTheParsersKeys(const Schema& s, const Json& base,
                                              const ParseErrors& parse) {
  const std::vector<ObjectNode> objects = CollectObjects(s);
  ASSERT_FALSE(objects.empty());
  for (const auto& o : objects)
    EXPECT_EQ(PropertyNames(o.schema), ParserAllowedKeys(base, o.path, parse))
        << "object " << DottedPath(o.path);
}

void ExpectRequiredFieldsAgree(const Schema& s, const Json& base, const ParseErrors& parse) {
  for (const auto& o : CollectObjects(s)) {
    const std::set<std::string> required = RequiredNames(o.schema);
    for (const std::string& name : PropertyNames(o.schema)) {
      auto path = o.path;
      path.push_back(name);
      Json doc = base;
      doc.Set(path, 0, "null");
      const Parsed r = parse(doc.Dump());
      std::vector<std::string> rules_here;
      if (!r.ok)
        for (const auto& e : r.errors)
          if (e.path == DottedPath(path)) rules_here.push_back(e.rule);
      if (required.count(name)) {
        EXPECT_THAT(rules_here, ::testing::ElementsAre("required")) << DottedPath(path);
      } else {
        EXPECT_THAT(rules_here, ::testing::IsEmpty()) << DottedPath(path);
      }
    }
  }
}

int ExpectSameVerdictFieldByField(Schema& s, const Json& base,
                                  const std::vector<std::string>& common_samples,
                                  const ParseErrors& parse) {
  int documents = 0;
  for (const auto& o : CollectObjects(s)) {
    for (auto [name, field] : Obj(o.schema["properties"])) {
      auto path = o.path;
      path.emplace_back(name);
      std::vector<std::string> samples = common_samples;
      AddSchemaDerivedSamples(s, field, samples);
      for (const std::string& value : samples) {
        Json doc = base;
        doc.Set(path, 0, value);
        const std::string json = doc.Dump();
        ++documents;
        const bool accepts = parse(json).ok;
        EXPECT_EQ(accepts, s.Valid(json)) << DottedPath(path) << " = " << value
                                          << "\n  parser accepts: " << accepts << "\n  " << json;
      }
    }
  }
  return documents;
}

}  // namespace calfdvt::formats::schema_check
