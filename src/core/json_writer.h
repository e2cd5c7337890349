// A small streaming JSON writer. It produces RFC 8259 JSON (UTF-8 passed through, control
// characters escaped) and never allocates beyond the output buffer. Not thread-safe; one writer
// per output.
//
// Two sinks share one implementation (so their bytes cannot differ):
//   JsonWriter        appends to a caller-owned std::string as it goes; `out` is valid at any time.
//   JsonBufferWriter  writes into `out` by bumping a pointer (hot paths inline, no per-call
//                     capacity bookkeeping); `out` holds exactly the document only after Finish()
//                     or the writer's destruction. For serialisers on the hot path (batch, API).
#pragma once

#include <bit>
#include <cassert>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

#include "core/date.h"

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace calfdvt::core {

namespace json_internal {

// Bit 7 of each byte of the result is set where that byte of `w` needs escaping in a JSON
// string: a control byte (< 0x20), '"' or '\\'. Exact for the lowest flagged byte (a borrow can
// only flag bytes above a true hit), which is all FirstEscape needs.
inline uint64_t EscapeMask(uint64_t w) {
  constexpr uint64_t kOnes = 0x0101010101010101ull;
  constexpr uint64_t kHigh = 0x8080808080808080ull;
  const uint64_t quote = w ^ (kOnes * '"');
  const uint64_t backslash = w ^ (kOnes * '\\');
  const uint64_t control = (w - kOnes * 0x20) & ~w;
  return (control | ((quote - kOnes) & ~quote) | ((backslash - kOnes) & ~backslash)) & kHigh;
}

#if defined(__SSE2__)
// Bit k is set where byte k of the 16 at `p` needs escaping (exact, unlike EscapeMask).
inline unsigned EscapeBits16(const char* p) {
  const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
  const __m128i control = _mm_cmpeq_epi8(_mm_min_epu8(v, _mm_set1_epi8(0x1F)), v);  // v <= 0x1F
  const __m128i quote = _mm_cmpeq_epi8(v, _mm_set1_epi8('"'));
  const __m128i backslash = _mm_cmpeq_epi8(v, _mm_set1_epi8('\\'));
  return static_cast<unsigned>(
      _mm_movemask_epi8(_mm_or_si128(control, _mm_or_si128(quote, backslash))));
}
#endif

// Index of the first byte of s[from..] that needs escaping, or s.size().
inline size_t FirstEscape(std::string_view s, size_t from) {
  static_assert(std::endian::native == std::endian::little, "EscapeMask assumes little-endian");
  size_t i = from;
#if defined(__SSE2__)
  if (s.size() - from >= 16) {  // 16 bytes at a time; the last block overlaps the one before
    for (; i + 16 <= s.size(); i += 16)
      if (const unsigned m = EscapeBits16(s.data() + i))
        return i + static_cast<size_t>(std::countr_zero(m));
    if (i == s.size()) return i;
    const size_t base = s.size() - 16;  // base < i: bytes below i are already known clean
    const unsigned m = EscapeBits16(s.data() + base) >> (i - base);
    return m ? i + static_cast<size_t>(std::countr_zero(m)) : s.size();
  }
#endif
  for (; i + 8 <= s.size(); i += 8) {
    uint64_t w;
    std::memcpy(&w, s.data() + i, 8);  // little-endian: byte k of s is bits 8k..8k+7
    if (const uint64_t m = EscapeMask(w)) return i + static_cast<size_t>(std::countr_zero(m) >> 3);
  }
  for (; i < s.size(); ++i) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c < 0x20 || c == '"' || c == '\\') return i;
  }
  return s.size();
}

// The escaped form of s[from..] (s[from] needs escaping), without quotes, appended to `out`.
void AppendEscapedTail(std::string& out, std::string_view s, size_t from);
// Shortest round-trip form of a finite double, or "null"; returns the end of what was written.
// `buf` must hold 32 bytes.
char* FormatNumber(char* buf, double v);
char* FormatInt(char* buf, int64_t v);  // `buf` must hold 24 bytes

