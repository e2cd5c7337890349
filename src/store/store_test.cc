// The store suite: one parameterised suite, run unchanged against every backend (SQLite always;
// PostgreSQL when CALFDVT_TEST_PG_URL is set). Worklist cases are in store_worklist_test.cc.
#include "store/store.h"

#include <gtest/gtest.h>

#include <atomic>
#include <set>
#include <thread>

#include "store/store_test_env.h"

namespace calfdvt::store::testing {
namespace {

using core::ErrorKind;

const Actor kAlice = At("alice", "2026-03-01T10:00:00Z");

TEST_P(StoreTest, MigrationsAreIdempotent) {
  auto again = store_->Migrate();
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(*again, 4);
  ASSERT_TRUE(store_->CreateEpisode(MakeEpisode("e1", "p1", D("2026-03-01")), kAlice).ok());
  // A second store opening the same database migrates nothing and sees the data.
  auto second = Reopen();
  ASSERT_NE(second, nullptr);
  auto v = second->Migrate();
  ASSERT_TRUE(v.ok());
  EXPECT_EQ(*v, 4);
  EXPECT_TRUE(second->GetEpisode("e1").ok());
}

TEST_P(StoreTest, CreateAndGetEpisode) {
  NewEpisode e = MakeEpisode("e1", "p1", D("2026-03-01"), "surveillance", 0b1);
  e.projection.scans[0].booked = D("2026-03-08");
  ASSERT_TRUE(store_->CreateEpisode(e, kAlice).ok());
  auto got = store_->GetEpisode("e1");
  ASSERT_TRUE(got.ok());
  const EpisodeRecord& r = *got;
  EXPECT_EQ(r.episode.id, "e1");
  EXPECT_EQ(r.episode.patient_id, "p1");
  EXPECT_EQ(r.episode.case_json, e.case_json);
  EXPECT_EQ(r.episode.assessment_json, e.assessment_json);
  EXPECT_EQ(r.episode.knowledge_id, "distal-dvt");
  EXPECT_EQ(r.episode.knowledge_version, "1.0.0");
  EXPECT_EQ(r.episode.knowledge_sha256, e.knowledge_sha256);
  EXPECT_EQ(r.episode.profile, "seed001");
  EXPECT_EQ(r.episode.imaging_date, D("2026-03-01"));
  EXPECT_EQ(r.version, 0);
  EXPECT_EQ(r.created_at, kAlice.at);
  EXPECT_EQ(r.created_by, "alice");
  EXPECT_TRUE(r.events.empty());
  EXPECT_EQ(r.projection.phase, "surveillance");
  EXPECT_EQ(r.projection.strategy, "serial_imaging");
  EXPECT_EQ(r.projection.classification, "isolated_distal");
  EXPECT_EQ(r.projection.alert_flags, 1u);
  ASSERT_EQ(r.projection.scans.size(), 2u);
  EXPECT_EQ(r.projection.scans[0].day, 7);
  EXPECT_EQ(r.projection.scans[0].due, D("2026-03-08"));
  EXPECT_EQ(r.projection.scans[0].window_start, D("2026-03-06"));
  EXPECT_EQ(r.projection.scans[0].window_end, D("2026-03-10"));
  EXPECT_EQ(r.projection.scans[0].booked, D("2026-03-08"));
  EXPECT_EQ(r.projection.scans[0].state, "open");
  EXPECT_EQ(r.projection.scans[1].day, 14);
  EXPECT_FALSE(r.projection.scans[1].booked.has_value());
}

TEST_P(StoreTest, DuplicateEpisodeIsConflictAndMissingIsNotFound) {
  ASSERT_TRUE(store_->CreateEpisode(MakeEpisode("e1", "p1", D("2026-03-01")), kAlice).ok());
  auto dup = store_->CreateEpisode(MakeEpisode("e1", "p2", D("2026-03-02")), kAlice);
  ASSERT_FALSE(dup.ok());
  EXPECT_EQ(dup.kind(), ErrorKind::kConflict);
  EXPECT_EQ(store_->GetEpisode("e1")->episode.patient_id, "p1");
  EXPECT_EQ(store_->Audit("e1")->size(), 1u);  // the failed create wrote no audit entry
  auto missing = store_->GetEpisode("nope");
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.kind(), ErrorKind::kNotFound);
}

TEST_P(StoreTest, ListEpisodesNewestFirst) {
  ASSERT_TRUE(
      store_
          ->CreateEpisode(MakeEpisode("a", "p1", D("2026-01-01")), At("u", "2026-01-01T08:00:00Z"))
          .ok());
  ASSERT_TRUE(
      store_
          ->CreateEpisode(MakeEpisode("c", "p1", D("2026-02-01")), At("u", "2026-02-01T08:00:00Z"))
          .ok());
  ASSERT_TRUE(
      store_
          ->CreateEpisode(MakeEpisode("b", "p1", D("2026-03-01")), At("u", "2026-03-01T08:00:00Z"))
          .ok());
  ASSERT_TRUE(
      store_
          ->CreateEpisode(MakeEpisode("z", "p2", D("2026-03-01")), At("u", "2026-03-02T08:00:00Z"))
          .ok());
  auto all = store_->ListEpisodes("p1", 10);
  ASSERT_TRUE(all.ok());
  ASSERT_EQ(all->size(), 3u);
  EXPECT_EQ((*all)[0].episode.id, "b");
  EXPECT_EQ((*all)[1].episode.id, "c");
  EXPECT_EQ((*all)[2].episode.id, "a");
  EXPECT_TRUE((*all)[0].events.empty());
  EXPECT_EQ((*all)[0].projection.scans.size(), 2u);
  auto two = store_->ListEpisodes("p1", 2);
  ASSERT_TRUE(two.ok());
  EXPECT_EQ(two->size(), 2u);
  EXPECT_TRUE(store_->ListEpisodes("nobody", 10)->empty());
  auto bad = store_->ListEpisodes("p1", 0);
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.kind(), ErrorKind::kInvalidInput);
  EXPECT_EQ(bad.errors()[0].path, "limit");
}

