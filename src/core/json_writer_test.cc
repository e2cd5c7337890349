#include "core/json_writer.h"

#include <gtest/gtest.h>

#include <charconv>
#include <cmath>
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

namespace calfdvt::core {
namespace {

// The block scans in AppendEscaped (16 bytes with SSE2, the last block overlapping, 8-byte words
// otherwise) must agree with a plain byte loop for every byte value at every position relative
// to the blocks, and across several escapes in a block; both sinks.
std::string ReferenceEscape(std::string_view s) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out = "\"";
  for (unsigned char c : s) {
    if (c == '"') out += "\\\"";
    else if (c == '\\') out += "\\\\";
    else if (c == '\n') out += "\\n";
    else if (c == '\r') out += "\\r";
    else if (c == '\t') out += "\\t";
    else if (c == '\b') out += "\\b";
    else if (c == '\f') out += "\\f";
    else if (c < 0x20) out += std::string("\\u00") + kHex[c >> 4] + kHex[c & 15];
    else out += static_cast<char>(c);
  }
  return out + "\"";
}

TEST(JsonWriterTest, WordScanEscapesEveryByteAtEveryOffset) {
  for (int byte = 0; byte < 256; ++byte) {
    for (size_t len = 1; len <= 40; ++len) {
      for (size_t pos = 0; pos < len; ++pos) {
        std::string s(len, 'a');
        s[pos] = static_cast<char>(byte);
        if (pos + 2 < len) s[pos + 2] = '"';  // a second escape in the same word
        std::string out;
        JsonWriter::AppendEscaped(out, s);
        ASSERT_EQ(out, ReferenceEscape(s)) << "byte " << byte << " len " << len << " pos " << pos;
        std::string buffered;
        JsonBufferWriter(buffered).String(s);
        ASSERT_EQ(buffered, out) << "byte " << byte << " len " << len << " pos " << pos;
      }
    }
  }
}

// Pre-rendered parts spliced with RawObjectHead and RawPart give the bytes of writing them out.
TEST(JsonWriterTest, RawPartsSpliceLikeTheWritesTheyStandFor) {
  auto whole = [](auto& w) {
    w.BeginArray();
    for (int i = 0; i < 2; ++i) {
      w.BeginObject();
      w.Key("id").Int(i).Key("status").String("absent").Key("counted").Bool(true).Key("value");
      w.Number(2.5);
      w.Key("rule").String("R3").Key("sources").BeginArray().String("a").EndArray();
      w.EndObject();
    }
    w.EndArray();
  };
  std::string expected;
  JsonWriter plain(expected);
  whole(plain);
  for (int sink = 0; sink < 2; ++sink) {
    std::string out;
    auto spliced = [&](auto& w) {
      w.BeginArray();
      for (int i = 0; i < 2; ++i) {
        w.RawObjectHead(i == 0 ? "{\"id\":0,\"status\":" : "{\"id\":1,\"status\":");
        w.RawPart("\"absent\",\"counted\":true,\"value\":", /*ends_with_key=*/true);
        w.Number(2.5);
        w.RawPart("\"rule\":\"R3\"").RawPart("\"sources\":[\"a\"]");
        w.EndObject();
      }
      w.EndArray();
    };
    if (sink == 0) {
      JsonWriter w(out);
      spliced(w);
    } else {
      JsonBufferWriter w(out);
      spliced(w);
      w.Finish();
    }
    EXPECT_EQ(out, expected) << "sink " << sink;
  }
}

TEST(JsonWriterTest, WordScanPassesUtf8AndHighBytesThrough) {
  const std::string s = "\xc3\xa9\xe2\x89\xa5 5 cm \xf0\x9f\x98\x80\x7f\x80\xff";
  std::string out;
  JsonWriter::AppendEscaped(out, s);
  EXPECT_EQ(out, "\"" + s + "\"");
}

}  // namespace
}  // namespace calfdvt::core

namespace calfdvt::core {
namespace {

std::string ToCharsReference(double v) {
  char buf[32];
  return std::string(buf, std::to_chars(buf, buf + sizeof buf, v).ptr);
}

std::string Written(double v) {
  std::string out;
  JsonWriter(out).Number(v);
  return out;
}

// The fast path for values n/100 must write exactly what std::to_chars writes, at and around the
// edges of its range and for values just off the hundredths grid.
TEST(JsonWriterTest, NumberFastPathMatchesToCharsExhaustively) {
  for (int64_t n = -1000100; n <= 1000100; ++n) {
    const double v = static_cast<double>(n) / 100;
    ASSERT_EQ(Written(v), ToCharsReference(v)) << n;
    const double up = std::nextafter(v, 1e9), down = std::nextafter(v, -1e9);
    ASSERT_EQ(Written(up), ToCharsReference(up)) << n;
    ASSERT_EQ(Written(down), ToCharsReference(down)) << n;
  }
  for (double v : {0.0, -0.0, 0.001, 0.005, 0.0099999, 9999.99, 10000.0, 1e-300, 1e300, 0.1 + 0.2,
                   1.0 / 3, 5.05, 7.1, 0.015, 123.455})
    EXPECT_EQ(Written(v), ToCharsReference(v)) << v;
}

}  // namespace
}  // namespace calfdvt::core
