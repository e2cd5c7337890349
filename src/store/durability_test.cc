// Store-level crash and multi-process tests, on every backend:
//  - a child process appends events and reports each acknowledged seq on a pipe; the parent kills
//    it with SIGKILL mid-stream, reopens the store and finds every acknowledged event, the log
//    contiguous;
//  - two processes append to the same episodes concurrently, retrying on kConflict, and no event
//    is lost.
#include <gtest/gtest.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <set>

#include "store/store.h"
#include "store/store_test_env.h"

namespace calfdvt::store::testing {
namespace {

const Actor kActor = At("writer", "2026-03-02T00:00:00Z");

std::string Body(int writer, int64_t n) {
  return "{\"writer\":" + std::to_string(writer) + ",\"n\":" + std::to_string(n) + "}";
}

class DurabilityTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    std::string skip;
    db_ = TestDb::Create(GetParam(), &skip);
    if (!db_) {
      if (!skip.empty()) GTEST_SKIP() << skip;
      FAIL() << "no test database";
    }
  }
  std::unique_ptr<Store> Open() {
    auto s = OpenStore(db_->url());
    if (!s.ok()) {
      ADD_FAILURE() << core::FormatError(s.errors()[0]);
      return nullptr;
    }
    return std::move(s).value();
  }
  std::unique_ptr<TestDb> db_;
};

// Child: appends forever, writing each acknowledged seq to fd. Never returns.
[[noreturn]] void AppendForever(const std::string& url, int fd) {
  auto s = OpenStore(url);
  if (!s.ok()) _exit(3);
  const Projection p = MakeProjection("surveillance", D("2026-03-01"));
  for (int64_t version = 0;; ++version) {
    if (!(*s)->AppendEvent("e1", version, MakeEvent("scan_booked", Body(0, version + 1)), p, kActor)
             .ok()) {
      _exit(4);
    }
    const int64_t seq = version + 1;
    if (write(fd, &seq, sizeof seq) != static_cast<ssize_t>(sizeof seq)) _exit(5);
  }
}

TEST_P(DurabilityTest, AcknowledgedAppendsSurviveSigkill) {
  {
    auto s = Open();
    ASSERT_NE(s, nullptr);
    ASSERT_TRUE(s->CreateEpisode(MakeEpisode("e1", "p1", D("2026-03-01")), kActor).ok());
  }
  int fds[2];
  ASSERT_EQ(pipe(fds), 0);
  const pid_t pid = fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    close(fds[0]);
    AppendForever(db_->url(), fds[1]);
  }
  close(fds[1]);
  constexpr int64_t kKillAfter = 120;  // acknowledged writes before the kill
  int64_t last_acked = 0;
  bool killed = false;
  for (;;) {
    pollfd pfd{fds[0], POLLIN, 0};
    if (!killed && poll(&pfd, 1, 60000) <= 0) {
      kill(pid, SIGKILL);
      FAIL() << "child made no progress";
    }
    int64_t seq = 0;
    const ssize_t n = read(fds[0], &seq, sizeof seq);
    if (n == 0) break;  // EOF: the child is gone and everything it acknowledged has been read
    ASSERT_EQ(n, static_cast<ssize_t>(sizeof seq));
    ASSERT_EQ(seq, last_acked + 1);
    last_acked = seq;
    if (!killed && last_acked >= kKillAfter) {
      ASSERT_EQ(kill(pid, SIGKILL), 0);  // mid-stream: the next append is usually in flight
      killed = true;
    }
  }
  close(fds[0]);
  int status = 0;
  ASSERT_EQ(waitpid(pid, &status, 0), pid);
  ASSERT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL)
      << "child exited on its own with status " << status;

  auto s = Open();
  ASSERT_NE(s, nullptr);
  auto r = s->GetEpisode("e1");
  ASSERT_TRUE(r.ok());
  // Every acknowledged write is there; at most the one in flight at the kill was also committed.
  EXPECT_GE(r->version, last_acked);
  EXPECT_LE(r->version, last_acked + 1);
  ASSERT_EQ(r->events.size(), static_cast<size_t>(r->version));
  for (size_t i = 0; i < r->events.size(); ++i) {
    EXPECT_EQ(r->events[i].seq, static_cast<int64_t>(i + 1));
    EXPECT_EQ(r->events[i].body_json, Body(0, static_cast<int64_t>(i + 1)));
  }
  EXPECT_EQ(s->Audit("e1")->size(), static_cast<size_t>(r->version + 1));
  // The store stays writable after the crash.
  EXPECT_TRUE(s->AppendEvent("e1", r->version, MakeEvent("scan_booked", "{}"),
                             MakeProjection("surveillance", D("2026-03-01")), kActor)
                  .ok());
  RecordProperty("acknowledged_before_kill", static_cast<int>(last_acked));
}

// Two processes (as two server processes would) append to the same two episodes at once.
TEST_P(DurabilityTest, TwoProcessesWritingTheSameEpisodesLoseNoEvent) {
  constexpr int kPerProcess = 40;
  {
    auto s = Open();
    ASSERT_NE(s, nullptr);
    for (const char* id : {"e1", "e2"})
      ASSERT_TRUE(s->CreateEpisode(MakeEpisode(id, "p1", D("2026-03-01")), kActor).ok());
  }
  std::vector<pid_t> children;
  for (int writer = 1; writer <= 2; ++writer) {
    const pid_t pid = fork();
    ASSERT_GE(pid, 0);
    if (pid == 0) {
      auto s = OpenStore(db_->url());
      if (!s.ok()) _exit(3);
      const Projection p = MakeProjection("surveillance", D("2026-03-01"));
      for (int i = 0; i < kPerProcess; ++i) {
        const char* id = i % 2 ? "e2" : "e1";
        for (int attempt = 0;; ++attempt) {
          auto cur = (*s)->GetEpisode(id);
          if (!cur.ok() || attempt > 1000) _exit(4);
          auto st = (*s)->AppendEvent(id, cur->version, MakeEvent("scan_booked", Body(writer, i)),
                                      p, kActor);
          if (st.ok()) break;
          if (st.kind() != core::ErrorKind::kConflict) _exit(5);
        }
      }
      _exit(0);
    }
    children.push_back(pid);
  }
  for (pid_t pid : children) {
    int status = 0;
    ASSERT_EQ(waitpid(pid, &status, 0), pid);
    EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << "status " << status;
  }
  auto s = Open();
  ASSERT_NE(s, nullptr);
  std::set<std::string> bodies;
  for (const char* id : {"e1", "e2"}) {
    auto r = s->GetEpisode(id);
    ASSERT_TRUE(r.ok());
    EXPECT_EQ(r->version, kPerProcess);  // half of each writer's appends went to each episode
    ASSERT_EQ(r->events.size(), static_cast<size_t>(kPerProcess));
    for (size_t i = 0; i < r->events.size(); ++i) {
      EXPECT_EQ(r->events[i].seq, static_cast<int64_t>(i + 1));
      bodies.insert(r->events[i].body_json);
    }
  }
  EXPECT_EQ(bodies.size(), static_cast<size_t>(2 * kPerProcess));
}

INSTANTIATE_TEST_SUITE_P(Backends, DurabilityTest, ::testing::Values("sqlite", "postgresql"),
                         [](const ::testing::TestParamInfo<std::string>& info) {
                           return info.param;
                         });

}  // namespace
}  // namespace calfdvt::store::testing
