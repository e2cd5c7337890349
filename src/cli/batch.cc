#include "cli/batch.h"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <vector>

#include "cli/common.h"
#include "core/json_writer.h"
#include "formats/assessment_json.h"
#include "formats/case_json.h"
#include "pathway/engine.h"

namespace calfdvt::cli {
namespace {

constexpr size_t kChunk = 1 << 20;       // bytes read per call (cache-sized: L2 is 512 KiB)
constexpr size_t kFlushAt = 128 << 10;   // output buffered before a write (stays in L2)

void ErrorRecord(std::string& out, size_t line, const core::Errors& errors) {
  core::JsonWriter w(out);
  w.BeginObject();
  w.Key("line").Int(static_cast<int64_t>(line));
  w.Key("errors").BeginArray();
  for (const auto& e : errors) {
    w.BeginObject();
    w.Key("path").String(e.path);
    w.Key("rule").String(e.rule);
    w.Key("message").String(e.message);
    w.EndObject();
  }
  w.EndArray();
  w.EndObject();
  out.push_back('\n');
}

}  // namespace

int RunBatch(const std::string& path, const pathway::Knowledge& k, const pathway::ProfileDef& p) {
  FILE* in = path == "-" ? stdin : std::fopen(path.c_str(), "rb");
  if (!in) {
    std::fprintf(stderr, "error: cannot read %s: %s\n", path.c_str(), std::strerror(errno));
    return kExitInvalid;
  }
  formats::CaseParser parser;
  formats::AssessmentJsonWriter writer(k);  // knowledge texts escaped once, not per line
  pathway::Assessment assessment;           // reused: its vectors keep their capacity
  // buf holds [carry-over of an unfinished line][new chunk][padding for the JSON parser].
  std::vector<char> buf(kChunk + formats::CaseParser::kPadding);
  size_t have = 0;
  std::string out;
  out.reserve(kFlushAt + (1 << 16));
  size_t line_no = 0, assessed = 0, rejected = 0;
  bool io_error = false;
  auto flush = [&] {
    if (!out.empty() && std::fwrite(out.data(), 1, out.size(), stdout) != out.size()) io_error = true;
    out.clear();
  };
  auto handle = [&](const char* begin, size_t len) {
    ++line_no;
    while (len && (begin[len - 1] == '\r' || begin[len - 1] == ' ' || begin[len - 1] == '\t')) --len;
    size_t start = 0;
    while (start < len && (begin[start] == ' ' || begin[start] == '\t')) ++start;
    if (start == len) return;  // blank lines are benign
    auto c = parser.ParsePadded(std::string_view(begin + start, len - start), k);
    if (!c.ok()) {
      ++rejected;
      ErrorRecord(out, line_no, c.errors());
    } else {
      ++assessed;
      pathway::Assess(*c, k, p, assessment);
      writer.Append(assessment, out);
      out.push_back('\n');
    }
    if (out.size() >= kFlushAt) flush();
  };
  bool eof = false;
  while (!eof && !io_error) {
    if (have == kChunk) {  // a single line longer than the buffer: grow it
      buf.resize(buf.size() * 2);
    }
    const size_t capacity = buf.size() - formats::CaseParser::kPadding;
    const size_t n = std::fread(buf.data() + have, 1, capacity - have, in);
    if (n == 0) {
      if (std::ferror(in)) io_error = true;
      eof = true;
    }
    have += n;
    size_t pos = 0;
    while (true) {
      const void* nl = std::memchr(buf.data() + pos, '\n', have - pos);
      if (!nl) break;
      const size_t end = static_cast<size_t>(static_cast<const char*>(nl) - buf.data());
      handle(buf.data() + pos, end - pos);
      pos = end + 1;
    }
    if (eof && pos < have) {
      std::memset(buf.data() + have, 0, formats::CaseParser::kPadding);
      handle(buf.data() + pos, have - pos);
      pos = have;
    }
    std::memmove(buf.data(), buf.data() + pos, have - pos);
    have -= pos;
  }
  flush();
  if (in != stdin) std::fclose(in);
  if (std::fflush(stdout) != 0) io_error = true;
  std::fprintf(stderr, "calfdvt: %zu line%s: %zu assessed, %zu rejected\n", line_no,
               line_no == 1 ? "" : "s", assessed, rejected);
  if (io_error) {
    std::fprintf(stderr, "error: I/O failure while reading %s or writing the output\n", path.c_str());
    return kExitInternal;
  }
  return rejected ? kExitInvalid : kExitOk;
}

}  // namespace calfdvt::cli
