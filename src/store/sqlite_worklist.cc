// SqliteStore::Worklist: one bounded index range scan per rank (docs/schema.md, "worklist").
#include <array>

#include "store/sqlite_db.h"
#include "store/sqlite_store.h"
#include "store/store_common.h"

namespace calfdvt::store {

using sqlite::Conn;
using sqlite::Stmt;
using sqlite::Tx;

namespace {

// Parameters: ?1 limit, ?2 as_of, ?3 last window_end of a due scan (as_of + widest window),
// ?4 ?5 ?6 the cursor key (date, episode id, tie).
std::string RankSql(int rank, bool keyset) {
  if (rank == 0) {
    return std::string(
               "SELECT a.episode_id, a.code, a.imaging_date, e.patient_id, e.phase "
               "FROM episode_alerts AS a INDEXED BY episode_alerts_by_date "
               "CROSS JOIN episodes AS e ON e.id = a.episode_id ") +
           (keyset ? "WHERE (a.imaging_date, a.episode_id, a.code) > (?4, ?5, ?6) " : "") +
           "ORDER BY a.imaging_date, a.episode_id, a.code LIMIT ?1";
  }
  const char* index = rank == 3 ? "scans_pending_by_start" : "scans_pending_by_end";
  const char* key = rank == 3 ? "s.window_start" : "s.window_end";
  const char* range = rank == 1   ? "s.window_end < ?2"
                      : rank == 2 ? "s.window_end >= ?2 AND s.window_end <= ?3 AND "
                                    "s.window_start <= ?2"
                                  : "s.window_start > ?2";
  std::string sql =
      std::string(
          "SELECT s.episode_id, s.day, s.due, s.window_start, s.window_end, s.booked, "
          "s.state, s.result, e.patient_id, e.phase, e.imaging_date "
          "FROM scans AS s INDEXED BY ") +
      index + " CROSS JOIN episodes AS e ON e.id = s.episode_id WHERE s.pending = 1 AND " + range;
  if (keyset) sql += std::string(" AND (") + key + ", s.episode_id, s.day) > (?4, ?5, ?6)";
  sql += std::string(" ORDER BY ") + key + ", s.episode_id, s.day LIMIT ?1";
  return sql;
}

const std::string& CachedRankSql(int rank, bool keyset) {
  static const std::array<std::string, 8> kSql = [] {
    std::array<std::string, 8> a;
    for (int r = 0; r < 4; ++r) {
      a[static_cast<size_t>(r * 2)] = RankSql(r, false);
      a[static_cast<size_t>(r * 2 + 1)] = RankSql(r, true);
    }
    return a;
  }();
  return kSql[static_cast<size_t>(rank * 2 + (keyset ? 1 : 0))];
}

core::Result<core::Date> DueUntil(Conn& c, core::Date as_of) {
  STORE_ASSIGN_OR_RETURN(Stmt s, c.Prepare("SELECT value FROM store_meta WHERE key = "
                                           "'max_scan_window_days'"));
  STORE_ASSIGN_OR_RETURN(bool row, s.Step("read scan window bound"));
  return as_of.AddDays(row ? static_cast<int32_t>(s.Int(0)) : 0);
}

void BindRank(Stmt& s, int rank, core::Date as_of, core::Date due_until,
              const std::optional<CursorKey>& after, int n) {
  s.Bind(1, int64_t{n});
  if (rank > 0) s.Bind(2, as_of);
  if (rank == 2) s.Bind(3, due_until);
  if (after) s.Bind(4, after->date).Bind(5, after->episode_id).Bind(6, int64_t{after->tie});
}

core::Status FetchRank(Conn& c, int rank, core::Date as_of, core::Date due_until,
                       const std::optional<CursorKey>& after, int n,
                       std::vector<WorklistItem>& out) {
  STORE_ASSIGN_OR_RETURN(Stmt s, c.Prepare(CachedRankSql(rank, after.has_value())));
  BindRank(s, rank, as_of, due_until, after, n);
  for (;;) {
    STORE_ASSIGN_OR_RETURN(bool row, s.Step("worklist"));
    if (!row) break;
    WorklistItem item;
    item.rank = rank;
    item.episode_id = s.Text(0);
    if (rank == 0) {
      item.alert_code = static_cast<int>(s.Int(1));
      item.imaging_date = s.DateAt(2);
      item.patient_id = s.Text(3);
      item.phase = s.Text(4);
    } else {
      ScanRow scan;
      scan.day = static_cast<int>(s.Int(1));
      scan.due = s.DateAt(2);
      scan.window_start = s.DateAt(3);
      scan.window_end = s.DateAt(4);
      scan.booked = s.OptDate(5);
      scan.state = s.Text(6);
      scan.result = s.Text(7);
      item.scan = std::move(scan);
      item.patient_id = s.Text(8);
      item.phase = s.Text(9);
      item.imaging_date = s.DateAt(10);
    }
    out.push_back(std::move(item));
  }
  if (s.corrupt()) return internal::Internal("sqlite: a stored value is malformed");
  return core::OkStatus();
}

}  // namespace

core::Result<WorklistPage> SqliteStore::Worklist(const WorklistQuery& q) {
  STORE_ASSIGN_OR_RETURN(auto conn, pool_->Acquire());
  STORE_ASSIGN_OR_RETURN(Tx tx, Tx::Begin(*conn, false));  // one snapshot for the page
  STORE_ASSIGN_OR_RETURN(core::Date due_until, DueUntil(*conn, q.as_of));
  STORE_ASSIGN_OR_RETURN(
      WorklistPage page,
      internal::AssembleWorklist(q, [&](int rank, const std::optional<CursorKey>& after, int n,
                                        std::vector<WorklistItem>& out) {
        return FetchRank(*conn, rank, q.as_of, due_until, after, n, out);
      }));
  STORE_RETURN_IF_ERROR(tx.Commit());
  return page;
}

core::Result<std::string> SqliteStore::ExplainWorklist(const WorklistQuery& q) {
  STORE_ASSIGN_OR_RETURN(auto conn, pool_->Acquire());
  const bool enabled[4] = {q.alerts, q.overdue, q.due, q.upcoming};
  std::string out;
  for (int rank = 0; rank < 4; ++rank) {
    if (!enabled[rank]) continue;
    for (bool keyset : {false, true}) {
      STORE_ASSIGN_OR_RETURN(Stmt s, conn->Prepare("EXPLAIN QUERY PLAN " + RankSql(rank, keyset)));
      std::optional<CursorKey> after;
      if (keyset) after = CursorKey{rank, q.as_of, "", 0};
      BindRank(s, rank, q.as_of, q.as_of, after, q.limit);
      for (;;) {
        STORE_ASSIGN_OR_RETURN(bool row, s.Step("explain worklist"));
        if (!row) break;
        out +=
            "rank " + std::to_string(rank) + (keyset ? " next: " : " first: ") + s.Text(3) + "\n";
      }
    }
  }
  return out;
}

}  // namespace calfdvt::store
