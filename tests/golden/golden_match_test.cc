// The golden matcher must be able to fail: each operator is checked on a match and a mismatch,
// and mismatches must name the JSON path.
#include "tests/golden/golden_match.h"

#include <gtest/gtest.h>

namespace calfdvt::golden {
namespace {

// Parses two documents and keeps them alive for the comparison.
struct Pair {
  simdjson::dom::parser pe, pa;
  simdjson::dom::element e, a;
  Pair(const std::string& expected, const std::string& actual) {
    EXPECT_EQ(pe.parse(expected).get(e), simdjson::SUCCESS) << expected;
    EXPECT_EQ(pa.parse(actual).get(a), simdjson::SUCCESS) << actual;
  }
  std::vector<Mismatch> Diffs() {
    std::vector<Mismatch> out;
    Match(e, a, "", out);
    return out;
  }
};

TEST(GoldenMatchTest, ObjectsMatchPartially) {
  EXPECT_TRUE(Pair(R"({"a": 1})", R"({"a": 1, "b": 2})").Diffs().empty());
  auto d = Pair(R"({"x": {"a": 1}})", R"({"x": {"b": 1}})").Diffs();
  ASSERT_EQ(d.size(), 1u);
  EXPECT_EQ(d[0].path, "x.a");
  EXPECT_EQ(d[0].why, "missing key");
}

TEST(GoldenMatchTest, ScalarsAreExact) {
  EXPECT_TRUE(Pair(R"({"n": 5})", R"({"n": 5.0})").Diffs().empty());
  EXPECT_FALSE(Pair(R"({"n": 5})", R"({"n": 5.000001})").Diffs().empty());
  EXPECT_FALSE(Pair(R"({"n": null})", R"({"n": 0})").Diffs().empty());
  EXPECT_FALSE(Pair(R"({"s": "a"})", R"({"s": "ab"})").Diffs().empty());
  EXPECT_FALSE(Pair(R"({"b": false})", R"({"b": null})").Diffs().empty());
  auto d = Pair(R"({"x": [1, {"y": "a"}]})", R"({"x": [1, {"y": "b"}]})").Diffs();
  ASSERT_EQ(d.size(), 1u);
  EXPECT_EQ(d[0].path, "x[1].y");
  EXPECT_EQ(d[0].expected, R"("a")");
  EXPECT_EQ(d[0].actual, R"("b")");
}

TEST(GoldenMatchTest, ArraysAreElementByElement) {
  EXPECT_TRUE(Pair(R"([{"c": 1}, 2])", R"([{"c": 1, "d": 0}, 2])").Diffs().empty());
  EXPECT_FALSE(Pair(R"([1, 2])", R"([2, 1])").Diffs().empty());
  EXPECT_FALSE(Pair(R"([1])", R"([1, 2])").Diffs().empty());
}

TEST(GoldenMatchTest, ContainsAndExcludes) {
  const std::string alerts = R"([{"code": "a", "severity": "info"}, {"code": "b"}])";
  EXPECT_TRUE(Pair(R"({"$contains": [{"code": "b"}]})", alerts).Diffs().empty());
  EXPECT_FALSE(Pair(R"({"$contains": [{"code": "c"}]})", alerts).Diffs().empty());
  EXPECT_FALSE(
      Pair(R"({"$contains": [{"code": "a", "severity": "critical"}]})", alerts).Diffs().empty());
  EXPECT_TRUE(Pair(R"({"$excludes": [{"code": "c"}]})", alerts).Diffs().empty());
  auto d = Pair(R"({"$excludes": [{"code": "b"}]})", alerts).Diffs();
  ASSERT_EQ(d.size(), 1u);
  EXPECT_EQ(d[0].path, "[1]");
  EXPECT_TRUE(Pair(R"({"$contains": ["x"], "$excludes": ["y"]})", R"(["x", "z"])").Diffs().empty());
  EXPECT_FALSE(Pair(R"({"$contains": ["x"]})", R"({"x": 1})").Diffs().empty());
}

TEST(GoldenMatchTest, SetIgnoresOrderButNotLength) {
  EXPECT_TRUE(Pair(R"({"$set": ["a", "b"]})", R"(["b", "a"])").Diffs().empty());
  EXPECT_FALSE(Pair(R"({"$set": ["a", "b"]})", R"(["b", "a", "c"])").Diffs().empty());
  EXPECT_FALSE(Pair(R"({"$set": ["a", "a"]})", R"(["a", "b"])").Diffs().empty());
  // Needs backtracking: {"k":1} could take either element, {"k":1,"m":2} only the second.
  EXPECT_TRUE(Pair(R"({"$set": [{"k": 1}, {"k": 1, "m": 2}]})", R"([{"k": 1, "m": 2}, {"k": 1}])")
                  .Diffs()
                  .empty());
}

TEST(GoldenMatchTest, UnknownOperatorIsAnError) {
  EXPECT_FALSE(Pair(R"({"$contain": ["a"]})", R"(["a"])").Diffs().empty());
}

TEST(GoldenMatchTest, FeatureAndAlertShorthands) {
  const std::string doc = R"({"features": [{"id": "f1", "status": "present", "value": 5.1},
                                           {"id": "f2", "status": "absent"}],
                              "alerts": [{"code": "b"}, {"code": "a"}]})";
  Pair ok(R"({"f1": "present", "f2": {"status": "absent"}})", doc);
  std::vector<Mismatch> out;
  MatchFeatures(ok.e, ok.a, out);
  EXPECT_TRUE(out.empty()) << Describe("t", out);
  Pair bad(R"({"f1": "absent", "f3": "present"})", doc);
  MatchFeatures(bad.e, bad.a, out);
  ASSERT_EQ(out.size(), 2u);
  EXPECT_EQ(out[0].path, "features[id=f1].status");
  EXPECT_EQ(out[1].path, "features[id=f3]");
  out.clear();
  Pair codes(R"(["a", "b"])", doc);
  MatchAlertCodes(codes.e, codes.a, out);
  EXPECT_TRUE(out.empty());
  Pair fewer(R"(["a"])", doc);
  MatchAlertCodes(fewer.e, fewer.a, out);
  EXPECT_EQ(out.size(), 1u);
}

}  // namespace
}  // namespace calfdvt::golden
