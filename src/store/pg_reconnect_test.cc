// Regression: after the server terminated an idle pooled connection (pg_terminate_backend, server
// restart), the first request on it failed with kInternal (HTTP 500) before the pool replaced it.
#include <gtest/gtest.h>
#include <libpq-fe.h>

#include <cstdlib>
#include <string>
#include <unistd.h>

#include "store/store.h"

namespace calfdvt::store {
namespace {

// Runs `sql` on a fresh connection to `url`; returns the first value of the first row.
std::string Query(const std::string& url, const std::string& sql) {
  PGconn* c = PQconnectdb(url.c_str());
  EXPECT_EQ(PQstatus(c), CONNECTION_OK) << PQerrorMessage(c);
  PGresult* r = PQexec(c, sql.c_str());
  const ExecStatusType st = PQresultStatus(r);
  EXPECT_TRUE(st == PGRES_TUPLES_OK || st == PGRES_COMMAND_OK) << PQerrorMessage(c);
  std::string out = st == PGRES_TUPLES_OK && PQntuples(r) > 0 ? PQgetvalue(r, 0, 0) : "";
  PQclear(r);
  PQfinish(c);
  return out;
}

// `url` with its database name replaced by `db` (URL form postgresql://user@host:port/db).
std::string WithDatabase(const std::string& url, const std::string& db) {
  const size_t slash = url.rfind('/');
  const size_t query = url.find('?', slash);
  return url.substr(0, slash + 1) + db + (query == std::string::npos ? "" : url.substr(query));
}

TEST(PgReconnectTest, TerminatedIdleConnectionsAreReplacedTransparently) {
  const char* env = std::getenv("CALFDVT_TEST_PG_URL");
  if (!env || !*env) GTEST_SKIP() << "set CALFDVT_TEST_PG_URL to run PostgreSQL tests";
  // A database of its own: terminating backends must not touch other tests running in parallel.
  const std::string db = "calfdvt_reconnect_" + std::to_string(::getpid());
  Query(env, "DROP DATABASE IF EXISTS " + db);
  Query(env, "CREATE DATABASE " + db);
  const std::string url = WithDatabase(env, db);
  {
    auto store = OpenStore(url);
    ASSERT_TRUE(store.ok()) << store.errors()[0].message;
    for (int i = 0; i < 4; ++i) ASSERT_TRUE((*store)->CountTokens().ok());  // warm the pool

    const std::string killed = Query(
        env, "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE datname = '" + db + "'");
    EXPECT_GE(std::atoi(killed.c_str()), 1);
    for (int attempt = 0; attempt < 100; ++attempt) {  // wait until the backends have exited
      if (Query(env, "SELECT count(*) FROM pg_stat_activity WHERE datname = '" + db + "'") == "0") break;
      ::usleep(10000);
    }
    auto n = (*store)->CountTokens();
    EXPECT_TRUE(n.ok()) << (n.ok() ? "" : n.errors()[0].message);
    EXPECT_TRUE((*store)->ListEpisodes("nobody", 10).ok());
  }
  Query(env, "DROP DATABASE IF EXISTS " + db + " WITH (FORCE)");
}

}  // namespace
}  // namespace calfdvt::store
