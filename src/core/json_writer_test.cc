#include "core/json_writer.h"

#include <gtest/gtest.h>

#include <limits>

namespace calfdvt::core {
namespace {

TEST(JsonWriterTest, WritesNestedContainersWithCommas) {
  std::string out;
  JsonWriter w(out);
  w.BeginObject();
  w.Key("a").Int(1);
  w.Key("b").BeginArray().Bool(true).Null().Number(2.5).EndArray();
  w.Key("c").BeginObject().EndObject();
  w.Key("d").BeginArray().BeginObject().Key("x").String("y").EndObject().BeginObject().EndObject().EndArray();
  w.EndObject();
  EXPECT_EQ(out, R"({"a":1,"b":[true,null,2.5],"c":{},"d":[{"x":"y"},{}]})");
}

TEST(JsonWriterTest, EscapesControlCharactersAndQuotes) {
  std::string out;
  JsonWriter w(out);
  w.String(std::string_view("a\"b\\c\n\x01\xc3\xa9", 9));
  EXPECT_EQ(out, "\"a\\\"b\\\\c\\n\\u0001\xc3\xa9\"");
}

TEST(JsonWriterTest, NumbersUseShortestFormAndNonFiniteBecomesNull) {
  std::string out;
  JsonWriter w(out);
  w.BeginArray().Number(0.1).Number(5).Number(0.016).Number(std::numeric_limits<double>::infinity()).Int(-3).EndArray();
  EXPECT_EQ(out, "[0.1,5,0.016,null,-3]");
}

TEST(JsonWriterTest, WritesDates) {
  std::string out;
  JsonWriter w(out);
  w.DateValue(*Date::Parse("2027-02-28"));
  EXPECT_EQ(out, "\"2027-02-28\"");
}

}  // namespace
}  // namespace calfdvt::core