// Appends to a std::string; `out` is complete after every call.
class StringSink {
 public:
  explicit StringSink(std::string& out) : out_(out) {}
  void Put(char c) { out_.push_back(c); }
  void Put(std::string_view s) { out_.append(s.data(), s.size()); }
  // Quoted, escaped string.
  void Quoted(std::string_view s);
  // '"' key '":' for a key that needs no escaping.
  template <size_t N>
  void KeyLiteral(const char* key) {
    out_.push_back('"');
    out_.append(key, N);
    out_.append("\":", 2);
  }

 private:
  std::string& out_;
};

// Writes into a per-thread scratch buffer by bumping a pointer (the scratch keeps its size between
// documents, so it is never zero-filled again), and appends the document to `out` in one copy at
// Finish() (also run by the destructor). A second BufferSink alive on the same thread (nesting)
// gets a scratch of its own.
class BufferSink {
 public:
  explicit BufferSink(std::string& out);
  ~BufferSink() { Finish(); }
  BufferSink(const BufferSink&) = delete;
  BufferSink& operator=(const BufferSink&) = delete;

  void Put(char c) {
    if (p_ == end_) Grow(1);
    *p_++ = c;
  }
  void Put(std::string_view s) {
    if (static_cast<size_t>(end_ - p_) < s.size()) Grow(s.size());
    std::memcpy(p_, s.data(), s.size());
    p_ += s.size();
  }
  void Quoted(std::string_view s) {
    const size_t clean = FirstEscape(s, 0);
    if (static_cast<size_t>(end_ - p_) < clean + 3) Grow(clean + 3);
    *p_ = '"';
    std::memcpy(p_ + 1, s.data(), clean);
    p_ += clean + 1;
    if (clean < s.size()) Escaped(s, clean);
    Put('"');
  }
  template <size_t N>
  void KeyLiteral(const char* key) {
    if (static_cast<size_t>(end_ - p_) < N + 3) Grow(N + 3);
    p_[0] = '"';
    std::memcpy(p_ + 1, key, N);
    p_[N + 1] = '"';
    p_[N + 2] = ':';
    p_ += N + 3;
  }
  void Finish();

 private:
  void Grow(size_t n);
  void Escaped(std::string_view s, size_t from);
  std::string& out_;
  std::string* buf_;  // the thread's scratch, or own_ when nested; its size is the capacity
  std::string own_;
  char* p_ = nullptr;    // next byte to write in *buf_
  char* end_ = nullptr;  // buf_->data() + buf_->size()
  bool owns_scratch_ = false;  // this sink holds the thread's scratch
  bool finished_ = false;
};

}  // namespace json_internal

template <class Sink>
class BasicJsonWriter {
 public:
  explicit BasicJsonWriter(std::string& out) : sink_(out) {}

