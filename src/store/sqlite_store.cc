#include "store/sqlite_store.h"

#include <sqlite3.h>

#include "store/migrations.h"
#include "store/sqlite_db.h"
#include "store/store_common.h"

namespace calfdvt::store {

using sqlite::Conn;
using sqlite::Stmt;
using sqlite::Tx;

namespace {

constexpr int kMaxConnections = 8;

internal::Failure Corrupt() {
  return internal::FailureOf(internal::Internal("sqlite: a stored value is malformed"));
}

// ---- migrations ----

core::Result<int> ApplyMigrations(Conn& c) {
  STORE_ASSIGN_OR_RETURN(Tx tx, Tx::Begin(c, /*write=*/true));
  STORE_RETURN_IF_ERROR(
      c.Exec("CREATE TABLE IF NOT EXISTS schema_migrations ("
             "version INTEGER PRIMARY KEY, name TEXT NOT NULL, "
             "checksum TEXT NOT NULL, applied_at TEXT NOT NULL)",
             "create schema_migrations"));
  int current = 0;
  {
    STORE_ASSIGN_OR_RETURN(Stmt s, c.Prepare("SELECT version, checksum FROM schema_migrations "
                                             "ORDER BY version"));
    const auto all = SqliteMigrations();
    for (;;) {
      STORE_ASSIGN_OR_RETURN(bool row, s.Step("read schema_migrations"));
      if (!row) break;
      const int64_t v = s.Int(0);
      if (v < 1 || v > static_cast<int64_t>(all.size())) {
        return internal::Internal<int>("database schema version " + std::to_string(v) +
                                       " is newer than this build (" + std::to_string(all.size()) +
                                       ")");
      }
      if (s.Text(1) != MigrationChecksum(all[static_cast<size_t>(v - 1)].sql)) {
        return internal::Internal<int>("migration " + std::to_string(v) +
                                       " differs from the one applied: released migrations "
                                       "must never be edited");
      }
      current = static_cast<int>(v);
    }
  }
  for (const Migration& m : SqliteMigrations()) {
    if (m.version <= current) continue;
    STORE_RETURN_IF_ERROR(c.Exec(m.sql, "apply migration " + std::to_string(m.version)));
    STORE_ASSIGN_OR_RETURN(Stmt s, c.Prepare("INSERT INTO schema_migrations VALUES "
                                             "(?1, ?2, ?3, strftime('%Y-%m-%dT%H:%M:%SZ','now'))"));
    s.Bind(1, int64_t{m.version}).Bind(2, m.name).Bind(3, MigrationChecksum(m.sql));
    STORE_RETURN_IF_ERROR(s.Run("record migration"));
    current = m.version;
  }
  STORE_RETURN_IF_ERROR(tx.Commit());
  return current;
}

// ---- projection and audit writes (inside the caller's transaction) ----

core::Status WriteProjectionRows(Conn& c, std::string_view id, core::Date imaging_date,
                                 const Projection& p) {
  const bool active = internal::PhaseIsActive(p.phase);
  for (const ScanRow& s : p.scans) {
    STORE_ASSIGN_OR_RETURN(Stmt st, c.Prepare("INSERT INTO scans (episode_id, day, due, "
                                              "window_start, window_end, booked, state, result, "
                                              "pending) VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9)"));
    st.Bind(1, id).Bind(2, int64_t{s.day}).Bind(3, s.due).Bind(4, s.window_start);
    st.Bind(5, s.window_end).Bind(6, s.booked).Bind(7, s.state).Bind(8, s.result);
    st.Bind(9, int64_t{internal::ScanPending(s, active) ? 1 : 0});
    STORE_RETURN_IF_ERROR(st.Run("insert scan"));
  }
  if (active) {
    for (int code : internal::AlertCodes(p.alert_flags)) {
      STORE_ASSIGN_OR_RETURN(Stmt st, c.Prepare("INSERT INTO episode_alerts (episode_id, code, "
                                                "imaging_date) VALUES (?1, ?2, ?3)"));
      st.Bind(1, id).Bind(2, int64_t{code}).Bind(3, imaging_date);
      STORE_RETURN_IF_ERROR(st.Run("insert alert"));
    }
  }
  if (const int widest = internal::MaxWindowDays(p); widest > 0) {
    STORE_ASSIGN_OR_RETURN(Stmt st, c.Prepare("UPDATE store_meta SET value = ?1 WHERE key = "
                                              "'max_scan_window_days' AND value < ?1"));
    st.Bind(1, int64_t{widest});
    STORE_RETURN_IF_ERROR(st.Run("update scan window bound"));
  }
  return core::OkStatus();
}

core::Status WriteAudit(Conn& c, std::string_view episode_id, const Actor& actor,
                        std::string_view action, const std::string& change) {
  STORE_ASSIGN_OR_RETURN(Stmt st, c.Prepare("INSERT INTO audit (episode_id, actor, at, action, "
                                            "change_json) VALUES (?1, ?2, ?3, ?4, ?5)"));
  if (episode_id.empty()) {
    st.BindNull(1);
  } else {
    st.Bind(1, episode_id);
  }
  st.Bind(2, actor.name).Bind(3, actor.at).Bind(4, action).Bind(5, change);
  return st.Run("insert audit");
}

// ---- reads ----

constexpr std::string_view kEpisodeColumns =
    "id, patient_id, version, phase, strategy, classification, alert_flags, imaging_date, "
    "case_json, assessment_json, knowledge_id, knowledge_version, knowledge_sha256, profile, "
    "created_at, created_by";

EpisodeRecord ReadEpisode(Stmt& s) {
  EpisodeRecord r;
  NewEpisode& e = r.episode;
  e.id = s.Text(0);
  e.patient_id = s.Text(1);
  r.version = s.Int(2);
  r.projection.phase = s.Text(3);
  r.projection.strategy = s.Text(4);
  r.projection.classification = s.Text(5);
  r.projection.alert_flags = static_cast<uint32_t>(s.Int(6));
  e.imaging_date = s.DateAt(7);
  e.case_json = s.Text(8);
  e.assessment_json = s.Text(9);
  e.knowledge_id = s.Text(10);
  e.knowledge_version = s.Text(11);
  e.knowledge_sha256 = s.Text(12);
  e.profile = s.Text(13);
  r.created_at = s.Text(14);
  r.created_by = s.Text(15);
  return r;
}

core::Status LoadScans(Conn& c, EpisodeRecord& r) {
  STORE_ASSIGN_OR_RETURN(Stmt s, c.Prepare("SELECT day, due, window_start, window_end, booked, "
                                           "state, result FROM scans WHERE episode_id = ?1 "
                                           "ORDER BY day"));
  s.Bind(1, r.episode.id);
  for (;;) {
    STORE_ASSIGN_OR_RETURN(bool row, s.Step("read scans"));
    if (!row) break;
    ScanRow scan;
    scan.day = static_cast<int>(s.Int(0));
    scan.due = s.DateAt(1);
    scan.window_start = s.DateAt(2);
    scan.window_end = s.DateAt(3);
    scan.booked = s.OptDate(4);
    scan.state = s.Text(5);
    scan.result = s.Text(6);
    r.projection.scans.push_back(std::move(scan));
  }
  if (s.corrupt()) return Corrupt();
  r.episode.projection = r.projection;
  return core::OkStatus();
}

core::Status LoadEvents(Conn& c, EpisodeRecord& r) {
  STORE_ASSIGN_OR_RETURN(Stmt s, c.Prepare("SELECT seq, type, body_json, actor, at, "
                                           "assessment_json FROM episode_events WHERE "
                                           "episode_id = ?1 ORDER BY seq"));
  s.Bind(1, r.episode.id);
  for (;;) {
    STORE_ASSIGN_OR_RETURN(bool row, s.Step("read events"));
    if (!row) break;
    EventRow ev;
    ev.seq = s.Int(0);
    ev.type = s.Text(1);
    ev.body_json = s.Text(2);
    ev.actor = s.Text(3);
    ev.at = s.Text(4);
    ev.assessment_json = s.Text(5);
    r.events.push_back(std::move(ev));
  }
  return core::OkStatus();
}

}  // namespace

SqliteStore::SqliteStore(std::unique_ptr<sqlite::Pool> pool) : pool_(std::move(pool)) {}
SqliteStore::~SqliteStore() = default;

core::Result<std::unique_ptr<SqliteStore>> SqliteStore::Open(const std::string& path) {
  STORE_ASSIGN_OR_RETURN(auto pool, sqlite::Pool::Open(path, kMaxConnections));
  return std::unique_ptr<SqliteStore>(new SqliteStore(std::move(pool)));
}

core::Result<int> SqliteStore::Migrate() {
  STORE_ASSIGN_OR_RETURN(auto conn, pool_->Acquire());
  return ApplyMigrations(*conn);
}

core::Status SqliteStore::InsertEpisode(Conn& c, const NewEpisode& e, const Actor& actor) {
  {
    STORE_ASSIGN_OR_RETURN(
        Stmt s, c.Prepare("INSERT INTO episodes (id, patient_id, version, phase, strategy, "
                          "classification, alert_flags, imaging_date, case_json, "
                          "assessment_json, knowledge_id, knowledge_version, knowledge_sha256, "
                          "profile, created_at, created_by) VALUES "
                          "(?1,?2,0,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?13,?14,?15)"));
    const Projection& p = e.projection;
    s.Bind(1, e.id).Bind(2, e.patient_id).Bind(3, p.phase).Bind(4, p.strategy);
    s.Bind(5, p.classification).Bind(6, int64_t{p.alert_flags}).Bind(7, e.imaging_date);
    s.Bind(8, e.case_json).Bind(9, e.assessment_json).Bind(10, e.knowledge_id);
    s.Bind(11, e.knowledge_version).Bind(12, e.knowledge_sha256).Bind(13, e.profile);
    s.Bind(14, actor.at).Bind(15, actor.name);
    STORE_RETURN_IF_ERROR(s.Run("insert episode"));
  }
  STORE_RETURN_IF_ERROR(WriteProjectionRows(c, e.id, e.imaging_date, e.projection));
  return WriteAudit(c, e.id, actor, "episode.create", internal::EpisodeCreateChange(e));
}

core::Status SqliteStore::CreateEpisode(const NewEpisode& e, const Actor& actor) {
  STORE_ASSIGN_OR_RETURN(auto conn, pool_->Acquire());
  STORE_ASSIGN_OR_RETURN(Tx tx, Tx::Begin(*conn, true));
  STORE_RETURN_IF_ERROR(InsertEpisode(*conn, e, actor));
  return tx.Commit();
}

core::Status SqliteStore::BulkCreate(std::span<const NewEpisode> episodes, const Actor& actor) {
  STORE_ASSIGN_OR_RETURN(auto conn, pool_->Acquire());
  STORE_ASSIGN_OR_RETURN(Tx tx, Tx::Begin(*conn, true));
  for (const NewEpisode& e : episodes) STORE_RETURN_IF_ERROR(InsertEpisode(*conn, e, actor));
  return tx.Commit();
}

core::Result<EpisodeRecord> SqliteStore::GetEpisode(std::string_view id) {
  STORE_ASSIGN_OR_RETURN(auto conn, pool_->Acquire());
  STORE_ASSIGN_OR_RETURN(Tx tx, Tx::Begin(*conn, false));  // one snapshot for all three reads
  EpisodeRecord r;
  {
    STORE_ASSIGN_OR_RETURN(Stmt s, conn->Prepare("SELECT " + std::string(kEpisodeColumns) +
                                                 " FROM episodes WHERE id = ?1"));
    s.Bind(1, id);
    STORE_ASSIGN_OR_RETURN(bool row, s.Step("read episode"));
    if (!row) return internal::NotFound<EpisodeRecord>("episode");
    r = ReadEpisode(s);
    if (s.corrupt()) return Corrupt();
  }
  STORE_RETURN_IF_ERROR(LoadScans(*conn, r));
  STORE_RETURN_IF_ERROR(LoadEvents(*conn, r));
  STORE_RETURN_IF_ERROR(tx.Commit());
  return r;
}

core::Result<std::vector<EpisodeRecord>> SqliteStore::ListEpisodes(std::string_view patient_id,
                                                                   int limit) {
  STORE_RETURN_IF_ERROR(internal::CheckListLimit(limit));
  STORE_ASSIGN_OR_RETURN(auto conn, pool_->Acquire());
  STORE_ASSIGN_OR_RETURN(Tx tx, Tx::Begin(*conn, false));
  std::vector<EpisodeRecord> out;
  {
    STORE_ASSIGN_OR_RETURN(Stmt s, conn->Prepare("SELECT " + std::string(kEpisodeColumns) +
                                                 " FROM episodes WHERE patient_id = ?1 "
                                                 "ORDER BY created_at DESC, id DESC LIMIT ?2"));
    s.Bind(1, patient_id).Bind(2, int64_t{limit});
    for (;;) {
      STORE_ASSIGN_OR_RETURN(bool row, s.Step("list episodes"));
      if (!row) break;
      out.push_back(ReadEpisode(s));
    }
    if (s.corrupt()) return Corrupt();
  }
  for (EpisodeRecord& r : out) STORE_RETURN_IF_ERROR(LoadScans(*conn, r));
  STORE_RETURN_IF_ERROR(tx.Commit());
  return out;
}

core::Status SqliteStore::AppendEvent(std::string_view episode_id, int64_t expected_version,
                                      const EventRow& event, const Projection& projection,
                                      const Actor& actor) {
  STORE_ASSIGN_OR_RETURN(auto conn, pool_->Acquire());
  Conn& c = *conn;
  STORE_ASSIGN_OR_RETURN(Tx tx, Tx::Begin(c, true));
  core::Date imaging_date;
  {
    STORE_ASSIGN_OR_RETURN(
        Stmt s, c.Prepare("UPDATE episodes SET version = version + 1, phase = ?3, strategy = ?4, "
                          "classification = ?5, alert_flags = ?6 WHERE id = ?1 AND version = ?2 "
                          "RETURNING imaging_date"));
    s.Bind(1, episode_id).Bind(2, expected_version).Bind(3, projection.phase);
    s.Bind(4, projection.strategy).Bind(5, projection.classification);
    s.Bind(6, int64_t{projection.alert_flags});
    STORE_ASSIGN_OR_RETURN(bool row, s.Step("update episode"));
    if (!row) {
      STORE_ASSIGN_OR_RETURN(Stmt q, c.Prepare("SELECT 1 FROM episodes WHERE id = ?1"));
      q.Bind(1, episode_id);
      STORE_ASSIGN_OR_RETURN(bool exists, q.Step("read episode"));
      if (!exists) return internal::NotFound("episode");
      return internal::Conflict("episode version is not " + std::to_string(expected_version) +
                                ": re-read the episode and retry");
    }
    imaging_date = s.DateAt(0);
    if (s.corrupt()) return Corrupt();
    STORE_RETURN_IF_ERROR(s.Run("update episode"));
  }
  const int64_t seq = expected_version + 1;
  {
    STORE_ASSIGN_OR_RETURN(Stmt s, c.Prepare("INSERT INTO episode_events (episode_id, seq, type, "
                                             "body_json, actor, at, assessment_json) VALUES "
                                             "(?1, ?2, ?3, ?4, ?5, ?6, ?7)"));
    s.Bind(1, episode_id).Bind(2, seq).Bind(3, event.type).Bind(4, event.body_json);
    s.Bind(5, actor.name).Bind(6, actor.at);
    if (event.assessment_json.empty()) {
      s.BindNull(7);
    } else {
      s.Bind(7, event.assessment_json);
    }
    STORE_RETURN_IF_ERROR(s.Run("insert event"));
  }
  for (const char* sql : {"DELETE FROM scans WHERE episode_id = ?1",
                          "DELETE FROM episode_alerts WHERE episode_id = ?1"}) {
    STORE_ASSIGN_OR_RETURN(Stmt s, c.Prepare(sql));
    s.Bind(1, episode_id);
    STORE_RETURN_IF_ERROR(s.Run("replace projection"));
  }
  STORE_RETURN_IF_ERROR(WriteProjectionRows(c, episode_id, imaging_date, projection));
  STORE_RETURN_IF_ERROR(WriteAudit(c, episode_id, actor, "event." + event.type,
                                   internal::EventChange(seq, event, projection)));
  return tx.Commit();
}

core::Result<std::vector<AuditEntry>> SqliteStore::Audit(std::string_view episode_id) {
  STORE_ASSIGN_OR_RETURN(auto conn, pool_->Acquire());
  STORE_ASSIGN_OR_RETURN(
      Stmt s, conn->Prepare(episode_id.empty()
                                ? "SELECT id, episode_id, actor, at, action, change_json FROM "
                                  "audit WHERE episode_id IS NULL AND procedure_id IS NULL ORDER BY id"
                                : "SELECT id, episode_id, actor, at, action, change_json FROM "
                                  "audit WHERE episode_id = ?1 ORDER BY id"));
  if (!episode_id.empty()) s.Bind(1, episode_id);
  std::vector<AuditEntry> out;
  for (;;) {
    STORE_ASSIGN_OR_RETURN(bool row, s.Step("read audit"));
    if (!row) break;
    out.push_back(AuditEntry{s.Int(0), s.Text(1), s.Text(2), s.Text(3), s.Text(4), s.Text(5)});
  }
  return out;
}

core::Status SqliteStore::CreateToken(const TokenRow& t, const Actor& actor) {
  STORE_ASSIGN_OR_RETURN(auto conn, pool_->Acquire());
  STORE_ASSIGN_OR_RETURN(Tx tx, Tx::Begin(*conn, true));
  {
    STORE_ASSIGN_OR_RETURN(Stmt s, conn->Prepare("INSERT INTO api_tokens (id, hash, role, label, "
                                                 "created_at) VALUES (?1, ?2, ?3, ?4, ?5)"));
    s.Bind(1, t.id).Bind(2, t.hash).Bind(3, t.role).Bind(4, t.label).Bind(5, t.created_at);
    STORE_RETURN_IF_ERROR(s.Run("insert token"));
  }
  STORE_RETURN_IF_ERROR(
      WriteAudit(*conn, "", actor, "token.create", internal::TokenCreateChange(t)));
  return tx.Commit();
}

core::Result<std::optional<TokenRow>> SqliteStore::FindTokenByHash(std::string_view hash) {
  STORE_ASSIGN_OR_RETURN(auto conn, pool_->Acquire());
  STORE_ASSIGN_OR_RETURN(Stmt s, conn->Prepare("SELECT id, hash, role, label, created_at FROM "
                                               "api_tokens WHERE hash = ?1"));
  s.Bind(1, hash);
  STORE_ASSIGN_OR_RETURN(bool row, s.Step("read token"));
  if (!row) return std::optional<TokenRow>();
  return std::optional<TokenRow>(TokenRow{s.Text(0), s.Text(1), s.Text(2), s.Text(3), s.Text(4)});
}

core::Result<int64_t> SqliteStore::CountTokens() {
  STORE_ASSIGN_OR_RETURN(auto conn, pool_->Acquire());
  STORE_ASSIGN_OR_RETURN(Stmt s, conn->Prepare("SELECT count(*) FROM api_tokens"));
  STORE_ASSIGN_OR_RETURN(bool row, s.Step("count tokens"));
  return row ? s.Int(0) : int64_t{0};
}

// ---- procedures ----

namespace {

core::Status WriteProcedureAudit(Conn& c, std::string_view procedure_id, const Actor& actor,
                                 std::string_view action, const std::string& change) {
  STORE_ASSIGN_OR_RETURN(Stmt st, c.Prepare("INSERT INTO audit (procedure_id, actor, at, action, "
                                            "change_json) VALUES (?1, ?2, ?3, ?4, ?5)"));
  st.Bind(1, procedure_id).Bind(2, actor.name).Bind(3, actor.at).Bind(4, action).Bind(5, change);
  return st.Run("insert audit");
}

constexpr std::string_view kProcedureColumns =
    "id, patient_id, date, operator, version, record_json, created_at, created_by";

ProcedureRecord ReadProcedure(Stmt& s) {
  ProcedureRecord r;
  r.procedure.id = s.Text(0);
  r.procedure.patient_id = s.Text(1);
  r.procedure.date = s.DateAt(2);
  r.procedure.operator_name = s.Text(3);
  r.version = s.Int(4);
  r.procedure.record_json = s.Text(5);
  r.created_at = s.Text(6);
  r.created_by = s.Text(7);
  return r;
}

}  // namespace

core::Status SqliteStore::CreateProcedure(const NewProcedure& p, const Actor& actor) {
  STORE_ASSIGN_OR_RETURN(auto conn, pool_->Acquire());
  STORE_ASSIGN_OR_RETURN(Tx tx, Tx::Begin(*conn, true));
  {
    STORE_ASSIGN_OR_RETURN(Stmt s, conn->Prepare("INSERT INTO procedures (id, patient_id, date, "
                                                 "operator, version, record_json, created_at, "
                                                 "created_by) VALUES (?1,?2,?3,?4,0,?5,?6,?7)"));
    s.Bind(1, p.id).Bind(2, p.patient_id).Bind(3, p.date).Bind(4, p.operator_name);
    s.Bind(5, p.record_json).Bind(6, actor.at).Bind(7, actor.name);
    STORE_RETURN_IF_ERROR(s.Run("insert procedure"));
  }
  STORE_RETURN_IF_ERROR(WriteProcedureAudit(*conn, p.id, actor, "procedure.create",
                                            internal::ProcedureCreateChange(p)));
  return tx.Commit();
}

core::Result<ProcedureRecord> SqliteStore::GetProcedure(std::string_view id) {
  STORE_ASSIGN_OR_RETURN(auto conn, pool_->Acquire());
  STORE_ASSIGN_OR_RETURN(Stmt s, conn->Prepare("SELECT " + std::string(kProcedureColumns) +
                                               " FROM procedures WHERE id = ?1"));
  s.Bind(1, id);
  STORE_ASSIGN_OR_RETURN(bool row, s.Step("read procedure"));
  if (!row) return internal::NotFound<ProcedureRecord>("procedure");
  ProcedureRecord r = ReadProcedure(s);
  if (s.corrupt()) return Corrupt();
  return r;
}

core::Result<std::vector<ProcedureRecord>> SqliteStore::ListProcedures(const ProcedureQuery& q) {
  STORE_RETURN_IF_ERROR(internal::CheckProcedureLimit(q.limit));
  STORE_ASSIGN_OR_RETURN(auto conn, pool_->Acquire());
  STORE_ASSIGN_OR_RETURN(
      Stmt s, conn->Prepare("SELECT " + std::string(kProcedureColumns) +
                            " FROM procedures WHERE (?1 IS NULL OR date >= ?1) AND "
                            "(?2 IS NULL OR date <= ?2) AND (?3 = '' OR operator = ?3) "
                            "ORDER BY date, id LIMIT ?4"));
  s.Bind(1, q.from).Bind(2, q.to).Bind(3, q.operator_name).Bind(4, int64_t{q.limit});
  std::vector<ProcedureRecord> out;
  for (;;) {
    STORE_ASSIGN_OR_RETURN(bool row, s.Step("list procedures"));
    if (!row) break;
    out.push_back(ReadProcedure(s));
  }
  if (s.corrupt()) return Corrupt();
  return out;
}

core::Status SqliteStore::ReplaceProcedure(std::string_view id, int64_t expected_version,
                                           ProcedureChange change, std::string_view change_json,
                                           std::string_view record_json, const Actor& actor) {
  STORE_ASSIGN_OR_RETURN(auto conn, pool_->Acquire());
  Conn& c = *conn;
  STORE_ASSIGN_OR_RETURN(Tx tx, Tx::Begin(c, true));
  {
    STORE_ASSIGN_OR_RETURN(Stmt s, c.Prepare("UPDATE procedures SET version = version + 1, "
                                             "record_json = ?3 WHERE id = ?1 AND version = ?2"));
    s.Bind(1, id).Bind(2, expected_version).Bind(3, record_json);
    STORE_RETURN_IF_ERROR(s.Run("update procedure"));
  }
  if (c.Changes() == 0) {
    STORE_ASSIGN_OR_RETURN(Stmt q, c.Prepare("SELECT 1 FROM procedures WHERE id = ?1"));
    q.Bind(1, id);
    STORE_ASSIGN_OR_RETURN(bool exists, q.Step("read procedure"));
    if (!exists) return internal::NotFound("procedure");
    return internal::StaleProcedureVersion(expected_version);
  }
  STORE_RETURN_IF_ERROR(WriteProcedureAudit(
      c, id, actor, internal::ProcedureChangeAction(change),
      internal::ProcedureUpdateChange(change, expected_version + 1, change_json)));
  return tx.Commit();
}

core::Result<std::vector<AuditEntry>> SqliteStore::ProcedureAudit(std::string_view id) {
  STORE_ASSIGN_OR_RETURN(auto conn, pool_->Acquire());
  STORE_ASSIGN_OR_RETURN(Stmt s, conn->Prepare("SELECT id, actor, at, action, change_json FROM "
                                               "audit WHERE procedure_id = ?1 ORDER BY id"));
  s.Bind(1, id);
  std::vector<AuditEntry> out;
  for (;;) {
    STORE_ASSIGN_OR_RETURN(bool row, s.Step("read audit"));
    if (!row) break;
    AuditEntry e{s.Int(0), "", s.Text(1), s.Text(2), s.Text(3), s.Text(4)};
    e.procedure_id = std::string(id);
    out.push_back(std::move(e));
  }
  return out;
}

core::Result<std::vector<std::pair<std::string, int64_t>>> SqliteStore::CountByPhase() {
  STORE_ASSIGN_OR_RETURN(auto conn, pool_->Acquire());
  STORE_ASSIGN_OR_RETURN(Stmt s, conn->Prepare("SELECT phase, count(*) FROM episodes "
                                               "GROUP BY phase ORDER BY phase"));
  std::vector<std::pair<std::string, int64_t>> out;
  for (;;) {
    STORE_ASSIGN_OR_RETURN(bool row, s.Step("count episodes"));
    if (!row) break;
    out.emplace_back(s.Text(0), s.Int(1));
  }
  return out;
}

}  // namespace calfdvt::store
