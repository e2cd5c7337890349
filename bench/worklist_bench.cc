// Worklist query benchmark (docs/benchmarks.md, "Worklist query (1,000,000 episodes)").
//
//   worklist_bench generate URL N [SEED]  bulk-loads N generated episodes into the store at URL
//   worklist_bench run URL [REPEATS]      times the first worklist page (limit 50) for several
//                                         as_of dates and status sets: median and max, in ms
//   worklist_bench explain URL AS_OF      prints the query plans of the worklist statements
//
// Generated data (deterministic for a seed): imaging dates spread over 120 days from 2026-01-01;
// ~60% serial imaging with the day 7 and day 14 scans (windows +/-2 days), the rest treated
// (no scans); scan states and phases mixed as they would be at the end of the period
// (2026-05-01): most past scans completed, some overdue (open), some cancelled, a share of
// episodes completed or closed, ~1% with a standing alert.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <random>
#include <string>
#include <vector>

#include "store/postgres_store.h"
#include "store/sqlite_store.h"
#include "store/store.h"

namespace calfdvt::store {
namespace {

using core::Date;

const Date kFirstImaging = Date::FromCivil(2026, 1, 1);
constexpr int kDays = 120;
const Date kNow = kFirstImaging.AddDays(kDays);  // 2026-05-01

std::string Uuid(std::mt19937_64& rng) {
  const uint64_t a = rng(), b = rng();
  char buf[37];
  std::snprintf(buf, sizeof buf, "%08x-%04x-4%03x-%04x-%012llx", static_cast<unsigned>(a >> 32),
                static_cast<unsigned>((a >> 16) & 0xFFFF), static_cast<unsigned>(a & 0xFFF),
                static_cast<unsigned>(0x8000 | ((b >> 48) & 0x3FFF)),
                static_cast<unsigned long long>(b & 0xFFFFFFFFFFFFull));
  return buf;
}

NewEpisode Generate(std::mt19937_64& rng) {
  std::uniform_int_distribution<int> day_of(0, kDays - 1);
  std::uniform_real_distribution<double> u(0, 1);
  NewEpisode e;
  e.id = Uuid(rng);
  e.patient_id = "MRN" + std::to_string(rng() % 100000000);
  e.imaging_date = kFirstImaging.AddDays(day_of(rng));
  e.case_json =
      R"({"format":"calfdvt/case@1","imaging":{"date":")" + e.imaging_date.ToString() +
      R"(","thrombi":[{"vein":"peroneal","side":"left","length_cm":3.2,)"
      R"("occlusive":false}]},"patient":{"age":61,"sex":"female"},)"
      R"("risk":{"active_cancer":false,"unprovoked":true},"bleeding":{"high_risk":false}})";
  e.assessment_json = R"({"format":"calfdvt/assessment@1","strategy":"serial_imaging"})";
  e.knowledge_id = "distal-dvt";
  e.knowledge_version = "1.2.0";
  e.knowledge_sha256 = std::string(64, 'c');
  e.profile = "seed001";
  Projection& p = e.projection;
  p.classification = "isolated_distal";
  const bool serial = u(rng) < 0.6;
  p.strategy = serial ? "serial_imaging" : "anticoagulate";
  p.phase = serial ? "surveillance" : (u(rng) < 0.5 ? "treatment" : "completed");
  if (serial) {
    bool ended = false;
    for (int day : {7, 14}) {
      ScanRow s;
      s.day = day;
      s.due = e.imaging_date.AddDays(day);
      s.window_start = s.due.AddDays(-2);
      s.window_end = s.due.AddDays(2);
      if (ended) {
        s.state = "cancelled";
      } else if (s.window_end < kNow) {  // its window has passed: mostly done
        const double r = u(rng);
        if (r < 0.85) {
          s.state = "completed";
          s.result = u(rng) < 0.8 ? "stable" : "resolved";
          if (s.result == "resolved" || day == 14) ended = true;
        } else if (r < 0.95) {
          s.state = "open";  // overdue
        } else {
          s.state = "cancelled";
        }
      } else if (u(rng) < 0.5) {
        s.booked = s.due;
      }
      p.scans.push_back(s);
    }
    if (ended) p.phase = u(rng) < 0.9 ? "completed" : "closed";
  }
  if (p.phase != "completed" && p.phase != "closed" && u(rng) < 0.01)
    p.alert_flags = 1u << (rng() % 4 == 1 ? 0 : rng() % 4);
  return e;
}

int GenerateInto(const std::string& url, long n, uint64_t seed) {
  auto opened = OpenStore(url);
  if (!opened.ok()) {
    std::fprintf(stderr, "open: %s\n", core::FormatError(opened.errors()[0]).c_str());
    return 1;
  }
  Store* store = opened->get();
  std::mt19937_64 rng(seed);
  const Actor actor{"bench", "2026-05-01T00:00:00Z"};
  constexpr long kChunk = 20000;
  const auto t0 = std::chrono::steady_clock::now();
  std::vector<NewEpisode> chunk;
  for (long done = 0; done < n;) {
    chunk.clear();
    for (long i = 0; i < kChunk && done + i < n; ++i) chunk.push_back(Generate(rng));
    core::Status st = core::OkStatus();
    if (auto* s = dynamic_cast<SqliteStore*>(store)) {
      st = s->BulkCreate(chunk, actor);
    } else if (auto* pg = dynamic_cast<PostgresStore*>(store)) {
      st = pg->BulkCreate(chunk, actor);
    }
    if (!st.ok()) {
      std::fprintf(stderr, "bulk create: %s\n", core::FormatError(st.errors()[0]).c_str());
      return 1;
    }
    done += static_cast<long>(chunk.size());
  }
  if (auto* pg = dynamic_cast<PostgresStore*>(store)) {
    if (!pg->Analyze().ok()) return 1;
  }
  const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  std::printf("generated %ld episodes in %.1f s\n", n, secs);
  return 0;
}

struct Case {
  const char* name;
  bool alerts, overdue, due, upcoming;
};

int Run(const std::string& url, int repeats) {
  auto opened = OpenStore(url);
  if (!opened.ok()) {
    std::fprintf(stderr, "open: %s\n", core::FormatError(opened.errors()[0]).c_str());
    return 1;
  }
  Store& store = **opened;
  const Case cases[] = {{"default (alerts+overdue+due)", true, true, true, false},
                        {"all four ranks", true, true, true, true},
                        {"overdue only", false, true, false, false},
                        {"due only", false, false, true, false},
                        {"upcoming only", false, false, false, true}};
  const int offsets[] = {-10, 30, 60, 90, 120, 140};  // as_of = 2026-01-01 + offset
  double worst_median = 0, worst_max = 0;
  std::printf("%-12s %-30s %6s %10s %10s\n", "as_of", "statuses", "items", "median_ms", "max_ms");
  for (int off : offsets) {
    for (const Case& c : cases) {
      WorklistQuery q;
      q.as_of = kFirstImaging.AddDays(off);
      q.alerts = c.alerts;
      q.overdue = c.overdue;
      q.due = c.due;
      q.upcoming = c.upcoming;
      q.limit = 50;
      std::vector<double> ms;
      size_t items = 0;
      for (int i = 0; i < repeats + 3; ++i) {
        const auto t0 = std::chrono::steady_clock::now();
        auto page = store.Worklist(q);
        const auto t1 = std::chrono::steady_clock::now();
        if (!page.ok()) {
          std::fprintf(stderr, "worklist: %s\n", core::FormatError(page.errors()[0]).c_str());
          return 1;
        }
        items = page->items.size();
        if (i >= 3) ms.push_back(std::chrono::duration<double, std::milli>(t1 - t0).count());
      }
      std::sort(ms.begin(), ms.end());
      const double median = ms[ms.size() / 2], max = ms.back();
      worst_median = std::max(worst_median, median);
      worst_max = std::max(worst_max, max);
      std::printf("%-12s %-30s %6zu %10.3f %10.3f\n", q.as_of.ToString().c_str(), c.name, items,
                  median, max);
    }
  }
  std::printf("worst median %.3f ms, worst max %.3f ms (%d runs per case)\n", worst_median,
              worst_max, repeats);
  return 0;
}

int Explain(const std::string& url, const char* as_of) {
  auto opened = OpenStore(url);
  const auto date = Date::Parse(as_of);
  if (!opened.ok() || !date) return 1;
  WorklistQuery q;
  q.as_of = *date;
  q.upcoming = true;
  core::Result<std::string> plan = std::string();
  if (auto* s = dynamic_cast<SqliteStore*>(opened->get())) plan = s->ExplainWorklist(q);
  if (auto* p = dynamic_cast<PostgresStore*>(opened->get())) plan = p->ExplainWorklist(q, false);
  if (!plan.ok()) return 1;
  std::fputs(plan->c_str(), stdout);
  return 0;
}

}  // namespace
}  // namespace calfdvt::store

int main(int argc, char** argv) {
  using namespace calfdvt::store;
  const std::string cmd = argc > 1 ? argv[1] : "";
  if (cmd == "generate" && (argc == 4 || argc == 5))
    return GenerateInto(argv[2], std::atol(argv[3]),
                        argc == 5 ? std::strtoull(argv[4], nullptr, 10) : 1);
  if (cmd == "run" && (argc == 3 || argc == 4))
    return Run(argv[2], argc == 4 ? std::atoi(argv[3]) : 31);
  if (cmd == "explain" && argc == 4) return Explain(argv[2], argv[3]);
  std::fprintf(stderr,
               "usage: worklist_bench generate URL N [SEED] | run URL [REPEATS] | "
               "explain URL AS_OF\n");
  return 2;
}