TEST_P(StoreTest, AppendEventChecksVersion) {
  ASSERT_TRUE(store_->CreateEpisode(MakeEpisode("e1", "p1", D("2026-03-01")), kAlice).ok());
  Projection booked = MakeProjection("surveillance", D("2026-03-01"));
  booked.scans[0].booked = D("2026-03-08");
  EventRow ev = MakeEvent("scan_booked", R"({"type":"scan_booked","scan_day":7})");
  ASSERT_TRUE(store_->AppendEvent("e1", 0, ev, booked, At("bob", "2026-03-02T09:00:00Z")).ok());

  // Stale version: conflict, nothing written.
  Projection other = MakeProjection("closed", D("2026-03-01"));
  auto stale = store_->AppendEvent("e1", 0, MakeEvent("episode_closed", "{}"), other, kAlice);
  ASSERT_FALSE(stale.ok());
  EXPECT_EQ(stale.kind(), ErrorKind::kConflict);
  auto ahead = store_->AppendEvent("e1", 5, MakeEvent("episode_closed", "{}"), other, kAlice);
  ASSERT_FALSE(ahead.ok());
  EXPECT_EQ(ahead.kind(), ErrorKind::kConflict);
  {
    auto r = store_->GetEpisode("e1");
    ASSERT_TRUE(r.ok());
    EXPECT_EQ(r->version, 1);
    ASSERT_EQ(r->events.size(), 1u);
    EXPECT_EQ(r->projection.phase, "surveillance");
    EXPECT_EQ(store_->Audit("e1")->size(), 2u);
  }

  Projection done = MakeProjection("completed", D("2026-03-01"));
  done.strategy = "anticoagulate";
  done.scans[0].state = "completed";
  done.scans[0].result = "resolved";
  done.scans[1].state = "cancelled";
  EventRow result = MakeEvent("scan_result", R"({"type":"scan_result","result":"resolved"})");
  result.assessment_json = R"({"reassessed":true})";
  ASSERT_TRUE(store_->AppendEvent("e1", 1, result, done, At("carol", "2026-03-08T11:00:00Z")).ok());

  auto r = store_->GetEpisode("e1");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->version, 2);
  ASSERT_EQ(r->events.size(), 2u);
  EXPECT_EQ(r->events[0].seq, 1);
  EXPECT_EQ(r->events[0].type, "scan_booked");
  EXPECT_EQ(r->events[0].body_json, ev.body_json);
  EXPECT_EQ(r->events[0].actor, "bob");
  EXPECT_EQ(r->events[0].at, "2026-03-02T09:00:00Z");
  EXPECT_EQ(r->events[0].assessment_json, "");
  EXPECT_EQ(r->events[1].seq, 2);
  EXPECT_EQ(r->events[1].assessment_json, result.assessment_json);
  EXPECT_EQ(r->projection.phase, "completed");
  EXPECT_EQ(r->projection.strategy, "anticoagulate");
  ASSERT_EQ(r->projection.scans.size(), 2u);
  EXPECT_EQ(r->projection.scans[0].result, "resolved");
  EXPECT_EQ(r->projection.scans[1].state, "cancelled");

  auto missing = store_->AppendEvent("nope", 0, ev, booked, kAlice);
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.kind(), ErrorKind::kNotFound);
}

