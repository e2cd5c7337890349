#include "store/store_test_env.h"

#include <libpq-fe.h>
#include <stdlib.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <random>

namespace calfdvt::store::testing {
namespace {

bool PgCommand(const std::string& url, const std::string& sql, std::string* error) {
  PGconn* c = PQconnectdb(url.c_str());
  bool ok = PQstatus(c) == CONNECTION_OK;
  if (ok) {
    PGresult* r = PQexec(c, sql.c_str());
    ok = PQresultStatus(r) == PGRES_COMMAND_OK;
    if (!ok && error) *error = PQresultErrorMessage(r);
    PQclear(r);
  } else if (error) {
    *error = PQerrorMessage(c);
  }
  PQfinish(c);
  return ok;
}

}  // namespace

std::string WithDatabase(const std::string& url, const std::string& db) {
  const size_t scheme = url.find("://");
  const size_t start = url.find('/', scheme == std::string::npos ? 0 : scheme + 3);
  if (start == std::string::npos) return url + "/" + db;
  const size_t end = url.find('?', start);
  return url.substr(0, start + 1) + db + (end == std::string::npos ? "" : url.substr(end));
}

std::unique_ptr<TestDb> TestDb::Create(const std::string& backend, std::string* skip_reason) {
  std::unique_ptr<TestDb> db(new TestDb());
  if (backend == "sqlite") {
    std::string tmpl = (std::filesystem::temp_directory_path() / "calfdvt_store_XXXXXX").string();
    if (mkdtemp(tmpl.data()) == nullptr) {
      ADD_FAILURE() << "mkdtemp failed";
      return nullptr;
    }
    db->dir_ = tmpl;
    db->url_ = "sqlite:" + tmpl + "/store.db";
    return db;
  }
  const char* base = std::getenv("CALFDVT_TEST_PG_URL");
  if (base == nullptr || *base == '\0') {
    *skip_reason =
        "PostgreSQL backend not tested: CALFDVT_TEST_PG_URL is not set (scripts/test.sh starts a "
        "server and sets it; or run scripts/pg.sh start DIR PORT and export the URL it prints)";
    return nullptr;
  }
  static std::atomic<int> counter{0};
  std::random_device rd;
  db->pg_db_ = "calfdvt_t_" + std::to_string(getpid()) + "_" + std::to_string(counter++) + "_" +
               std::to_string(rd() % 100000);
  db->pg_admin_url_ = base;
  std::string error;
  if (!PgCommand(db->pg_admin_url_, "CREATE DATABASE " + db->pg_db_, &error)) {
    ADD_FAILURE() << "cannot create test database: " << error;
    return nullptr;
  }
  db->url_ = WithDatabase(base, db->pg_db_);
  return db;
}

TestDb::~TestDb() {
  if (!dir_.empty()) {
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }
  if (!pg_db_.empty()) {
    std::string error;
    if (!PgCommand(pg_admin_url_, "DROP DATABASE IF EXISTS " + pg_db_ + " WITH (FORCE)", &error))
      ADD_FAILURE() << "cannot drop test database: " << error;
  }
}

std::vector<ScanRow> TwoScans(core::Date imaging) {
  std::vector<ScanRow> scans;
  for (int day : {7, 14}) {
    ScanRow s;
    s.day = day;
    s.due = imaging.AddDays(day);
    s.window_start = s.due.AddDays(-2);
    s.window_end = s.due.AddDays(2);
    scans.push_back(s);
  }
  return scans;
}

Projection MakeProjection(std::string phase, core::Date imaging, uint32_t flags) {
  Projection p;
  p.phase = std::move(phase);
  p.strategy = "serial_imaging";
  p.classification = "isolated_distal";
  p.alert_flags = flags;
  p.scans = TwoScans(imaging);
  return p;
}

NewEpisode MakeEpisode(const std::string& id, const std::string& patient, core::Date imaging,
                       std::string phase, uint32_t flags) {
  NewEpisode e;
  e.id = id;
  e.patient_id = patient;
  e.case_json = R"({"format":"calfdvt/case@1","note":"CASE-CONTENTS-MARKER"})";
  e.assessment_json = R"({"format":"calfdvt/assessment@1"})";
  e.knowledge_id = "distal-dvt";
  e.knowledge_version = "1.0.0";
  e.knowledge_sha256 = std::string(64, 'a');
  e.profile = "seed001";
  e.imaging_date = imaging;
  e.projection = MakeProjection(std::move(phase), imaging, flags);
  return e;
}

EventRow MakeEvent(const std::string& type, const std::string& body_json) {
  EventRow ev;
  ev.type = type;
  ev.body_json = body_json;
  return ev;
}

void StoreTest::SetUp() {
  std::string skip;
  db_ = TestDb::Create(GetParam(), &skip);
  if (!db_) {
    if (!skip.empty()) GTEST_SKIP() << skip;
    FAIL() << "no test database";
  }
  store_ = Reopen();
  ASSERT_NE(store_, nullptr);
}

void StoreTest::TearDown() {
  store_.reset();
  db_.reset();
}

std::unique_ptr<Store> StoreTest::Reopen() {
  auto s = OpenStore(db_->url());
  if (!s.ok()) {
    ADD_FAILURE() << "OpenStore: " << core::FormatError(s.errors()[0]);
    return nullptr;
  }
  return std::move(s).value();
}

}  // namespace calfdvt::store::testing
