#include "cli/scan_engine.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <ctime>
#include <mutex>
#include <thread>
#include <unordered_map>
#include <unordered_set>

#include "cli/bulk_input.h"
#include "cli/progress.h"
#include "fhir/record.h"
#include "pathway/engine.h"
#include "population/care_gaps.h"
#include "population/line_probe.h"

namespace calfdvt::cli {
namespace {

using population::LineProbe;
using Clock = std::chrono::steady_clock;

double Since(Clock::time_point t) { return std::chrono::duration<double>(Clock::now() - t).count(); }

double CpuNow() {
  timespec ts{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}

struct StringHash {
  using is_transparent = void;
  size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
};
using IdIndex = std::unordered_map<std::string, uint32_t, StringHash, std::equal_to<>>;

// What one chunk yielded; merged in chunk order after the pass.
struct ChunkResult {
  int64_t lines = 0;
  std::vector<std::pair<int64_t, std::string>> errors;  // line within the chunk (1-based), message
};

// A candidate's line, kept for the mapping.
struct KeptLine {
  uint32_t candidate;
  uint32_t chunk;
  int64_t line;  // within the chunk
  std::string text;
};

// What one worker accumulates in pass 2; one cache line each, so workers never share one.
struct alignas(64) WorkerTally {
  int64_t resources = 0;
  int64_t patients = 0;
  std::vector<KeptLine> kept;
};

// Reads chunks with `threads` workers; `handle(worker, chunk_index, line_in_chunk, line)` is called
// for every non-blank line (trimmed), each chunk by one worker, lines in order. Returns false and
// sets *error on a read failure.
template <class Handle>
bool ForEachLine(const BulkInput& in, const std::vector<Chunk>& chunks, int threads, Progress& progress,
                 std::vector<ChunkResult>& results, Handle&& handle, std::string* error) {
  results.assign(chunks.size(), {});
  std::atomic<size_t> next{0};
  std::atomic<bool> failed{false};
  std::mutex error_mu;
  auto worker = [&](int w) {
    std::vector<char> buf;
    std::vector<int> fds(in.files.size(), -1);
    for (size_t ci; !failed.load(std::memory_order_relaxed) && (ci = next.fetch_add(1)) < chunks.size();) {
      const Chunk& c = chunks[ci];
      const size_t len = static_cast<size_t>(c.end - c.begin);
      if (buf.size() < len + LineProbe::kPadding) buf.assign(len + LineProbe::kPadding, 0);
      int& fd = fds[c.file];
      if (fd < 0) fd = ::open(in.files[c.file].path.c_str(), O_RDONLY | O_CLOEXEC);
      size_t got = 0;
      while (fd >= 0 && got < len) {
        const ssize_t n = ::pread(fd, buf.data() + got, len - got, static_cast<off_t>(c.begin + got));
        if (n <= 0) break;
        got += static_cast<size_t>(n);
      }
      if (got < len) {
        std::lock_guard lock(error_mu);
        *error = "cannot read " + in.files[c.file].name + ": " + (errno ? std::strerror(errno) : "file shrank");
        failed = true;
        break;
      }
      std::memset(buf.data() + len, ' ', LineProbe::kPadding);
      ChunkResult& r = results[ci];
      const char* p = buf.data();
      const char* end = p + len;
      while (p < end) {
        const char* nl = static_cast<const char*>(std::memchr(p, '\n', static_cast<size_t>(end - p)));
        const char* line_end = nl ? nl : end;
        ++r.lines;
        const char* b = p;
        const char* e = line_end;
        while (b < e && (*b == ' ' || *b == '\t')) ++b;
        while (e > b && (e[-1] == '\r' || e[-1] == ' ' || e[-1] == '\t')) --e;
        if (b < e) handle(w, ci, r.lines, std::string_view(b, static_cast<size_t>(e - b)), r);
        p = line_end + 1;
      }
      progress.Add(len);
    }
    for (int fd : fds)
      if (fd >= 0) ::close(fd);
  };
  std::vector<std::thread> pool;
  for (int w = 1; w < threads; ++w) pool.emplace_back(worker, w);
  worker(0);
  for (auto& t : pool) t.join();
  return !failed.load();
}

uint64_t Bytes(const std::vector<Chunk>& chunks) {
  uint64_t n = 0;
  for (const auto& c : chunks) n += c.end - c.begin;
  return n;
}

int OverdueGrace(const pathway::Knowledge& k) {
  int grace = 0;
  for (const auto& s : k.surveillance.scans) grace = std::max(grace, s.window_after_days);
  return grace;
}

}  // namespace

core::Result<population::ScanReport> RunScan(const ScanOptions& o, const pathway::Knowledge& k,
                                             const pathway::ProfileDef& profile,
                                             const fhir::CodeMap& codes, ScanTimings* timings) {
  using R = core::Result<population::ScanReport>;
  ScanTimings t;
  auto t0 = Clock::now();
  double c0 = CpuNow();
  auto input = DiscoverExport(o.dir);
  if (!input.ok()) return R(input.kind(), input.errors());
  const BulkInput& in = *input;
  std::vector<bool> pass1_files(in.files.size()), all_files(in.files.size(), true);
  for (size_t f = 0; f < in.files.size(); ++f) {
    const std::string& type = in.files[f].type;
    pass1_files[f] = type.empty() || type == "Condition" || type == "DiagnosticReport";
    t.export_bytes += in.files[f].size;
  }
  auto chunks1 = SplitIntoChunks(in, pass1_files, o.chunk_bytes);
  auto chunks2 = SplitIntoChunks(in, all_files, o.chunk_bytes);
  if (!chunks1.ok()) return R(chunks1.kind(), chunks1.errors());
  if (!chunks2.ok()) return R(chunks2.kind(), chunks2.errors());
  t.bytes_read = Bytes(*chunks1) + Bytes(*chunks2);
  t.discover_s = Since(t0);
  t.discover_cpu = CpuNow() - c0;
  const int threads = std::max(1, o.threads);
  std::vector<std::unique_ptr<LineProbe>> probes;
  for (int w = 0; w < threads; ++w) probes.push_back(std::make_unique<LineProbe>(codes));
  std::string read_error;
  auto internal = [&] { return R(core::ErrorKind::kInternal, {{"", "io", read_error}}); };

  Progress progress(o.progress, t.bytes_read);
  // Pass 1: candidates.
  t0 = Clock::now();
  c0 = CpuNow();
  progress.SetStage("pass 1/2: candidates");
  std::vector<std::unordered_set<std::string, StringHash, std::equal_to<>>> found(threads);
  std::vector<ChunkResult> results;
  if (!ForEachLine(in, *chunks1, threads, progress, results,
                   [&](int w, size_t, int64_t, std::string_view line, ChunkResult&) {
                     auto r = probes[w]->Probe(line, population::kWantEvidence);
                     if (r.ok && r.dvt_evidence && !r.patient_id.empty() && !found[w].contains(r.patient_id))
                       found[w].emplace(r.patient_id);
                   },
                   &read_error))
    return internal();
  std::vector<std::string> candidates;
  for (auto& s : found) candidates.insert(candidates.end(), s.begin(), s.end());
  std::sort(candidates.begin(), candidates.end());
  candidates.erase(std::unique(candidates.begin(), candidates.end()), candidates.end());
  found.clear();
  IdIndex index;
  index.reserve(candidates.size());
  for (uint32_t i = 0; i < candidates.size(); ++i) index.emplace(candidates[i], i);
  t.pass1_s = Since(t0);
  t.pass1_cpu = CpuNow() - c0;

  // Pass 2: every line probed; the candidates' lines kept.
  t0 = Clock::now();
  c0 = CpuNow();
  progress.SetStage("pass 2/2: join");
  std::vector<WorkerTally> tally(threads);
  if (!ForEachLine(in, *chunks2, threads, progress, results,
                   [&](int w, size_t ci, int64_t line_no, std::string_view line, ChunkResult& r) {
                     auto p = probes[w]->Probe(line, population::kWantNothing);
                     if (!p.ok) {
                       r.errors.emplace_back(line_no, std::string(p.error));
                       return;
                     }
                     WorkerTally& wt = tally[w];
                     ++wt.resources;
                     const std::string& file_type = in.files[(*chunks2)[ci].file].type;
                     if (p.resource_type == "Patient") ++wt.patients;
                     if (!file_type.empty() && p.resource_type != file_type)
                       r.errors.emplace_back(line_no, "resourceType " + std::string(p.resource_type) +
                                                          " in a file of " + file_type + " resources");
                     if (p.patient_id.empty()) return;
                     auto it = index.find(p.patient_id);
                     if (it != index.end() && probes[w]->MappingRelevant())
                       wt.kept.push_back({it->second, static_cast<uint32_t>(ci), line_no, std::string(line)});
                   },
                   &read_error))
    return internal();
  t.pass2_s = Since(t0);
  t.pass2_cpu = CpuNow() - c0;

  population::ScanReport report;
  report.as_of = o.as_of;
  report.knowledge = {k.id, profile.id, k.version, k.sha256};
  report.code_map_version = codes.version;
  report.manifest = in.manifest;
  for (const auto& f : in.files) report.files.push_back({f.name, f.type, f.size, 0});
  // Line numbers: each chunk's first line follows the lines of the earlier chunks of its file.
  std::vector<int64_t> first_line(chunks2->size(), 0);
  {
    std::vector<int64_t> per_file(in.files.size(), 0);
    for (size_t ci = 0; ci < chunks2->size(); ++ci) {
      const uint32_t f = (*chunks2)[ci].file;
      first_line[ci] = per_file[f];
      per_file[f] += results[ci].lines;
      report.counts.lines += results[ci].lines;
    }
    for (size_t f = 0; f < in.files.size(); ++f) report.files[f].lines = per_file[f];
  }
  auto add_error = [&](size_t ci, int64_t line, std::string message) {
    ++report.errors_total;
    report.errors.push_back({in.files[(*chunks2)[ci].file].name, first_line[ci] + line, std::move(message)});
  };
  for (size_t ci = 0; ci < results.size(); ++ci)
    for (auto& [line, message] : results[ci].errors) add_error(ci, line, std::move(message));
  for (const WorkerTally& wt : tally) {
    report.counts.resources += wt.resources;
    report.counts.patients_scanned += wt.patients;
  }
  report.counts.candidates = static_cast<int64_t>(candidates.size());

  // Mapping and assessment, candidates split between the workers.
  progress.SetStage("map + assess");
  t0 = Clock::now();
  c0 = CpuNow();
  std::vector<KeptLine> lines;
  for (WorkerTally& wt : tally) {
    lines.insert(lines.end(), std::make_move_iterator(wt.kept.begin()), std::make_move_iterator(wt.kept.end()));
    wt.kept = {};
  }
  std::sort(lines.begin(), lines.end(), [](const KeptLine& a, const KeptLine& b) {
    return a.candidate != b.candidate ? a.candidate < b.candidate
           : a.chunk != b.chunk       ? a.chunk < b.chunk
                                      : a.line < b.line;
  });
  std::vector<size_t> starts;  // first kept line of each candidate with lines
  for (size_t i = 0; i < lines.size(); ++i)
    if (i == 0 || lines[i].candidate != lines[i - 1].candidate) starts.push_back(i);
  starts.push_back(lines.size());
  const size_t groups = starts.size() - 1;
  population::GapRules rules;
  rules.overdue_grace_days = OverdueGrace(k);
  std::vector<std::optional<population::PatientRow>> rows(groups);
  std::vector<std::vector<std::tuple<size_t, int64_t, std::string>>> map_errors(threads);
  std::atomic<size_t> next{0};
  auto mapper = [&](int w) {
    for (size_t g; (g = next.fetch_add(1)) < groups;) {
      fhir::PatientRecord record(codes);
      for (size_t i = starts[g]; i < starts[g + 1]; ++i) {
        auto st = record.Add(lines[i].text);
        if (!st.ok())
          for (const auto& e : st.errors())
            map_errors[w].emplace_back(lines[i].chunk, lines[i].line, core::FormatError(e));
      }
      fhir::MappedCase m = record.ToCase(o.as_of);
      std::optional<pathway::Assessment> a;
      if (m.usable) a = pathway::Assess(m.c, k, profile);
      auto gaps = population::CareGaps(m.care, o.as_of, rules);
      if (!m.care.distal_dvt && !m.care.proximal_dvt && gaps.empty()) continue;
      m.patient_id = candidates[lines[starts[g]].candidate];
      rows[g] = population::BuildRow(m, a ? &*a : nullptr, std::move(gaps));
    }
  };
  {
    std::vector<std::thread> pool;
    for (int w = 1; w < threads; ++w) pool.emplace_back(mapper, w);
    mapper(0);
    for (auto& th : pool) th.join();
  }
  for (auto& v : map_errors)
    for (auto& [ci, line, message] : v) add_error(ci, line, std::move(message));
  std::sort(report.errors.begin(), report.errors.end(), [](const auto& a, const auto& b) {
    return a.file != b.file ? a.file < b.file : a.line != b.line ? a.line < b.line : a.message < b.message;
  });
  if (report.errors.size() > population::ScanReport::kMaxErrorsKept)
    report.errors.resize(population::ScanReport::kMaxErrorsKept);
  for (auto& r : rows)
    if (r) report.patients.push_back(std::move(*r));  // candidates are sorted, so rows are too
  population::TallyRows(report);
  t.map_s = Since(t0);
  t.map_cpu = CpuNow() - c0;
  if (timings) *timings = t;
  return report;
}

}  // namespace calfdvt::cli
