// docs/case.schema.json and the case parser must describe the same format. These tests check it
// three ways:
//  1. Field lists: for every object of the schema, the parser's list of allowed keys (read from its
//     unknown_field error) equals the schema's "properties", and null is rejected ("required")
//     exactly for the schema's required fields.
//  2. Verdicts: documents generated from the schema (for every field: null, values of every JSON
//     type, every enum value, values at and past every bound) are accepted by the parser exactly
//     when a small draft 2020-12 validator accepts them against the schema.
//  3. The examples/*.json files are valid for both.
// Rules a JSON Schema cannot express (calendar days, dates after as_of, cross-field agreement) are
// listed explicitly: the parser rejects those documents and the schema accepts them.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <regex.h>
#include <simdjson.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <set>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "formats/case_json.h"
#include "formats/knowledge_json.h"

namespace calfdvt::formats {
namespace {

using simdjson::dom::element;
using simdjson::dom::element_type;

// By-value accessors: iterating `x.get_array().value()` directly would bind the loop to a member of
// a destroyed temporary.
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
// A minimal JSON Schema (draft 2020-12) validator for the keywords the case schema uses. Any other
// keyword is a test failure, so the schema cannot silently rely on something unchecked here.

class MiniValidator {
 public:
  explicit MiniValidator(element root) : root_(root) {}

  bool Valid(element value) { return Check(root_, value); }

