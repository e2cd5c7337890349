// PostgresStore::Worklist: one bounded index range scan per rank (docs/schema.md, "worklist"),
// all in one REPEATABLE READ snapshot.
#include "store/pg_db.h"
#include "store/postgres_store.h"
#include "store/store_common.h"

namespace calfdvt::store {

using pg::Conn;
using pg::Params;
using pg::Res;
using pg::Tx;

namespace {

// The statement of one rank and its parameters: $1 limit, then as_of (ranks 1-3), the last
// window_end of a due scan (rank 2), then the cursor key when resuming.
struct RankQuery {
  std::string sql;
  Params params;
};

RankQuery BuildRank(int rank, core::Date as_of, core::Date due_until,
                    const std::optional<CursorKey>& after, int n) {
  RankQuery q;
  q.params.Add(int64_t{n});
  auto next = [&q] { return "$" + std::to_string(q.params.size() + 1); };
  std::string keyset;
  auto add_keyset = [&](const char* date_col, const char* id_col, const char* tie_col) {
    if (!after) return;
    const std::string d = next();
    q.params.Add(after->date);
    const std::string e = next();
    q.params.Add(after->episode_id);
    const std::string t = next();
    q.params.Add(int64_t{after->tie});
    keyset = std::string(" AND (") + date_col + ", " + id_col + ", " + tie_col + ") > (" + d +
             "::date, " + e + "::text, " + t + "::integer)";
  };
  if (rank == 0) {
    add_keyset("a.imaging_date", "a.episode_id", "a.code");
    q.sql =
        "SELECT a.episode_id, a.code, a.imaging_date, e.patient_id, e.phase "
        "FROM episode_alerts a JOIN episodes e ON e.id = a.episode_id WHERE true" +
        keyset + " ORDER BY a.imaging_date, a.episode_id, a.code LIMIT $1";
    return q;
  }
  const std::string a = next();
  q.params.Add(as_of);
  std::string range;
  if (rank == 1) {
    range = "s.window_end < " + a + "::date";
  } else if (rank == 2) {
    const std::string u = next();
    q.params.Add(due_until);
    range = "s.window_end >= " + a + "::date AND s.window_end <= " + u +
            "::date AND s.window_start <= " + a + "::date";
  } else {
    range = "s.window_start > " + a + "::date";
  }
  const char* key = rank == 3 ? "s.window_start" : "s.window_end";
  add_keyset(key, "s.episode_id", "s.day");
  q.sql =
      "SELECT s.episode_id, s.day, s.due, s.window_start, s.window_end, s.booked, s.state, "
      "s.result, e.patient_id, e.phase, e.imaging_date "
      "FROM scans s JOIN episodes e ON e.id = s.episode_id WHERE s.pending AND " +
      range + keyset + " ORDER BY " + key + ", s.episode_id, s.day LIMIT $1";
  return q;
}

core::Result<core::Date> DueUntil(Conn& c, core::Date as_of) {
  STORE_ASSIGN_OR_RETURN(Res r, c.Exec("SELECT value FROM store_meta WHERE key = "
                                       "'max_scan_window_days'",
                                       Params(), "read scan window bound"));
  return as_of.AddDays(r.rows() > 0 ? static_cast<int32_t>(r.Int(0, 0)) : 0);
}

core::Status FetchRank(Conn& c, int rank, core::Date as_of, core::Date due_until,
                       const std::optional<CursorKey>& after, int n,
                       std::vector<WorklistItem>& out) {
  RankQuery q = BuildRank(rank, as_of, due_until, after, n);
  STORE_ASSIGN_OR_RETURN(Res r, c.Exec(q.sql, q.params, "worklist"));
  for (int i = 0; i < r.rows(); ++i) {
    WorklistItem item;
    item.rank = rank;
    item.episode_id = r.Text(i, 0);
    if (rank == 0) {
      item.alert_code = static_cast<int>(r.Int(i, 1));
      item.imaging_date = r.DateAt(i, 2);
      item.patient_id = r.Text(i, 3);
      item.phase = r.Text(i, 4);
    } else {
      ScanRow scan;
      scan.day = static_cast<int>(r.Int(i, 1));
      scan.due = r.DateAt(i, 2);
      scan.window_start = r.DateAt(i, 3);
      scan.window_end = r.DateAt(i, 4);
      scan.booked = r.OptDate(i, 5);
      scan.state = r.Text(i, 6);
      scan.result = r.Text(i, 7);
      item.scan = std::move(scan);
      item.patient_id = r.Text(i, 8);
      item.phase = r.Text(i, 9);
      item.imaging_date = r.DateAt(i, 10);
    }
    out.push_back(std::move(item));
  }
  if (r.corrupt()) return internal::Internal("postgresql: a stored value is malformed");
  return core::OkStatus();
}

}  // namespace

core::Result<WorklistPage> PostgresStore::Worklist(const WorklistQuery& q) {
  STORE_ASSIGN_OR_RETURN(auto conn, pool_->Acquire());
  Conn& c = *conn;
  STORE_ASSIGN_OR_RETURN(Tx tx, Tx::Begin(c, "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY"));
  STORE_ASSIGN_OR_RETURN(core::Date due_until, DueUntil(c, q.as_of));
  STORE_ASSIGN_OR_RETURN(
      WorklistPage page,
      internal::AssembleWorklist(q, [&](int rank, const std::optional<CursorKey>& after, int n,
                                        std::vector<WorklistItem>& out) {
        return FetchRank(c, rank, q.as_of, due_until, after, n, out);
      }));
  STORE_RETURN_IF_ERROR(tx.Commit());
  return page;
}

core::Result<std::string> PostgresStore::ExplainWorklist(const WorklistQuery& q, bool force_index) {
  STORE_ASSIGN_OR_RETURN(auto conn, pool_->Acquire());
  Conn& c = *conn;
  STORE_ASSIGN_OR_RETURN(Tx tx, Tx::Begin(c, "BEGIN READ ONLY"));
  if (force_index) {
    STORE_RETURN_IF_ERROR(
        c.Command("SET LOCAL enable_seqscan = off; SET LOCAL enable_bitmapscan "
                  "= off; SET LOCAL enable_sort = off",
                  "explain"));
  }
  STORE_ASSIGN_OR_RETURN(core::Date due_until, DueUntil(c, q.as_of));
  const bool enabled[4] = {q.alerts, q.overdue, q.due, q.upcoming};
  std::string out;
  for (int rank = 0; rank < 4; ++rank) {
    if (!enabled[rank]) continue;
    for (bool keyset : {false, true}) {
      std::optional<CursorKey> after;
      if (keyset) after = CursorKey{rank, q.as_of, "", 0};
      RankQuery rq = BuildRank(rank, q.as_of, due_until, after, q.limit);
      STORE_ASSIGN_OR_RETURN(Res r, c.Exec("EXPLAIN " + rq.sql, rq.params, "explain worklist"));
      out += "rank " + std::to_string(rank) + (keyset ? " next:\n" : " first:\n");
      for (int i = 0; i < r.rows(); ++i) out += "  " + r.Text(i, 0) + "\n";
    }
  }
  return out;
}

}  // namespace calfdvt::store