TEST_P(StoreTest, AuditRecordsEveryWrite) {
  ASSERT_TRUE(store_->CreateEpisode(MakeEpisode("e1", "p1", D("2026-03-01")), kAlice).ok());
  ASSERT_TRUE(store_->CreateEpisode(MakeEpisode("e2", "p2", D("2026-03-01")), kAlice).ok());
  const Projection p = MakeProjection("surveillance", D("2026-03-01"));
  ASSERT_TRUE(store_
                  ->AppendEvent("e1", 0, MakeEvent("scan_booked", R"({"scan_day":7})"), p,
                                At("bob", "2026-03-02T09:00:00Z"))
                  .ok());
  ASSERT_TRUE(
      store_->AppendEvent("e2", 0, MakeEvent("scan_booked", R"({"scan_day":14})"), p, kAlice).ok());
  ASSERT_TRUE(store_
                  ->AppendEvent("e1", 1, MakeEvent("anticoagulation_started", R"({"x":1})"), p,
                                At("carol", "2026-03-03T09:00:00Z"))
                  .ok());
  auto audit = store_->Audit("e1");
  ASSERT_TRUE(audit.ok());
  ASSERT_EQ(audit->size(), 3u);
  const auto& a = *audit;
  EXPECT_EQ(a[0].action, "episode.create");
  EXPECT_EQ(a[0].actor, "alice");
  EXPECT_EQ(a[0].at, kAlice.at);
  EXPECT_EQ(a[0].episode_id, "e1");
  EXPECT_NE(a[0].change_json.find(R"("patient_id":"p1")"), std::string::npos);
  EXPECT_NE(a[0].change_json.find(R"("strategy":"serial_imaging")"), std::string::npos);
  EXPECT_NE(a[0].change_json.find(std::string(64, 'a')), std::string::npos);
  EXPECT_EQ(a[0].change_json.find("CASE-CONTENTS-MARKER"), std::string::npos);
  EXPECT_EQ(a[1].action, "event.scan_booked");
  EXPECT_EQ(a[1].actor, "bob");
  EXPECT_NE(a[1].change_json.find(R"("body":{"scan_day":7})"), std::string::npos);
  EXPECT_NE(a[1].change_json.find(R"("seq":1)"), std::string::npos);
  EXPECT_EQ(a[2].action, "event.anticoagulation_started");
  EXPECT_EQ(a[2].actor, "carol");
  // Append-only: ids increase in write order (e2's entries fall in between).
  EXPECT_LT(a[0].id, a[1].id);
  EXPECT_LT(a[1].id, a[2].id);
  EXPECT_GT(a[2].id - a[1].id, 1);
  EXPECT_EQ(store_->Audit("e2")->size(), 2u);
  EXPECT_TRUE(store_->Audit("unknown")->empty());
}

TEST_P(StoreTest, TokensFindByHashAndUnique) {
  TokenRow t{"tok1", std::string(64, 'f'), "clinician", "ward 3", "2026-03-01T10:00:00Z"};
  ASSERT_TRUE(store_->CreateToken(t, kAlice).ok());
  auto found = store_->FindTokenByHash(t.hash);
  ASSERT_TRUE(found.ok());
  ASSERT_TRUE(found->has_value());
  EXPECT_EQ((*found)->id, "tok1");
  EXPECT_EQ((*found)->role, "clinician");
  EXPECT_EQ((*found)->label, "ward 3");
  EXPECT_EQ((*found)->created_at, t.created_at);
  EXPECT_FALSE(store_->FindTokenByHash(std::string(64, '0'))->has_value());

  TokenRow same_hash{"tok2", t.hash, "viewer", "", "2026-03-01T10:00:00Z"};
  auto dup = store_->CreateToken(same_hash, kAlice);
  ASSERT_FALSE(dup.ok());
  EXPECT_EQ(dup.kind(), ErrorKind::kConflict);
  TokenRow same_id{"tok1", std::string(64, 'e'), "viewer", "", "2026-03-01T10:00:00Z"};
  EXPECT_EQ(store_->CreateToken(same_id, kAlice).kind(), ErrorKind::kConflict);
  EXPECT_EQ(*store_->CountTokens(), 1);

  auto audit = store_->Audit("");
  ASSERT_TRUE(audit.ok());
  ASSERT_EQ(audit->size(), 1u);
  EXPECT_EQ((*audit)[0].action, "token.create");
  EXPECT_EQ((*audit)[0].episode_id, "");
  EXPECT_NE((*audit)[0].change_json.find(R"("id":"tok1")"), std::string::npos);
  EXPECT_NE((*audit)[0].change_json.find(R"("role":"clinician")"), std::string::npos);
  EXPECT_EQ((*audit)[0].change_json.find(t.hash), std::string::npos);
}

