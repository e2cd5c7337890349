// docs/procedure.schema.json and the procedure parser must describe the same format
// (calfdvt/procedure@1). Checked as for cases (schema_test.cc):
//  1. Field lists: for every object of the schema, the parser's allowed keys (read from its
//     unknown_field error) equal the schema's "properties", and null is rejected ("required")
//     exactly for the schema's required fields.
//  2. Verdicts: documents generated from the schema (for every field: null, values of every JSON
//     type, every enum value, values at and past every bound) are accepted by the parser exactly
//     when a small draft 2020-12 validator accepts them against the schema.
//  3. The fixture records are valid for both.
// Rules a JSON Schema cannot express (real calendar days) are listed explicitly.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <simdjson.h>

#include <fstream>
#include <map>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "formats/procedure_json.h"

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
// A minimal JSON Schema (draft 2020-12) validator (as in schema_test.cc, plus minItems and
// minLength). Any other keyword is a test failure, so the schema cannot silently rely on something
// unchecked here.

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

  // Compiled patterns, cached: std::regex construction dominates otherwise.
  static const std::regex& Regex(std::string_view pattern) {
    static std::map<std::string, std::regex, std::less<>> cache;
    auto it = cache.find(pattern);
    if (it == cache.end())
      it = cache.emplace(std::string(pattern), std::regex(std::string(pattern))).first;
    return it->second;
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
        ok = ok && std::regex_search(text, Regex(Str(kw)));
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
  Schema() : text_(ReadSourceFile("docs/procedure.schema.json")) {
    EXPECT_EQ(parser_.parse(text_).get(root_), simdjson::SUCCESS)
        << "docs/procedure.schema.json is not JSON";
  }
  element root() const { return root_; }
  bool Valid(std::string_view json) {
    element doc;
    if (doc_parser_.parse(json.data(), json.size()).get(doc) != simdjson::SUCCESS) return false;
    return MiniValidator(root_).Valid(doc);
  }
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

bool ParserAccepts(std::string_view json) { return ParseProcedure(json).ok(); }

// A tiny ordered JSON tree, to set one field of a base document at a path ("[0]": first item).
// Members are parallel key/value vectors: std::vector of an incomplete type is allowed, std::pair
// of one is not (clang rejects it).
struct Json {
  std::string raw;
  std::vector<std::string> keys;  // when an object
  std::vector<Json> values;       // object member values, or array items
  enum class Kind { kRaw, kObject, kArray } kind = Kind::kRaw;

  static Json Raw(std::string text) {
    Json j;
    j.raw = std::move(text);
    return j;
  }
  static Json Of(Kind kind) {
    Json j;
    j.kind = kind;
    return j;
  }

  std::string Dump() const {
    if (kind == Kind::kRaw) return raw;
    std::string out(1, kind == Kind::kObject ? '{' : '[');
    for (size_t i = 0; i < values.size(); ++i) {
      if (i) out += ',';
      if (kind == Kind::kObject) out += "\"" + keys[i] + "\":";
      out += values[i].Dump();
    }
    return out + (kind == Kind::kObject ? '}' : ']');
  }
  void Set(const std::vector<std::string>& path, size_t at, const std::string& value) {
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
};

// Valid, every object present, no field set that takes part in a cross-field rule.
Json BaseDocument() {
  Json doc;
  doc.Set({"patient_id"}, 0, R"("P-1")");
  doc.Set({"date"}, 0, R"("2026-11-20")");
  doc.Set({"side"}, 0, R"("left")");
  doc.Set({"access_vein"}, 0, R"("popliteal")");
  doc.Set({"indication"}, 0, "{}");
  doc.Set({"thrombolysis"}, 0, "{}");
  doc.Set({"squeezes", "[0]", "target_veins"}, 0, R"(["soleal"])");
  doc.Set({"result"}, 0, "{}");
  doc.Set({"complications", "[0]", "type"}, 0, R"("bleeding")");
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

std::set<std::string> ParserAllowedKeys(const std::vector<std::string>& path) {
  Json doc = BaseDocument();
  auto probe = path;
  probe.emplace_back("zz_probe");
  doc.Set(probe, 0, "1");
  auto r = ParseProcedure(doc.Dump());
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
    for (std::string key; std::getline(list, key, ',');) out.insert(key.substr(key.front() == ' ' ? 1 : 0));
    return out;
  }
  ADD_FAILURE() << "no unknown_field error at " << expected_path;
  return {};
}

TEST(ProcedureSchema, IsDraft202012AndClosedEverywhere) {
  Schema s;
  std::string_view dialect;
  ASSERT_EQ(s.root()["$schema"].get(dialect), simdjson::SUCCESS);
  EXPECT_EQ(dialect, "https://json-schema.org/draft/2020-12/schema");
  std::vector<ObjectNode> objects;
  CollectObjects(s, s.root(), {}, objects);
  for (const auto& o : objects) {
    bool additional = true;
    EXPECT_EQ(o.schema["additionalProperties"].get(additional), simdjson::SUCCESS) << DottedPath(o.path);
    EXPECT_FALSE(additional) << DottedPath(o.path);
  }
}

TEST(ProcedureSchema, CoversEveryObjectOfTheFormat) {
  Schema s;
  std::vector<ObjectNode> objects;
  CollectObjects(s, s.root(), {}, objects);
  std::set<std::string> paths;
  for (const auto& o : objects) paths.insert(DottedPath(o.path));
  EXPECT_THAT(paths, ::testing::UnorderedElementsAre("", "indication", "thrombolysis",
                                                     "squeezes[0]", "result", "complications[0]"));
}

TEST(ProcedureSchema, PropertiesAreExactlyTheParsersKeys) {
  Schema s;
  std::vector<ObjectNode> objects;
  CollectObjects(s, s.root(), {}, objects);
  ASSERT_FALSE(objects.empty());
  for (const auto& o : objects)
    EXPECT_EQ(PropertyNames(o.schema), ParserAllowedKeys(o.path)) << "object " << DottedPath(o.path);
}

TEST(ProcedureSchema, RequiredFieldsAgree) {
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
      auto r = ParseProcedure(doc.Dump());
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

std::vector<std::string> CommonSamples() {
  return {"null", R"("x")", R"("")", "1", "-1", "0", "0.5", "3.9", "4", "30", "30.5", "100",
          "100.5", "1e6", "true", "false", "{}", "[]", R"(["x"])", "[{}]", "[1]", "[null]",
          R"("2026-11-21")", R"("2026-1-5")", R"("21/11/2026")", R"("2026-11-21T00:00:00Z")",
          R"("1899-12-31")", R"("calfdvt/procedure@1")", R"("calfdvt/procedure@2")",
          R"("bilateral")", R"([{"target_veins": []}])", R"([{"type": "death", "severity": "minor"}])",
          R"([{"type": "death", "severity": "major"}])"};
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

TEST(ProcedureSchema, ParserAndSchemaGiveTheSameVerdictFieldByField) {
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
  EXPECT_GT(documents, 1000);
}

TEST(ProcedureSchema, ParserAndSchemaAgreeOnWholeDocuments) {
  Schema s;
  const std::string minimal =
      R"({"patient_id": "P-1", "date": "2026-11-20", "side": "left", "access_vein": "popliteal", "squeezes": [])";
  const std::vector<std::string> documents = {
      "[]", "null", "1", R"("x")", "{}",
      minimal + "}",
      minimal + R"(, "complications": [{"type": "death", "severity": "minor"}]})",
      minimal + R"(, "complications": [{"type": "death"}]})",
      minimal + R"(, "complications": [{"type": "death", "severity": null}]})",
      minimal + R"(, "complications": [{"type": "bleeding", "severity": "minor"}, {"type": "death", "severity": "minor"}]})",
      minimal + R"(, "complications": [{"severity": "minor"}]})",
  };
  for (const std::string& json : documents) EXPECT_EQ(ParserAccepts(json), s.Valid(json)) << json;
  EXPECT_TRUE(ParserAccepts(minimal + "}"));
}

// Rules the schema states only in words: the parser rejects, the schema accepts.
TEST(ProcedureSchema, RulesOnlyTheParserChecks) {
  Schema s;
  const std::vector<std::string> documents = {
      R"({"patient_id": "P-1", "date": "2026-02-30", "side": "left", "access_vein": "popliteal", "squeezes": []})",
      R"({"patient_id": "P-1", "date": "2026-11-20", "side": "left", "access_vein": "popliteal", "squeezes": [], "squeezes": []})",
  };
  for (const std::string& json : documents) {
    EXPECT_FALSE(ParserAccepts(json)) << json;
    EXPECT_TRUE(s.Valid(json)) << json;
  }
}

TEST(ProcedureSchema, FixtureRecordsAreValidForParserAndSchema) {
  Schema s;
  std::istringstream lines(ReadSourceFile("tests/fixtures/calf_squeeze_published_series.ndjson"));
  int n = 0;
  for (std::string line; std::getline(lines, line); ++n) {
    EXPECT_TRUE(ParserAccepts(line)) << line;
    EXPECT_TRUE(s.Valid(line)) << line;
  }
  EXPECT_EQ(n, 10);
}

TEST(ProcedureSchema, TheTestValidatorRejectsWhatItShould) {
  Schema s;
  EXPECT_FALSE(s.Valid("{}"));
  EXPECT_FALSE(s.Valid(R"({"patient_id": "", "date": "2026-11-20", "side": "left", "access_vein": "popliteal", "squeezes": []})"));
  EXPECT_FALSE(s.Valid(R"({"patient_id": "P", "date": "2026-11-20", "side": "left", "access_vein": "popliteal", "squeezes": [{"target_veins": []}]})"));
  EXPECT_FALSE(s.Valid(R"({"patient_id": "P", "date": "2026-11-20", "side": "left", "access_vein": "popliteal", "squeezes": [], "aspiration_catheter_fr": 31})"));
  EXPECT_TRUE(s.Valid(R"({"patient_id": "P", "date": "2026-11-20", "side": "left", "access_vein": "popliteal", "squeezes": [], "aspiration_catheter_fr": 30})"));
}

}  // namespace
}  // namespace calfdvt::formats