 private:
  static bool TypeMatches(std::string_view type, element v) {
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
  static bool Equal(element a, element b) { return simdjson::minify(a) == simdjson::minify(b); }

  // Whether `text` matches `pattern`. JSON Schema patterns are ECMA-262 regular expressions; the
  // case schema's are also valid POSIX extended ones (anchors, groups, classes, counts), so POSIX
  // regexec serves (std::regex trips GCC 12 -Wmaybe-uninitialized under the sanitizer preset).
  // Compiled patterns are cached for the life of the test binary.
  static bool Matches(std::string_view pattern, const std::string& text) {
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

  element Resolve(std::string_view ref) {
    constexpr std::string_view kPrefix = "#/$defs/";
    EXPECT_EQ(ref.substr(0, kPrefix.size()), kPrefix) << "unsupported $ref " << ref;
    element target;
    EXPECT_EQ(root_["$defs"][ref.substr(kPrefix.size())].get(target), simdjson::SUCCESS) << ref;
    return target;
  }

  bool Check(element schema, element v) {
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

  element root_;
};

class Schema {
 public:
  Schema() : text_(ReadSourceFile("docs/case.schema.json")) {
    EXPECT_EQ(parser_.parse(text_).get(root_), simdjson::SUCCESS)
        << "docs/case.schema.json is not JSON";
  }
  element root() const { return root_; }
  bool Valid(std::string_view json) {
    element doc;
    if (doc_parser_.parse(json.data(), json.size()).get(doc) != simdjson::SUCCESS) return false;
    return MiniValidator(root_).Valid(doc);
  }
  // `node` with a local $ref followed (one level, as the schema uses them).
  element Deref(element node) const {
    std::string_view ref;
    if (node["$ref"].get(ref) != simdjson::SUCCESS) return node;
    return root_["$defs"][ref.substr(std::string_view("#/$defs/").size())].value();
  }

 private:
  std::string text_;
  simdjson::dom::parser parser_;
  simdjson::dom::parser doc_parser_;
  element root_;
};

bool ParserAccepts(std::string_view json) {
  CaseParser parser;
  return parser.Parse(json).ok();
}

// ---------------------------------------------------------------------------------------------
// A tiny ordered JSON tree, to set one field of a base document at a path.

struct Json {
  std::string raw;                                    // a scalar or any literal JSON text
  std::vector<std::pair<std::string, Json>> members;  // when an object
  std::vector<Json> items;                            // when an array
  enum class Kind { kRaw, kObject, kArray } kind = Kind::kRaw;

  std::string Dump() const {
    if (kind == Kind::kRaw) return raw;
    std::string out(1, kind == Kind::kObject ? '{' : '[');
    bool first = true;
    if (kind == Kind::kObject) {
      for (const auto& [k, v] : members) {
        out += (first ? "" : ",") + std::string("\"") + k + "\":" + v.Dump();
        first = false;
      }
    } else {
      for (const auto& v : items) {
        out += (first ? "" : ",") + v.Dump();
        first = false;
      }
    }
    return out + (kind == Kind::kObject ? '}' : ']');
  }
  // Sets the value at `path` ("[0]" steps into the first array item), creating object members.
  void Set(const std::vector<std::string>& path, size_t at, const std::string& value) {
    if (at == path.size()) {
      *this = Json{value};
      return;
    }
    if (path[at] == "[0]") {
      if (kind != Kind::kArray) *this = Json{"", {}, {}, Kind::kArray};
      if (items.empty()) items.push_back(Json{"", {}, {}, Kind::kObject});
      items[0].Set(path, at + 1, value);
      return;
    }
    if (kind != Kind::kObject) *this = Json{"", {}, {}, Kind::kObject};
    for (auto& [k, v] : members) {
      if (k == path[at]) {
        v.Set(path, at + 1, value);
        return;
      }
    }
    members.emplace_back(path[at], Json{"", {}, {}, Kind::kObject});
    members.back().second.Set(path, at + 1, value);
  }
};

// The base for generated documents: valid, with every object present and no field set that takes
// part in a cross-field rule, so each generated document tests one field alone.
Json BaseDocument() {
  Json doc;
  doc.Set({"as_of"}, 0, R"("2026-11-21")");
  doc.Set({"patient"}, 0, "{}");
  doc.Set({"imaging", "date"}, 0, R"("2026-11-20")");
  doc.Set({"imaging", "protocol"}, 0, R"("whole_leg_duplex")");
  doc.Set({"imaging", "thrombi", "[0]", "vein"}, 0, R"("soleal")");
  doc.Set({"labs", "d_dimer"}, 0, "{}");
  doc.Set({"history"}, 0, "{}");
  doc.Set({"bleeding"}, 0, "{}");
  doc.Set({"preferences"}, 0, "{}");
  return doc;
}

std::string DottedPath(const std::vector<std::string>& path) {
  std::string out;
  for (const auto& p : path) {
    if (p != "[0]" && !out.empty()) out += '.';
    out += p;
  }
  return out;
}

// Every object node of the schema reached through "properties" and "items", with its path.
struct ObjectNode {
  std::vector<std::string> path;
  element schema;
};
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

// The keys the parser allows in the object at `path`, read from its unknown_field error.
std::set<std::string> ParserAllowedKeys(const std::vector<std::string>& path) {
  Json doc = BaseDocument();
  auto probe = path;
  probe.emplace_back("zz_probe");
  doc.Set(probe, 0, "1");
  CaseParser parser;
  auto r = parser.Parse(doc.Dump());
  EXPECT_FALSE(r.ok());
  if (r.ok()) return {};
  const std::string expected_path = DottedPath(probe);
  for (const auto& e : r.errors()) {
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

TEST(CaseSchema, IsDraft202012AndClosedEverywhere) {
  Schema s;
  std::string_view dialect;
  ASSERT_EQ(s.root()["$schema"].get(dialect), simdjson::SUCCESS);
  EXPECT_EQ(dialect, "https://json-schema.org/draft/2020-12/schema");
  std::vector<ObjectNode> objects;
  CollectObjects(s, s.root(), {}, objects);
  for (const auto& o : objects) {
    bool additional = true;
    EXPECT_EQ(o.schema["additionalProperties"].get(additional), simdjson::SUCCESS)
        << DottedPath(o.path);
    EXPECT_FALSE(additional) << DottedPath(o.path);
  }
}

TEST(CaseSchema, CoversEveryObjectOfTheFormat) {
  Schema s;
  std::vector<ObjectNode> objects;
  CollectObjects(s, s.root(), {}, objects);
  std::set<std::string> paths;
  for (const auto& o : objects) paths.insert(DottedPath(o.path));
  EXPECT_THAT(
      paths, ::testing::UnorderedElementsAre("", "patient", "imaging", "imaging.thrombi[0]", "labs",
                                             "labs.d_dimer", "history", "bleeding", "preferences"));
}

// Both directions: every schema property is a key the parser accepts, and every key the parser
// accepts is a schema property.
TEST(CaseSchema, PropertiesAreExactlyTheParsersKeys) {
  Schema s;
  std::vector<ObjectNode> objects;
  CollectObjects(s, s.root(), {}, objects);
  ASSERT_FALSE(objects.empty());
  for (const auto& o : objects)
    EXPECT_EQ(PropertyNames(o.schema), ParserAllowedKeys(o.path))
        << "object " << DottedPath(o.path);
}

// null is "unknown" for optional fields and a "required" error for required ones, in both.
TEST(CaseSchema, RequiredFieldsAgree) {
  Schema s;
  std::vector<ObjectNode> objects;
  CollectObjects(s, s.root(), {}, objects);
  for (const auto& o : objects) {
    const std::set<std::string> required = RequiredNames(o.schema);
    for (const std::string& name : PropertyNames(o.schema)) {
      auto path = o.path;
      path.push_back(name);
      Json doc = BaseDocument();
      doc.Set(path, 0, "null");
      CaseParser parser;
      auto r = parser.Parse(doc.Dump());
      std::vector<std::string> rules_here;
      if (!r.ok())
        for (const auto& e : r.errors())
          if (e.path == DottedPath(path)) rules_here.push_back(e.rule);
      if (required.count(name)) {
        EXPECT_THAT(rules_here, ::testing::ElementsAre("required")) << DottedPath(path);
      } else {
        EXPECT_THAT(rules_here, ::testing::IsEmpty()) << DottedPath(path);
      }
    }
  }
}

// Values tried for every field: every JSON type, edge numbers, date shapes, plus the field's own
// enum values and bounds (added per field).
std::vector<std::string> CommonSamples() {
  return {"null",
          R"("x")",
          R"("")",
          "1",
          "-1",
          "0",
          "0.5",
          "34.5",
          "1e6",
          "true",
          "false",
          "{}",
          "[]",
          R"(["x"])",
          "[{}]",
          "[1]",
          R"("2026-11-21")",
          R"("2026-1-5")",
          R"("21/11/2026")",
          R"("2026-11-21T00:00:00Z")",
          R"("1899-12-31")",
          R"("calfdvt/case@1")",
          R"("calfdvt/case@2")"};
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

TEST(CaseSchema, ParserAndSchemaGiveTheSameVerdictFieldByField) {
  Schema s;
  std::vector<ObjectNode> objects;
  CollectObjects(s, s.root(), {}, objects);
  int documents = 0;
  for (const auto& o : objects) {
    for (auto [name, field] : Obj(o.schema["properties"])) {
      auto path = o.path;
      path.emplace_back(name);
      std::vector<std::string> samples = CommonSamples();
      AddSchemaDerivedSamples(s, field, samples);
      for (const std::string& value : samples) {
        Json doc = BaseDocument();
        doc.Set(path, 0, value);
        const std::string json = doc.Dump();
        ++documents;
        EXPECT_EQ(ParserAccepts(json), s.Valid(json))
            << DottedPath(path) << " = " << value << "\n  parser accepts: " << ParserAccepts(json)
            << "\n  " << json;
      }
    }
  }
  EXPECT_GT(documents, 1000);  // the walk really generated documents
}

TEST(CaseSchema, ParserAndSchemaAgreeOnTheRootAndOnWholeDocuments) {
  Schema s;
  const std::vector<std::string> documents = {
      "[]",
      "null",
      "1",
      R"("x")",
      "{}",
      R"({"as_of": "2026-11-21"})",
      R"({"imaging": {"date": "2026-11-20", "protocol": "whole_leg_duplex"}})",
      R"({"as_of": "2026-11-21", "imaging": {"date": "2026-11-20", "protocol": "whole_leg_duplex"}})",
      // The if/then rule: pregnancy with sex male.
      R"({"as_of": "2026-11-21", "imaging": {"date": "2026-11-20", "protocol": "whole_leg_duplex"}, "patient": {"sex": "male", "pregnancy": "pregnant"}})",
      R"({"as_of": "2026-11-21", "imaging": {"date": "2026-11-20", "protocol": "whole_leg_duplex"}, "patient": {"sex": "male", "pregnancy": "postpartum"}})",
      R"({"as_of": "2026-11-21", "imaging": {"date": "2026-11-20", "protocol": "whole_leg_duplex"}, "patient": {"sex": "male", "pregnancy": "none"}})",
      R"({"as_of": "2026-11-21", "imaging": {"date": "2026-11-20", "protocol": "whole_leg_duplex"}, "patient": {"sex": "female", "pregnancy": "pregnant"}})",
      R"({"as_of": "2026-11-21", "imaging": {"date": "2026-11-20", "protocol": "whole_leg_duplex"}, "patient": {"sex": null, "pregnancy": "pregnant"}})",
      // Bilateral study: any thrombus side.
      R"({"as_of": "2026-11-21", "imaging": {"date": "2026-11-20", "protocol": "whole_leg_duplex", "side": "bilateral", "thrombi": [{"vein": "soleal", "side": "left"}, {"vein": "soleal", "side": "right"}]}})",
  };
  for (const std::string& json : documents) EXPECT_EQ(ParserAccepts(json), s.Valid(json)) << json;
}

// The rules the schema states only in words: the parser rejects these documents, the schema
// accepts them. If the schema ever learns one, move the document to the agreement test.
TEST(CaseSchema, RulesOnlyTheParserChecks) {
  Schema s;
  const std::string base =
      R"({"as_of": "2026-11-21", "imaging": {"date": "2026-11-20", "protocol": "whole_leg_duplex"}})";
  const std::vector<std::string> documents = {
      R"({"as_of": "2026-02-30", "imaging": {"date": "2026-01-20", "protocol": "whole_leg_duplex"}})",
      R"({"as_of": "2026-11-21", "imaging": {"date": "2026-11-22", "protocol": "whole_leg_duplex"}})",
      R"({"as_of": "2026-11-21", "imaging": {"date": "2026-11-20", "protocol": "whole_leg_duplex"}, "patient": {"delivery_date": "2026-11-22"}})",
      R"({"as_of": "2026-11-21", "imaging": {"date": "2026-11-20", "protocol": "whole_leg_duplex", "side": "left", "thrombi": [{"vein": "soleal", "side": "right"}]}})",
      R"({"as_of": "2026-11-21", "imaging": {"date": "2026-11-20", "protocol": "whole_leg_duplex"}, "labs": {"d_dimer": {"value": 900, "cutoff": 500}, "d_dimer_result": "negative"}})",
      R"({"as_of": "2026-11-21", "imaging": {"date": "2026-11-20", "protocol": "whole_leg_duplex"}, "as_of": "2026-11-21"})",
  };
  EXPECT_TRUE(ParserAccepts(base));
  EXPECT_TRUE(s.Valid(base));
  for (const std::string& json : documents) {
    EXPECT_FALSE(ParserAccepts(json)) << json;
    EXPECT_TRUE(s.Valid(json)) << json;
  }
}

TEST(CaseSchema, ExamplesAreValidForParserAndSchema) {
  Schema s;
  auto k = LoadEmbeddedKnowledge();
  ASSERT_TRUE(k.ok());
  int examples = 0;
  for (const auto& entry :
       std::filesystem::directory_iterator(std::string(CALFDVT_SOURCE_DIR) + "/examples")) {
    if (entry.path().extension() != ".json") continue;
    const std::string json = ReadSourceFile("examples/" + entry.path().filename().string());
    // Examples of other formats (a "format" other than the case's) are not cases.
    simdjson::dom::parser peek;
    std::string_view format;
    if (peek.parse(json).at_key("format").get(format) == simdjson::SUCCESS && format != kCaseFormat)
      continue;
    ++examples;
    CaseParser parser;
    auto r = parser.Parse(json, *k);
    EXPECT_TRUE(r.ok()) << entry.path() << ": " << (r.ok() ? "" : core::FormatError(r.errors()[0]));
    EXPECT_TRUE(s.Valid(json)) << entry.path();
  }
  EXPECT_GE(examples, 1);
}

// The validator itself can say no (guards against a vacuous agreement).
TEST(CaseSchema, TheTestValidatorRejectsWhatItShould) {
  Schema s;
  EXPECT_FALSE(s.Valid("{}"));
  EXPECT_FALSE(s.Valid(
      R"({"as_of": "2026-1-5", "imaging": {"date": "2026-11-20", "protocol": "whole_leg_duplex"}})"));
  EXPECT_TRUE(s.Valid(
      R"({"as_of": "2026-11-21", "imaging": {"date": "2026-11-20", "protocol": "whole_leg_duplex"}})"));
  EXPECT_FALSE(s.Valid(
      R"({"as_of": "2026-11-21", "imaging": {"date": "2026-11-20", "protocol": "whole_leg_duplex"}, "x": 1})"));
  EXPECT_FALSE(s.Valid(
      R"({"as_of": "2026-11-21", "imaging": {"date": "2026-11-20", "protocol": "whole_leg_duplex", "thrombi": [{"vein": "soleal", "max_diameter_mm": 51}]}})"));
  EXPECT_TRUE(s.Valid(
      R"({"as_of": "2026-11-21", "imaging": {"date": "2026-11-20", "protocol": "whole_leg_duplex", "thrombi": [{"vein": "soleal", "max_diameter_mm": 50}]}})"));
}

}  // namespace
}  // namespace calfdvt::formats
