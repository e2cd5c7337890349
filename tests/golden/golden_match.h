// Partial matching of an expected JSON value against an actual one, for golden clinical cases
// (tests/golden/README.md). Pure functions over simdjson DOM elements; both elements must stay
// valid (their parsers alive and unused) for the duration of a call.
//
// Semantics of Match(expected, actual):
//  - object: every expected key must be present in actual and match; extra actual keys are fine.
//    An object whose keys all start with '$' is an operator on an actual ARRAY instead:
//      {"$contains": [..]}  every listed item matches some element;
//      {"$excludes": [..]}  no listed item matches any element;
//      {"$set": [..]}       same length, and the items match distinct elements in any order.
//    An item matches an element when Match(item, element) reports nothing (so objects match
//    partially: {"code": "x"} matches any alert with that code). Operators may be combined.
//  - array: same length, element by element.
//  - scalar: equal; numbers compare exactly as doubles (5 equals 5.0); null only matches null.
#pragma once

#include <simdjson.h>

#include <string>
#include <string_view>
#include <vector>

namespace calfdvt::golden {

// One difference, located by a JSON path such as "alerts[1].code" ("" is the root).
struct Mismatch {
  std::string path;
  std::string expected;  // JSON text, or a description
  std::string actual;    // JSON text, or a description
  std::string why;       // short reason ("missing key", "not equal", ...)
};

// Appends every difference between `expected` and `actual` to `out`.
void Match(simdjson::dom::element expected, simdjson::dom::element actual, const std::string& path,
           std::vector<Mismatch>& out);

// True when Match would report nothing.
bool Matches(simdjson::dom::element expected, simdjson::dom::element actual);

// The "expect_features" shorthand: {"feature_id": "present" | {partial feature object}, ...}
// checked against actual["features"] (entries located by "id").
void MatchFeatures(simdjson::dom::element expected, simdjson::dom::element actual_root,
                   std::vector<Mismatch>& out);

// The "expect_alert_codes" shorthand: the sorted list of actual["alerts"][*].code must equal the
// sorted expected list exactly (so an unexpected alert fails).
void MatchAlertCodes(simdjson::dom::element expected, simdjson::dom::element actual_root,
                     std::vector<Mismatch>& out);

// Compact JSON text of an element, cut to `max_chars` (for messages).
std::string Render(simdjson::dom::element e, size_t max_chars = 400);

// "path: why\n  expected: ...\n  actual:   ..." for each mismatch, prefixed by the case id.
std::string Describe(std::string_view case_id, const std::vector<Mismatch>& mismatches);

}  // namespace calfdvt::golden