TEST_P(StoreTest, CountByPhase) {
  EXPECT_TRUE(store_->CountByPhase()->empty());
  ASSERT_TRUE(store_->CreateEpisode(MakeEpisode("a", "p", D("2026-03-01")), kAlice).ok());
  ASSERT_TRUE(
      store_->CreateEpisode(MakeEpisode("b", "p", D("2026-03-01"), "treatment"), kAlice).ok());
  ASSERT_TRUE(store_->CreateEpisode(MakeEpisode("c", "p", D("2026-03-01")), kAlice).ok());
  ASSERT_TRUE(store_
                  ->AppendEvent("c", 0, MakeEvent("episode_closed", "{}"),
                                MakeProjection("closed", D("2026-03-01")), kAlice)
                  .ok());
  auto counts = store_->CountByPhase();
  ASSERT_TRUE(counts.ok());
  const std::vector<std::pair<std::string, int64_t>> want = {
      {"closed", 1}, {"surveillance", 1}, {"treatment", 1}};
  EXPECT_EQ(*counts, want);
}

// Writers racing on one episode: each retries on kConflict with the version it re-reads. No
// event is lost or duplicated: the final version is the number of successful appends and the
// log is 1..N.
TEST_P(StoreTest, ConcurrentAppendsLoseNoEvent) {
  ASSERT_TRUE(store_->CreateEpisode(MakeEpisode("e1", "p1", D("2026-03-01")), kAlice).ok());
  constexpr int kThreads = 6;
  constexpr int kPerThread = 15;
  std::atomic<int> conflicts{0};
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      // Half the writers share the fixture's store; the rest use their own (as a second server
      // process would).
      std::unique_ptr<Store> own = t % 2 ? Reopen() : nullptr;
      Store& s = own ? *own : *store_;
      const Projection p = MakeProjection("surveillance", D("2026-03-01"));
      for (int i = 0; i < kPerThread; ++i) {
        const std::string body =
            "{\"writer\":" + std::to_string(t) + ",\"i\":" + std::to_string(i) + "}";
        for (int attempt = 0;; ++attempt) {
          auto cur = s.GetEpisode("e1");
          if (!cur.ok() || attempt > 1000) {
            ++failures;
            return;
          }
          auto st = s.AppendEvent("e1", cur->version, MakeEvent("scan_booked", body), p,
                                  At("w" + std::to_string(t), "2026-03-02T00:00:00Z"));
          if (st.ok()) break;
          if (st.kind() != ErrorKind::kConflict) {
            ADD_FAILURE() << core::FormatError(st.errors()[0]);
            ++failures;
            return;
          }
          ++conflicts;
        }
      }
    });
  }
  for (auto& th : threads) th.join();
  ASSERT_EQ(failures.load(), 0);
  auto r = store_->GetEpisode("e1");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->version, kThreads * kPerThread);
  ASSERT_EQ(r->events.size(), static_cast<size_t>(kThreads * kPerThread));
  std::set<std::string> bodies;
  for (size_t i = 0; i < r->events.size(); ++i) {
    EXPECT_EQ(r->events[i].seq, static_cast<int64_t>(i + 1));
    bodies.insert(r->events[i].body_json);
  }
  EXPECT_EQ(bodies.size(), static_cast<size_t>(kThreads * kPerThread));  // none duplicated
  EXPECT_EQ(store_->Audit("e1")->size(), static_cast<size_t>(kThreads * kPerThread + 1));
  RecordProperty("conflicts_retried", conflicts.load());
}

INSTANTIATE_TEST_SUITE_P(Backends, StoreTest, ::testing::Values("sqlite", "postgresql"),
                         [](const ::testing::TestParamInfo<std::string>& info) {
                           return info.param;
                         });

TEST(OpenStoreTest, BadUrlIsInvalidInputNamingTheRule) {
  for (const char* url : {"", "mysql://x", "sqlite:", "file:/tmp/x.db", "postgresql:/x"}) {
    auto s = OpenStore(url);
    ASSERT_FALSE(s.ok()) << url;
    EXPECT_EQ(s.kind(), core::ErrorKind::kInvalidInput) << url;
    EXPECT_EQ(s.errors()[0].path, "url");
    EXPECT_EQ(s.errors()[0].rule, "store_url");
    EXPECT_NE(s.errors()[0].message.find("sqlite:PATH"), std::string::npos);
  }
}

TEST(OpenStoreTest, SqliteInMemoryWorks) {
  auto s = OpenStore("sqlite::memory:");
  ASSERT_TRUE(s.ok());
  ASSERT_TRUE((*s)->CreateEpisode(MakeEpisode("e1", "p1", D("2026-03-01")), kAlice).ok());
  EXPECT_TRUE((*s)->GetEpisode("e1").ok());
}

}  // namespace
}  // namespace calfdvt::store::testing
