// Test support for the store suites: a throwaway database per test on each backend, and
// builders for episodes and projections. The PostgreSQL backend is used when
// CALFDVT_TEST_PG_URL names a server (scripts/test.sh starts one); each test gets its own
// database there, dropped afterwards.
#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <optional>
#include <string>

#include "store/store.h"

namespace calfdvt::store::testing {

// A database that exists for the lifetime of the object.
class TestDb {
 public:
  // backend: "sqlite" or "postgresql". nullopt (with *skip_reason set) when the backend is not
  // configured; a failure to create the database is a test failure (ADD_FAILURE) and nullopt.
  static std::unique_ptr<TestDb> Create(const std::string& backend, std::string* skip_reason);
  ~TestDb();
  const std::string& url() const { return url_; }

 private:
  TestDb() = default;
  std::string url_;
  std::string dir_;           // sqlite: temporary directory
  std::string pg_admin_url_;  // postgresql: the server's maintenance database
  std::string pg_db_;         // postgresql: the database created for this test
};

// Replaces the database name of a libpq URI (postgresql://user@host:port/db?params).
std::string WithDatabase(const std::string& url, const std::string& db);

inline core::Date D(const char* text) { return *core::Date::Parse(text); }

// The two surveillance scans of a serial-imaging episode: day 7 and 14, windows +/- 2 days.
std::vector<ScanRow> TwoScans(core::Date imaging);

Projection MakeProjection(std::string phase, core::Date imaging, uint32_t flags = 0);

NewEpisode MakeEpisode(const std::string& id, const std::string& patient, core::Date imaging,
                       std::string phase = "surveillance", uint32_t flags = 0);

inline Actor At(const std::string& name, const std::string& at) { return Actor{name, at}; }

EventRow MakeEvent(const std::string& type, const std::string& body_json);

// Parameterised fixture: GetParam() is the backend name.
class StoreTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override;
  void TearDown() override;
  // Opens the test database again (a second, independent store on the same data).
  std::unique_ptr<Store> Reopen();

  std::unique_ptr<TestDb> db_;
  std::unique_ptr<Store> store_;
};

}  // namespace calfdvt::store::testing
