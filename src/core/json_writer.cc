#include "core/json_writer.h"

#include <algorithm>
#include <charconv>
#include <cmath>

namespace calfdvt::core::json_internal {

void AppendEscapedTail(std::string& out, std::string_view s, size_t from) {
  static constexpr char kHex[] = "0123456789abcdef";
  size_t run = from;
  for (size_t i = from; i < s.size(); i = FirstEscape(s, i + 1)) {
    const unsigned char c = static_cast<unsigned char>(s[i]);
    out.append(s.data() + run, i - run);
    run = i + 1;
    switch (c) {
      case '"': out.append("\\\""); break;
      case '\\': out.append("\\\\"); break;
      case '\n': out.append("\\n"); break;
      case '\r': out.append("\\r"); break;
      case '\t': out.append("\\t"); break;
      case '\b': out.append("\\b"); break;
      case '\f': out.append("\\f"); break;
      default: {
        const char esc[6] = {'\\', 'u', '0', '0', kHex[c >> 4], kHex[c & 15]};
        out.append(esc, 6);
      }
    }
  }
  out.append(s.data() + run, s.size() - run);
}

char* FormatNumber(char* buf, double v) {
  if (!std::isfinite(v)) {
    std::memcpy(buf, "null", 4);
    return buf + 4;
  }
  // Fast path for the clinical values that dominate (lengths, diameters, D-dimers, rates): a value
  // in [0.01, 10000) that is exactly n/100 as a double. Its shortest round-trip form is that
  // decimal with trailing zeros dropped (another string of as few digits differs by >= 0.01, far
  // more than an ulp), and the fixed form is shorter than the scientific one in this range, so
  // this writes the same bytes as std::to_chars (checked exhaustively in json_writer_test).
  const double a = std::fabs(v);
  if (a >= 0.01 && a < 10000) {
    const double r = std::nearbyint(a * 100);
    if (r / 100 == a) {
      const auto n = static_cast<uint32_t>(r);
      char* p = buf;
      if (std::signbit(v)) *p++ = '-';
      p = std::to_chars(p, p + 8, n / 100).ptr;
      const uint32_t frac = n % 100;
      if (frac) {
        *p++ = '.';
        *p++ = static_cast<char>('0' + frac / 10);
        if (frac % 10) *p++ = static_cast<char>('0' + frac % 10);
      }
      return p;
    }
  }
  return std::to_chars(buf, buf + 32, v).ptr;
}

char* FormatInt(char* buf, int64_t v) { return std::to_chars(buf, buf + 24, v).ptr; }

void StringSink::Quoted(std::string_view s) {
  const size_t clean = FirstEscape(s, 0);
  out_.push_back('"');
  out_.append(s.data(), clean);
  if (clean < s.size()) AppendEscapedTail(out_, s, clean);
  out_.push_back('"');
}

namespace {
thread_local std::string t_scratch;
thread_local bool t_scratch_in_use = false;
}  // namespace

BufferSink::BufferSink(std::string& out) : out_(out) {
  if (!t_scratch_in_use) {
    t_scratch_in_use = true;
    owns_scratch_ = true;
    buf_ = &t_scratch;
  } else {
    buf_ = &own_;
  }
  if (buf_->size() < 16384) buf_->resize(16384);
  p_ = buf_->data();
  end_ = p_ + buf_->size();
}

void BufferSink::Finish() {
  if (finished_) return;
  finished_ = true;
  out_.append(buf_->data(), static_cast<size_t>(p_ - buf_->data()));
  if (owns_scratch_) {
    t_scratch_in_use = false;
    // A huge document does not pin its memory to the thread for ever.
    if (t_scratch.size() > (size_t{1} << 22)) std::string().swap(t_scratch);
  }
}

void BufferSink::Grow(size_t n) {
  const size_t used = static_cast<size_t>(p_ - buf_->data());
  buf_->resize(std::max(buf_->size() * 2, used + n));
  p_ = buf_->data() + used;
  end_ = buf_->data() + buf_->size();
}

void BufferSink::Escaped(std::string_view s, size_t from) {
  // Rare path (texts with quotes or control bytes): escape via a std::string, then copy.
  std::string tail;
  AppendEscapedTail(tail, s, from);
  Put(tail);
}

}  // namespace calfdvt::core::json_internal
