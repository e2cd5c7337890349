// Regression: after the server terminated an idle pooled connection (pg_terminate_backend, server
// restart), the first request on it failed with kInternal (HTTP 500) before the pool replaced it.
#include <gtest/gtest.h>
#include <libpq-fe.h>

#include <cstdlib>
#include <string>

#include "store/store.h"

namespace calfdvt::store {
namespace {

TEST(PgReconnectTest, TerminatedIdleConnectionsAreReplacedTransparently) {
  const char* url = std::getenv("CALFDVT_TEST_PG_URL");
  if (!url || !*url) GTEST_SKIP() << "set CALFDVT_TEST_PG_URL to run PostgreSQL tests";
  auto store = OpenStore(url);
  ASSERT_TRUE(store.ok()) << store.errors()[0].message;
  // Warm the pool so idle connections exist.
  for (int i = 0; i < 4; ++i) ASSERT_TRUE((*store)->CountTokens().ok());

  PGconn* admin = PQconnectdb(url);
  ASSERT_EQ(PQstatus(admin), CONNECTION_OK);
  PGresult* r = PQexec(admin,
                       "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                       "WHERE datname = current_database() AND pid <> pg_backend_pid()");
  ASSERT_EQ(PQresultStatus(r), PGRES_TUPLES_OK);
  EXPECT_GE(std::atoi(PQgetvalue(r, 0, 0)), 1);
  PQclear(r);
  PQfinish(admin);

  // Give the backends a moment to exit and close their sockets.
  for (int attempt = 0; attempt < 50; ++attempt) {
    PGconn* probe = PQconnectdb(url);
    PGresult* q = PQexec(probe,
                         "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                         "AND pid <> pg_backend_pid()");
    const int others = std::atoi(PQgetvalue(q, 0, 0));
    PQclear(q);
    PQfinish(probe);
    if (others == 0) break;
  }
  auto n = (*store)->CountTokens();
  EXPECT_TRUE(n.ok()) << (n.ok() ? "" : n.errors()[0].message);
  auto list = (*store)->ListEpisodes("nobody", 10);
  EXPECT_TRUE(list.ok());
}

}  // namespace
}  // namespace calfdvt::store
