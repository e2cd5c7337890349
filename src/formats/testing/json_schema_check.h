// Test support (linked only into test binaries): checks that a docs/*.schema.json file and a strict
// parser of src/formats describe the same format. Used by schema_test.cc (calfdvt/case@1) and
// procedure_schema_test.cc (calfdvt/procedure@1):
//  - MiniValidator: a minimal JSON Schema (draft 2020-12) validator for the keywords those schemas
//    use; any other keyword is a test failure, so a schema cannot silently rely on something
//    unchecked here.
//  - Json: a tiny ordered JSON tree, to set one field of a base document at a path.
//  - The walk over the schema's objects and the checks shared by both suites (Expect*), which
//    report through GoogleTest (EXPECT_*, ADD_FAILURE) in the calling test.
// Paths are vectors of member names; "[0]" steps into the first array item.
#pragma once

#include <simdjson.h>

#include <functional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"

namespace calfdvt::formats::schema_check {

using simdjson::dom::element;

// By-value accessors: iterating `x.get_array().value()` directly would bind the loop to a member of
// a destroyed temporary. A wrong type is a test failure.
simdjson::dom::array Arr(element e);
simdjson::dom::object Obj(element e);
std::string_view Str(element e);

// The bytes of a file of the source tree (`relative` to its root); a test failure if unreadable.
std::string ReadSourceFile(std::string_view relative);

class MiniValidator {
 public:
  explicit MiniValidator(element root) : root_(root) {}
  bool Valid(element value) { return Check(root_, value); }

 private:
  element Resolve(std::string_view ref);
  bool Check(element schema, element v);

  element root_;
};

// A schema file of the source tree, parsed; validates documents with MiniValidator.
class Schema {
 public:
  explicit Schema(std::string_view relative_path);
  Schema(const Schema&) = delete;
  Schema& operator=(const Schema&) = delete;

  element root() const { return root_; }
  // Whether `json` is JSON and valid against the schema.
  bool Valid(std::string_view json);
  // `node` with a local $ref followed (one level, as the schemas use them).
  element Deref(element node) const;

 private:
  std::string text_;
  simdjson::dom::parser parser_;
  simdjson::dom::parser doc_parser_;
  element root_;
};

// A tiny ordered JSON tree. Members are parallel key/value vectors: std::vector of an incomplete
// type is allowed, std::pair of one is not (clang rejects it).
struct Json {
  std::string raw;                // a scalar or any literal JSON text
  std::vector<std::string> keys;  // when an object
  std::vector<Json> values;       // object member values, or array items
  enum class Kind { kRaw, kObject, kArray } kind = Kind::kRaw;

  static Json Raw(std::string text);
  static Json Of(Kind kind);
  std::string Dump() const;
  // Sets the value at `path` from `at` on, creating object members (and a first array item).
  void Set(const std::vector<std::string>& path, size_t at, const std::string& value);
};

// "imaging.thrombi[0].side" for {"imaging", "thrombi", "[0]", "side"}.
std::string DottedPath(const std::vector<std::string>& path);

// Every object node of the schema reached through "properties" and "items", with its path.
struct ObjectNode {
  std::vector<std::string> path;
  element schema;
};
std::vector<ObjectNode> CollectObjects(const Schema& s);

std::set<std::string> PropertyNames(element object_schema);
std::set<std::string> RequiredNames(element object_schema);

// Adds to `out` the field's enum values, values at and 0.5 either side of its bounds, and for an
// array of enum values: each alone, each twice (uniqueItems) and all of them.
void AddSchemaDerivedSamples(const Schema& s, element field, std::vector<std::string>& out);

// The parser under test: whether it accepts a document, and the errors it reports when it does not.
struct Parsed {
  bool ok = false;
  core::Errors errors;
};
using ParseErrors = std::function<Parsed(std::string_view json)>;

// The keys the parser allows in the object at `path` of `base`, read from its unknown_field error.
std::set<std::string> ParserAllowedKeys(const Json& base, const std::vector<std::string>& path,
                                        const ParseErrors& parse);

// The schema is draft 2020-12 and every object in it has "additionalProperties": false.
void ExpectDraft202012AndClosedEverywhere(const Schema& s);
// Both directions: every schema property is a key the parser accepts, and every key the parser
// accepts is a schema property.
void ExpectPropertiesAreExactlyTheParsersKeys(const Schema& s, const Json& base,
                                              const ParseErrors& parse);
// null is "unknown" for optional fields and a "required" error for required ones, in both.
void ExpectRequiredFieldsAgree(const Schema& s, const Json& base, const ParseErrors& parse);
// For every field, each of `common_samples` and the schema-derived samples set on `base`: the parser
// accepts the document exactly when the schema does. Returns the number of documents tried.
int ExpectSameVerdictFieldByField(Schema& s, const Json& base,
                                  const std::vector<std::string>& common_samples,
                                  const ParseErrors& parse);

}  // namespace calfdvt::formats::schema_check
