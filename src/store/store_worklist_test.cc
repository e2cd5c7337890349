// Worklist cases of the store suite (same parameterised fixture as store_test.cc).
#include <gtest/gtest.h>

#include <set>

#include "store/postgres_store.h"
#include "store/sqlite_store.h"
#include "store/store.h"
#include "store/store_test_env.h"

namespace calfdvt::store::testing {
namespace {

using core::ErrorKind;

const Actor kAlice = At("alice", "2026-03-01T10:00:00Z");

// "rank:episode:day" for scans, "rank:episode:aCODE" for alerts.
std::string Describe(const WorklistItem& it) {
  std::string s = std::to_string(it.rank) + ":" + it.episode_id + ":";
  if (it.alert_code) return s + "a" + std::to_string(*it.alert_code);
  return s + std::to_string(it.scan ? it.scan->day : -1);
}

std::vector<std::string> DescribeAll(const WorklistPage& page) {
  std::vector<std::string> out;
  for (const auto& it : page.items) out.push_back(Describe(it));
  return out;
}

WorklistQuery AllRanks(const char* as_of, int limit = 50) {
  WorklistQuery q;
  q.as_of = D(as_of);
  q.upcoming = true;
  q.limit = limit;
  return q;
}

class WorklistFixture {
 public:
  // The scenario of docs/schema.md's worklist section, as of 2026-03-20.
  static void Populate(Store& s) {
    auto add = [&](NewEpisode e) { ASSERT_TRUE(s.CreateEpisode(e, kAlice).ok()) << e.id; };
    add(MakeEpisode("a1", "pa", D("2026-03-01"), "surveillance", 0b1001));
    add(MakeEpisode("b", "pb", D("2026-03-05")));
    add(MakeEpisode("c", "pc", D("2026-03-10")));
    add(MakeEpisode("d", "pd", D("2026-03-12"), "specialist_review"));
    add(MakeEpisode("x", "px", D("2026-03-01"), "completed", 0b1));
    add(MakeEpisode("y", "py", D("2026-03-01"), "closed", 0b1));
    NewEpisode e = MakeEpisode("e", "pe", D("2026-03-02"), "treatment", 0b100);
    for (auto& scan : e.projection.scans) scan.state = "completed";
    add(e);
  }
};

TEST_P(StoreTest, WorklistRanksAndOrder) {
  WorklistFixture::Populate(*store_);
  auto page = store_->Worklist(AllRanks("2026-03-20"));
  ASSERT_TRUE(page.ok());
  const std::vector<std::string> want = {"0:a1:a0", "0:a1:a3", "0:e:a2",  // alerts by imaging date
                                         "1:a1:7",  "1:b:7",   "1:a1:14",
                                         "1:c:7",               // overdue by window end
                                         "2:b:14",  "2:d:7",    // due by window end, then id
                                         "3:c:14",  "3:d:14"};  // upcoming by window start
  EXPECT_EQ(DescribeAll(*page), want);
  EXPECT_EQ(page->next_cursor, "");
  const WorklistItem& first = page->items[0];
  EXPECT_EQ(first.patient_id, "pa");
  EXPECT_EQ(first.phase, "surveillance");
  EXPECT_EQ(first.imaging_date, D("2026-03-01"));
  EXPECT_FALSE(first.scan.has_value());
  const WorklistItem& due = page->items[8];
  EXPECT_EQ(due.phase, "specialist_review");
  ASSERT_TRUE(due.scan.has_value());
  EXPECT_EQ(due.scan->due, D("2026-03-19"));
  EXPECT_EQ(due.scan->window_start, D("2026-03-17"));
  EXPECT_EQ(due.scan->window_end, D("2026-03-21"));

  // Default query: alerts, overdue and due; no upcoming.
  WorklistQuery q;
  q.as_of = D("2026-03-20");
  auto defaults = store_->Worklist(q);
  ASSERT_TRUE(defaults.ok());
  EXPECT_EQ(defaults->items.size(), 9u);
  q.alerts = q.overdue = false;
  EXPECT_EQ(DescribeAll(*store_->Worklist(q)), (std::vector<std::string>{"2:b:14", "2:d:7"}));
}

TEST_P(StoreTest, WorklistStatusFollowsTheWindow) {
  ASSERT_TRUE(store_->CreateEpisode(MakeEpisode("e", "p", D("2026-03-01")), kAlice).ok());
  // Day 7 window: 2026-03-06 .. 2026-03-10; day 14 window: 2026-03-13 .. 2026-03-17.
  auto statuses = [&](const char* as_of) {
    return DescribeAll(*store_->Worklist(AllRanks(as_of)));
  };
  using V = std::vector<std::string>;
  EXPECT_EQ(statuses("2026-03-05"), (V{"3:e:7", "3:e:14"}));
  EXPECT_EQ(statuses("2026-03-06"), (V{"2:e:7", "3:e:14"}));
  EXPECT_EQ(statuses("2026-03-10"), (V{"2:e:7", "3:e:14"}));
  EXPECT_EQ(statuses("2026-03-11"), (V{"1:e:7", "3:e:14"}));
  EXPECT_EQ(statuses("2026-03-17"), (V{"1:e:7", "2:e:14"}));
  EXPECT_EQ(statuses("2026-03-18"), (V{"1:e:7", "1:e:14"}));
  // A completed scan leaves the worklist.
  Projection p = MakeProjection("surveillance", D("2026-03-01"));
  p.scans[0].state = "completed";
  p.scans[0].result = "stable";
  ASSERT_TRUE(store_->AppendEvent("e", 0, MakeEvent("scan_result", "{}"), p, kAlice).ok());
  EXPECT_EQ(statuses("2026-03-18"), (V{"1:e:14"}));
}

TEST_P(StoreTest, WorklistExcludesCompletedAndClosedEpisodes) {
  WorklistFixture::Populate(*store_);
  ASSERT_TRUE(store_
                  ->AppendEvent("d", 0, MakeEvent("episode_closed", "{}"),
                                MakeProjection("closed", D("2026-03-12"), 0b1), kAlice)
                  .ok());
  ASSERT_TRUE(store_
                  ->AppendEvent("a1", 0, MakeEvent("anticoagulation_started", "{}"),
                                MakeProjection("completed", D("2026-03-01"), 0b1), kAlice)
                  .ok());
  auto page = store_->Worklist(AllRanks("2026-03-20"));
  ASSERT_TRUE(page.ok());
  EXPECT_EQ(DescribeAll(*page),
            (std::vector<std::string>{"0:e:a2", "1:b:7", "1:c:7", "2:b:14", "3:c:14"}));
}

TEST_P(StoreTest, WorklistPaginationReturnsEveryItemOnce) {
  // 45 episodes over 10 imaging dates (ties on date exercise the id/day tie-breakers).
  for (int i = 0; i < 45; ++i) {
    const core::Date imaging = D("2026-02-20").AddDays(i % 10 * 3);
    char id[16];
    std::snprintf(id, sizeof id, "ep%02d", (i * 17) % 45);
    const uint32_t flags = i % 4 == 0 ? 0b1 : (i % 7 == 0 ? 0b1100 : 0);
    ASSERT_TRUE(
        store_->CreateEpisode(MakeEpisode(id, "p", imaging, "surveillance", flags), kAlice).ok());
  }
  auto whole = store_->Worklist(AllRanks("2026-03-10", 500));
  ASSERT_TRUE(whole.ok());
  ASSERT_GT(whole->items.size(), 60u);
  const std::vector<std::string> want = DescribeAll(*whole);
  for (int limit : {1, 3, 7, 50}) {
    std::vector<std::string> got;
    WorklistQuery q = AllRanks("2026-03-10", limit);
    for (int pages = 0;; ++pages) {
      ASSERT_LT(pages, 1000);
      auto page = store_->Worklist(q);
      ASSERT_TRUE(page.ok());
      ASSERT_LE(page->items.size(), static_cast<size_t>(limit));
      for (auto& d : DescribeAll(*page)) got.push_back(d);
      if (page->next_cursor.empty()) break;
      ASSERT_EQ(page->items.size(), static_cast<size_t>(limit));
      q.cursor = page->next_cursor;
    }
    EXPECT_EQ(got, want) << "limit " << limit;
    EXPECT_EQ(std::set<std::string>(got.begin(), got.end()).size(), got.size());
  }
}

TEST_P(StoreTest, WorklistRejectsMalformedCursorAndLimit) {
  WorklistFixture::Populate(*store_);
  for (const char* cursor : {"not a cursor", "!!!!", "dzF8OXwyMDI2LTAxLTAxfDB8ZQ", "AAAA",
                             "dzF8MXwyMDI2LTEzLTAxfDd8ZQ", "x"}) {
    WorklistQuery q = AllRanks("2026-03-20");
    q.cursor = cursor;
    auto page = store_->Worklist(q);
    ASSERT_FALSE(page.ok()) << cursor;
    EXPECT_EQ(page.kind(), ErrorKind::kInvalidInput);
    EXPECT_EQ(page.errors()[0].path, "cursor");
  }
  for (int limit : {0, -1, 501}) {
    auto page = store_->Worklist(AllRanks("2026-03-20", limit));
    ASSERT_FALSE(page.ok());
    EXPECT_EQ(page.kind(), ErrorKind::kInvalidInput);
    EXPECT_EQ(page.errors()[0].path, "limit");
  }
}

// The worklist statements are bounded index range scans in index order (no sort, no table scan).
TEST_P(StoreTest, WorklistUsesIndexes) {
  WorklistFixture::Populate(*store_);
  const WorklistQuery q = AllRanks("2026-03-20");
  if (auto* s = dynamic_cast<SqliteStore*>(store_.get())) {
    auto plan = s->ExplainWorklist(q);
    ASSERT_TRUE(plan.ok());
    for (const char* index :
         {"INDEX episode_alerts_by_date", "USING INDEX scans_pending_by_end (window_end<?)",
          "USING INDEX scans_pending_by_end (window_end>? AND window_end<?)",
          "USING INDEX scans_pending_by_start (window_start>?)"}) {
      EXPECT_NE(plan->find(index), std::string::npos) << index << "\n" << *plan;
    }
    EXPECT_EQ(plan->find("TEMP B-TREE"), std::string::npos) << *plan;
  } else if (auto* p = dynamic_cast<PostgresStore*>(store_.get())) {
    auto plan = p->ExplainWorklist(q, /*force_index=*/true);
    ASSERT_TRUE(plan.ok());
    for (const char* index :
         {"episode_alerts_by_date", "scans_pending_by_end", "scans_pending_by_start"}) {
      EXPECT_NE(plan->find(std::string(" using ") + index), std::string::npos) << index << "\n"
                                                                               << *plan;
    }
    EXPECT_EQ(plan->find("Sort"), std::string::npos) << *plan;
    EXPECT_EQ(plan->find("Seq Scan"), std::string::npos) << *plan;
  } else {
    FAIL() << "unknown backend";
  }
}

}  // namespace
}  // namespace calfdvt::store::testing
