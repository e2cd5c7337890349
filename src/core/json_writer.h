// A small streaming JSON writer that appends to a caller-owned std::string. It produces
// RFC 8259 JSON (UTF-8 passed through, control characters escaped) and never allocates beyond
// the output buffer. Not thread-safe; one writer per output.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "core/date.h"

namespace calfdvt::core {

class JsonWriter {
 public:
  explicit JsonWriter(std::string& out) : out_(out) {}

  JsonWriter& BeginObject();
  JsonWriter& EndObject();
  JsonWriter& BeginArray();
  JsonWriter& EndArray();
  JsonWriter& Key(std::string_view key);
  JsonWriter& String(std::string_view s);
  JsonWriter& Number(double v);  // shortest round-trip form; non-finite values become null
  JsonWriter& Int(int64_t v);
  JsonWriter& Bool(bool v);
  JsonWriter& Null();
  JsonWriter& DateValue(Date d);
  // Appends an already-serialised JSON value verbatim.
  JsonWriter& Raw(std::string_view json);

  // Convenience: key + value.
  template <class F>
  JsonWriter& Field(std::string_view key, F&& write_value) {
    Key(key);
    write_value(*this);
    return *this;
  }

  static void AppendEscaped(std::string& out, std::string_view s);

 private:
  void Separate();

  std::string& out_;
  // Bit i set: the container at depth i already holds an element. Depth is bounded at 64.
  uint64_t has_element_ = 0;
  int depth_ = 0;
  bool after_key_ = false;
};

}  // namespace calfdvt::core