  BasicJsonWriter& BeginObject() { return Open('{'); }
  BasicJsonWriter& EndObject() { return Close('}'); }
  BasicJsonWriter& BeginArray() { return Open('['); }
  BasicJsonWriter& EndArray() { return Close(']'); }
  BasicJsonWriter& Key(std::string_view key) {
    Separate();
    sink_.Quoted(key);
    sink_.Put(':');
    after_key_ = true;
    return *this;
  }
  // A key given as a string literal of plain characters (no '"', '\\' or control bytes; checked
  // in debug builds): written without the escaping scan. Every key in calfdvt's own formats.
  template <size_t N>
  BasicJsonWriter& Key(const char (&key)[N]) {
    static_assert(N >= 2, "empty key literal");
    assert(key[N - 1] == '\0' && json_internal::FirstEscape({key, N - 1}, 0) == N - 1 &&
           std::char_traits<char>::length(key) == N - 1);
    Separate();
    sink_.template KeyLiteral<N - 1>(key);
    after_key_ = true;
    return *this;
  }
  BasicJsonWriter& String(std::string_view s) {
    Separate();
    sink_.Quoted(s);
    return *this;
  }
  // Shortest round-trip form; non-finite values become null.
  BasicJsonWriter& Number(double v) {
    Separate();
    char buf[32];
    sink_.Put(std::string_view(buf, json_internal::FormatNumber(buf, v) - buf));
    return *this;
  }
  BasicJsonWriter& Int(int64_t v) {
    Separate();
    char buf[24];
    sink_.Put(std::string_view(buf, json_internal::FormatInt(buf, v) - buf));
    return *this;
  }
  BasicJsonWriter& Bool(bool v) {
    Separate();
    sink_.Put(v ? std::string_view("true") : std::string_view("false"));
    return *this;
  }
  BasicJsonWriter& Null() {
    Separate();
    sink_.Put(std::string_view("null"));
    return *this;
  }
  BasicJsonWriter& DateValue(Date d) {
    Separate();
    char buf[12];
    buf[0] = '"';
    d.Format(buf + 1);
    buf[11] = '"';
    sink_.Put(std::string_view(buf, 12));
    return *this;
  }
  // Appends an already-serialised JSON value verbatim.
  BasicJsonWriter& Raw(std::string_view json) {
    Separate();
    sink_.Put(json);
    return *this;
  }

  // Appends `head`, the serialised start of an object as this writer writes it: '{', zero or
  // more members, then one more key ("...\"key\":"). The caller writes that key's value next,
  // then any further members, then EndObject(). For serialisers that render constant parts once.
  BasicJsonWriter& RawObjectHead(std::string_view head) {
    Separate();
    sink_.Put(head);
    ++depth_;
    has_element_ |= uint64_t{1} << (depth_ - 1);
    after_key_ = true;
    return *this;
  }
  // Appends `part`, serialised content of the current container from where the next value (or
  // member) goes: comma-separated values of an array, or members of an object, the first of
  // which may be a bare value right after a Key(). With `ends_with_key`, `part` ends with a key
  // ("...\"key\":") whose value the caller writes next.
  BasicJsonWriter& RawPart(std::string_view part, bool ends_with_key = false) {
    Separate();
    sink_.Put(part);
    after_key_ = ends_with_key;
    return *this;
  }

  // Convenience: key + value.
  template <class F>
  BasicJsonWriter& Field(std::string_view key, F&& write_value) {
    Key(key);
    write_value(*this);
    return *this;
  }

  // Appends `s` as a quoted, escaped JSON string.
  static void AppendEscaped(std::string& out, std::string_view s) {
    json_internal::StringSink(out).Quoted(s);
  }

  Sink& sink() { return sink_; }

 private:
  void Separate() {
    if (after_key_) {
      after_key_ = false;
      return;
    }
    if (depth_ > 0) {
      const uint64_t bit = uint64_t{1} << (depth_ - 1);
      if (has_element_ & bit) sink_.Put(',');
      has_element_ |= bit;
    }
  }
  BasicJsonWriter& Open(char c) {
    Separate();
    sink_.Put(c);
    ++depth_;
    has_element_ &= ~(uint64_t{1} << (depth_ - 1));
    return *this;
  }
  BasicJsonWriter& Close(char c) {
    sink_.Put(c);
    --depth_;
    return *this;
  }

  Sink sink_;
  // Bit i set: the container at depth i already holds an element. Depth is bounded at 64.
  uint64_t has_element_ = 0;
  int depth_ = 0;
  bool after_key_ = false;
};

using JsonWriter = BasicJsonWriter<json_internal::StringSink>;

// As JsonWriter; `out` holds the document only after Finish() or destruction.
class JsonBufferWriter : public BasicJsonWriter<json_internal::BufferSink> {
 public:
  using BasicJsonWriter::BasicJsonWriter;
  void Finish() { sink().Finish(); }
};

}  // namespace calfdvt::core
