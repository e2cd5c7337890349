#include "store/postgres_store.h"

#include "store/migrations.h"
#include "store/pg_db.h"
#include "store/store_common.h"

namespace calfdvt::store {

using pg::Conn;
using pg::Params;
using pg::Res;
using pg::Tx;

namespace {

constexpr int kMaxConnections = 8;
// Serialises concurrent migrations of one database (pg_advisory_xact_lock key).
constexpr std::string_view kMigrationLock = "SELECT pg_advisory_xact_lock(2026061501)";

internal::Failure Corrupt() {
  return internal::FailureOf(internal::Internal("postgresql: a stored value is malformed"));
}

core::Result<int> ApplyMigrations(Conn& c) {
  STORE_ASSIGN_OR_RETURN(Tx tx, Tx::Begin(c));
  STORE_RETURN_IF_ERROR(c.Command(kMigrationLock, "lock migrations"));
  STORE_RETURN_IF_ERROR(
      c.Command("CREATE TABLE IF NOT EXISTS schema_migrations ("
                "version INTEGER PRIMARY KEY, name TEXT NOT NULL, "
                "checksum TEXT NOT NULL, applied_at TEXT NOT NULL)",
                "create schema_migrations"));
  const auto all = PostgresMigrations();
  int current = 0;
  {
    STORE_ASSIGN_OR_RETURN(Res r, c.Exec("SELECT version, checksum FROM schema_migrations "
                                         "ORDER BY version",
                                         Params(), "read schema_migrations"));
    for (int i = 0; i < r.rows(); ++i) {
      const int64_t v = r.Int(i, 0);
      if (v < 1 || v > static_cast<int64_t>(all.size())) {
        return internal::Internal<int>("database schema version " + std::to_string(v) +
                                       " is newer than this build (" + std::to_string(all.size()) +
                                       ")");
      }
      if (r.Text(i, 1) != MigrationChecksum(all[static_cast<size_t>(v - 1)].sql)) {
        return internal::Internal<int>("migration " + std::to_string(v) +
                                       " differs from the one applied: released migrations "
                                       "must never be edited");
      }
      current = static_cast<int>(v);
    }
  }
  for (const Migration& m : all) {
    if (m.version <= current) continue;
    STORE_RETURN_IF_ERROR(c.Command(m.sql, "apply migration " + std::to_string(m.version)));
    Params p;
    p.Add(int64_t{m.version}).Add(m.name).Add(MigrationChecksum(m.sql));
    STORE_RETURN_IF_ERROR(
        c.Exec("INSERT INTO schema_migrations VALUES ($1, $2, $3, "
               "to_char(now() AT TIME ZONE 'UTC', "
               "'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'))",
               p, "record migration"));
    current = m.version;
  }
  STORE_RETURN_IF_ERROR(tx.Commit());
  return current;
}

core::Status WriteProjectionRows(Conn& c, std::string_view id, core::Date imaging_date,
                                 const Projection& p) {
  const bool active = internal::PhaseIsActive(p.phase);
  for (const ScanRow& s : p.scans) {
    Params params;
    params.Add(id).Add(int64_t{s.day}).Add(s.due).Add(s.window_start).Add(s.window_end);
    params.Add(s.booked).Add(s.state).Add(s.result);
    params.Add(internal::ScanPending(s, active) ? "true" : "false");
    STORE_RETURN_IF_ERROR(
        c.Exec("INSERT INTO scans (episode_id, day, due, window_start, "
               "window_end, booked, state, result, pending) VALUES "
               "($1, $2, $3::date, $4::date, $5::date, $6::date, $7, $8, $9)",
               params, "insert scan"));
  }
  if (active) {
    for (int code : internal::AlertCodes(p.alert_flags)) {
      Params params;
      params.Add(id).Add(int64_t{code}).Add(imaging_date);
      STORE_RETURN_IF_ERROR(
          c.Exec("INSERT INTO episode_alerts (episode_id, code, imaging_date) "
                 "VALUES ($1, $2, $3::date)",
                 params, "insert alert"));
    }
  }
  if (const int widest = internal::MaxWindowDays(p); widest > 0) {
    Params params;
    params.Add(int64_t{widest});
    STORE_RETURN_IF_ERROR(
        c.Exec("UPDATE store_meta SET value = $1 WHERE key = "
               "'max_scan_window_days' AND value < $1",
               params, "update scan window bound"));
  }
  return core::OkStatus();
}

core::Status WriteAudit(Conn& c, std::string_view episode_id, const Actor& actor,
                        std::string_view action, const std::string& change) {
  Params p;
  if (episode_id.empty()) {
    p.AddNull();
  } else {
    p.Add(episode_id);
  }
  p.Add(actor.name).Add(actor.at).Add(action).Add(change);
  return internal::FailureOrOk(
      c.Exec("INSERT INTO audit (episode_id, actor, at, action, "
             "change_json) VALUES ($1, $2, $3, $4, $5)",
             p, "insert audit"));
}

constexpr std::string_view kEpisodeColumns =
    "id, patient_id, version, phase, strategy, classification, alert_flags, imaging_date, "
    "case_json, assessment_json, knowledge_id, knowledge_version, knowledge_sha256, profile, "
    "created_at, created_by";

EpisodeRecord ReadEpisode(Res& r, int i) {
  EpisodeRecord out;
  NewEpisode& e = out.episode;
  e.id = r.Text(i, 0);
  e.patient_id = r.Text(i, 1);
  out.version = r.Int(i, 2);
  out.projection.phase = r.Text(i, 3);
  out.projection.strategy = r.Text(i, 4);
  out.projection.classification = r.Text(i, 5);
  out.projection.alert_flags = static_cast<uint32_t>(r.Int(i, 6));
  e.imaging_date = r.DateAt(i, 7);
  e.case_json = r.Text(i, 8);
  e.assessment_json = r.Text(i, 9);
  e.knowledge_id = r.Text(i, 10);
  e.knowledge_version = r.Text(i, 11);
  e.knowledge_sha256 = r.Text(i, 12);
  e.profile = r.Text(i, 13);
  out.created_at = r.Text(i, 14);
  out.created_by = r.Text(i, 15);
  return out;
}

core::Status LoadScans(Conn& c, EpisodeRecord& rec) {
  Params p;
  p.Add(rec.episode.id);
  STORE_ASSIGN_OR_RETURN(Res r, c.Exec("SELECT day, due, window_start, window_end, booked, "
                                       "state, result FROM scans WHERE episode_id = $1 "
                                       "ORDER BY day",
                                       p, "read scans"));
  for (int i = 0; i < r.rows(); ++i) {
    ScanRow s;
    s.day = static_cast<int>(r.Int(i, 0));
    s.due = r.DateAt(i, 1);
    s.window_start = r.DateAt(i, 2);
    s.window_end = r.DateAt(i, 3);
    s.booked = r.OptDate(i, 4);
    s.state = r.Text(i, 5);
    s.result = r.Text(i, 6);
    rec.projection.scans.push_back(std::move(s));
  }
  if (r.corrupt()) return Corrupt();
  rec.episode.projection = rec.projection;
  return core::OkStatus();
}

}  // namespace

PostgresStore::PostgresStore(std::unique_ptr<pg::Pool> pool) : pool_(std::move(pool)) {}
PostgresStore::~PostgresStore() = default;

core::Result<std::unique_ptr<PostgresStore>> PostgresStore::Open(const std::string& url) {
  STORE_ASSIGN_OR_RETURN(auto pool, pg::Pool::Open(url, kMaxConnections));
  return std::unique_ptr<PostgresStore>(new PostgresStore(std::move(pool)));
}

core::Result<int> PostgresStore::Migrate() {
  STORE_ASSIGN_OR_RETURN(auto conn, pool_->Acquire());
  return ApplyMigrations(*conn);
}

core::Status PostgresStore::CreateEpisode(const NewEpisode& e, const Actor& actor) {
  STORE_ASSIGN_OR_RETURN(auto conn, pool_->Acquire());
  Conn& c = *conn;
  STORE_ASSIGN_OR_RETURN(Tx tx, Tx::Begin(c));
  {
    const Projection& pr = e.projection;
    Params p;
    p.Add(e.id).Add(e.patient_id).Add(pr.phase).Add(pr.strategy).Add(pr.classification);
    p.Add(int64_t{pr.alert_flags}).Add(e.imaging_date).Add(e.case_json).Add(e.assessment_json);
    p.Add(e.knowledge_id).Add(e.knowledge_version).Add(e.knowledge_sha256).Add(e.profile);
    p.Add(actor.at).Add(actor.name);
    STORE_RETURN_IF_ERROR(
        c.Exec("INSERT INTO episodes (id, patient_id, version, phase, "
               "strategy, classification, alert_flags, imaging_date, "
               "case_json, assessment_json, knowledge_id, knowledge_version, "
               "knowledge_sha256, profile, created_at, created_by) VALUES "
               "($1, $2, 0, $3, $4, $5, $6, $7::date, $8, $9, $10, $11, $12, "
               "$13, $14, $15)",
               p, "insert episode"));
  }
  STORE_RETURN_IF_ERROR(WriteProjectionRows(c, e.id, e.imaging_date, e.projection));
  STORE_RETURN_IF_ERROR(
      WriteAudit(c, e.id, actor, "episode.create", internal::EpisodeCreateChange(e)));
  return tx.Commit();
}

core::Result<EpisodeRecord> PostgresStore::GetEpisode(std::string_view id) {
  STORE_ASSIGN_OR_RETURN(auto conn, pool_->Acquire());
  Conn& c = *conn;
  // One snapshot for the episode, its scans and its events.
  STORE_ASSIGN_OR_RETURN(Tx tx, Tx::Begin(c, "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY"));
  Params p;
  p.Add(id);
  STORE_ASSIGN_OR_RETURN(
      Res r, c.Exec("SELECT " + std::string(kEpisodeColumns) + " FROM episodes WHERE id = $1", p,
                    "read episode"));
  if (r.rows() == 0) return internal::NotFound<EpisodeRecord>("episode");
  EpisodeRecord rec = ReadEpisode(r, 0);
  if (r.corrupt()) return Corrupt();
  STORE_RETURN_IF_ERROR(LoadScans(c, rec));
  STORE_ASSIGN_OR_RETURN(Res ev, c.Exec("SELECT seq, type, body_json, actor, at, "
                                        "assessment_json FROM episode_events WHERE "
                                        "episode_id = $1 ORDER BY seq",
                                        p, "read events"));
  for (int i = 0; i < ev.rows(); ++i) {
    rec.events.push_back(EventRow{ev.Int(i, 0), ev.Text(i, 1), ev.Text(i, 2), ev.Text(i, 3),
                                  ev.Text(i, 4), ev.Text(i, 5)});
  }
  STORE_RETURN_IF_ERROR(tx.Commit());
  return rec;
}

core::Result<std::vector<EpisodeRecord>> PostgresStore::ListEpisodes(std::string_view patient_id,
                                                                     int limit) {
  STORE_RETURN_IF_ERROR(internal::CheckListLimit(limit));
  STORE_ASSIGN_OR_RETURN(auto conn, pool_->Acquire());
  Conn& c = *conn;
  STORE_ASSIGN_OR_RETURN(Tx tx, Tx::Begin(c, "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY"));
  Params p;
  p.Add(patient_id).Add(int64_t{limit});
  STORE_ASSIGN_OR_RETURN(Res r, c.Exec("SELECT " + std::string(kEpisodeColumns) +
                                           " FROM episodes WHERE patient_id = $1 "
                                           "ORDER BY created_at DESC, id DESC LIMIT $2",
                                       p, "list episodes"));
  std::vector<EpisodeRecord> out;
  for (int i = 0; i < r.rows(); ++i) out.push_back(ReadEpisode(r, i));
  if (r.corrupt()) return Corrupt();
  for (EpisodeRecord& rec : out) STORE_RETURN_IF_ERROR(LoadScans(c, rec));
  STORE_RETURN_IF_ERROR(tx.Commit());
  return out;
}

core::Status PostgresStore::AppendEvent(std::string_view episode_id, int64_t expected_version,
                                        const EventRow& event, const Projection& projection,
                                        const Actor& actor) {
  STORE_ASSIGN_OR_RETURN(auto conn, pool_->Acquire());
  Conn& c = *conn;
  STORE_ASSIGN_OR_RETURN(Tx tx, Tx::Begin(c));
  Params id;
  id.Add(episode_id);
  core::Date imaging_date;
  {
    // Row lock + version check: a concurrent append waits here, then finds the version moved.
    Params p;
    p.Add(episode_id).Add(expected_version).Add(projection.phase).Add(projection.strategy);
    p.Add(projection.classification).Add(int64_t{projection.alert_flags});
    STORE_ASSIGN_OR_RETURN(Res r, c.Exec("UPDATE episodes SET version = version + 1, "
                                         "phase = $3, strategy = $4, classification = $5, "
                                         "alert_flags = $6 WHERE id = $1 AND version = $2 "
                                         "RETURNING imaging_date",
                                         p, "update episode"));
    if (r.rows() == 0) {
      STORE_ASSIGN_OR_RETURN(Res q,
                             c.Exec("SELECT 1 FROM episodes WHERE id = $1", id, "read episode"));
      if (q.rows() == 0) return internal::NotFound("episode");
      return internal::Conflict("episode version is not " + std::to_string(expected_version) +
                                ": re-read the episode and retry");
    }
    imaging_date = r.DateAt(0, 0);
    if (r.corrupt()) return Corrupt();
  }
  const int64_t seq = expected_version + 1;
  {
    Params p;
    p.Add(episode_id).Add(seq).Add(event.type).Add(event.body_json).Add(actor.name);
    p.Add(actor.at);
    if (event.assessment_json.empty()) {
      p.AddNull();
    } else {
      p.Add(event.assessment_json);
    }
    STORE_RETURN_IF_ERROR(
        c.Exec("INSERT INTO episode_events (episode_id, seq, type, body_json, "
               "actor, at, assessment_json) VALUES ($1, $2, $3, $4, $5, $6, "
               "$7)",
               p, "insert event"));
  }
  STORE_RETURN_IF_ERROR(
      c.Exec("DELETE FROM scans WHERE episode_id = $1", id, "replace projection"));
  STORE_RETURN_IF_ERROR(
      c.Exec("DELETE FROM episode_alerts WHERE episode_id = $1", id, "replace projection"));
  STORE_RETURN_IF_ERROR(WriteProjectionRows(c, episode_id, imaging_date, projection));
  STORE_RETURN_IF_ERROR(WriteAudit(c, episode_id, actor, "event." + event.type,
                                   internal::EventChange(seq, event, projection)));
  return tx.Commit();
}

core::Result<std::vector<AuditEntry>> PostgresStore::Audit(std::string_view episode_id) {
  STORE_ASSIGN_OR_RETURN(auto conn, pool_->Acquire());
  Params p;
  if (!episode_id.empty()) p.Add(episode_id);
  STORE_ASSIGN_OR_RETURN(
      Res r, conn->Exec(episode_id.empty()
                            ? "SELECT id, episode_id, actor, at, action, change_json FROM audit "
                              "WHERE episode_id IS NULL AND procedure_id IS NULL ORDER BY id"
                            : "SELECT id, episode_id, actor, at, action, change_json FROM audit "
                              "WHERE episode_id = $1 ORDER BY id",
                        p, "read audit"));
  std::vector<AuditEntry> out;
  for (int i = 0; i < r.rows(); ++i) {
    out.push_back(AuditEntry{r.Int(i, 0), r.Text(i, 1), r.Text(i, 2), r.Text(i, 3), r.Text(i, 4),
                             r.Text(i, 5)});
  }
  return out;
}

core::Status PostgresStore::CreateToken(const TokenRow& t, const Actor& actor) {
  STORE_ASSIGN_OR_RETURN(auto conn, pool_->Acquire());
  STORE_ASSIGN_OR_RETURN(Tx tx, Tx::Begin(*conn));
  Params p;
  p.Add(t.id).Add(t.hash).Add(t.role).Add(t.label).Add(t.created_at);
  STORE_RETURN_IF_ERROR(
      conn->Exec("INSERT INTO api_tokens (id, hash, role, label, created_at) "
                 "VALUES ($1, $2, $3, $4, $5)",
                 p, "insert token"));
  STORE_RETURN_IF_ERROR(
      WriteAudit(*conn, "", actor, "token.create", internal::TokenCreateChange(t)));
  return tx.Commit();
}

core::Result<std::optional<TokenRow>> PostgresStore::FindTokenByHash(std::string_view hash) {
  STORE_ASSIGN_OR_RETURN(auto conn, pool_->Acquire());
  Params p;
  p.Add(hash);
  STORE_ASSIGN_OR_RETURN(Res r, conn->Exec("SELECT id, hash, role, label, created_at FROM "
                                           "api_tokens WHERE hash = $1",
                                           p, "read token"));
  if (r.rows() == 0) return std::optional<TokenRow>();
  return std::optional<TokenRow>(
      TokenRow{r.Text(0, 0), r.Text(0, 1), r.Text(0, 2), r.Text(0, 3), r.Text(0, 4)});
}

core::Result<int64_t> PostgresStore::CountTokens() {
  STORE_ASSIGN_OR_RETURN(auto conn, pool_->Acquire());
  STORE_ASSIGN_OR_RETURN(Res r,
                         conn->Exec("SELECT count(*) FROM api_tokens", Params(), "count tokens"));
  return r.Int(0, 0);
}

// ---- procedures ----

namespace {

core::Status WriteProcedureAudit(Conn& c, std::string_view procedure_id, const Actor& actor,
                                 std::string_view action, const std::string& change) {
  Params p;
  p.Add(procedure_id).Add(actor.name).Add(actor.at).Add(action).Add(change);
  return internal::FailureOrOk(
      c.Exec("INSERT INTO audit (procedure_id, actor, at, action, change_json) "
             "VALUES ($1, $2, $3, $4, $5)",
             p, "insert audit"));
}

constexpr std::string_view kProcedureColumns =
    "id, patient_id, date, operator, version, record_json, created_at, created_by";

ProcedureRecord ReadProcedure(Res& r, int i) {
  ProcedureRecord out;
  out.procedure.id = r.Text(i, 0);
  out.procedure.patient_id = r.Text(i, 1);
  out.procedure.date = r.DateAt(i, 2);
  out.procedure.operator_name = r.Text(i, 3);
  out.version = r.Int(i, 4);
  out.procedure.record_json = r.Text(i, 5);
  out.created_at = r.Text(i, 6);
  out.created_by = r.Text(i, 7);
  return out;
}

}  // namespace

core::Status PostgresStore::CreateProcedure(const NewProcedure& pr, const Actor& actor) {
  STORE_ASSIGN_OR_RETURN(auto conn, pool_->Acquire());
  Conn& c = *conn;
  STORE_ASSIGN_OR_RETURN(Tx tx, Tx::Begin(c));
  Params p;
  p.Add(pr.id).Add(pr.patient_id).Add(pr.date).Add(pr.operator_name).Add(pr.record_json);
  p.Add(actor.at).Add(actor.name);
  STORE_RETURN_IF_ERROR(c.Exec("INSERT INTO procedures (id, patient_id, date, operator, version, "
                               "record_json, created_at, created_by) VALUES "
                               "($1, $2, $3::date, $4, 0, $5, $6, $7)",
                               p, "insert procedure"));
  STORE_RETURN_IF_ERROR(WriteProcedureAudit(c, pr.id, actor, "procedure.create",
                                            internal::ProcedureCreateChange(pr)));
  return tx.Commit();
}

core::Result<ProcedureRecord> PostgresStore::GetProcedure(std::string_view id) {
  STORE_ASSIGN_OR_RETURN(auto conn, pool_->Acquire());
  Params p;
  p.Add(id);
  STORE_ASSIGN_OR_RETURN(Res r, conn->Exec("SELECT " + std::string(kProcedureColumns) +
                                               " FROM procedures WHERE id = $1",
                                           p, "read procedure"));
  if (r.rows() == 0) return internal::NotFound<ProcedureRecord>("procedure");
  ProcedureRecord rec = ReadProcedure(r, 0);
  if (r.corrupt()) return Corrupt();
  return rec;
}

core::Result<std::vector<ProcedureRecord>> PostgresStore::ListProcedures(
    const ProcedureQuery& q) {
  STORE_RETURN_IF_ERROR(internal::CheckProcedureLimit(q.limit));
  STORE_ASSIGN_OR_RETURN(auto conn, pool_->Acquire());
  Params p;
  p.Add(q.from).Add(q.to).Add(q.operator_name).Add(int64_t{q.limit});
  STORE_ASSIGN_OR_RETURN(
      Res r, conn->Exec("SELECT " + std::string(kProcedureColumns) +
                            " FROM procedures WHERE ($1::date IS NULL OR date >= $1::date) AND "
                            "($2::date IS NULL OR date <= $2::date) AND "
                            "($3 = '' OR operator = $3) ORDER BY date, id LIMIT $4",
                        p, "list procedures"));
  std::vector<ProcedureRecord> out;
  for (int i = 0; i < r.rows(); ++i) out.push_back(ReadProcedure(r, i));
  if (r.corrupt()) return Corrupt();
  return out;
}

core::Status PostgresStore::ReplaceProcedure(std::string_view id, int64_t expected_version,
                                             ProcedureChange change, std::string_view change_json,
                                             std::string_view record_json, const Actor& actor) {
  STORE_ASSIGN_OR_RETURN(auto conn, pool_->Acquire());
  Conn& c = *conn;
  STORE_ASSIGN_OR_RETURN(Tx tx, Tx::Begin(c));
  {
    // Row lock + version check: a concurrent append waits here, then finds the version moved.
    Params p;
    p.Add(id).Add(expected_version).Add(record_json);
    STORE_ASSIGN_OR_RETURN(Res r, c.Exec("UPDATE procedures SET version = version + 1, "
                                         "record_json = $3 WHERE id = $1 AND version = $2 "
                                         "RETURNING version",
                                         p, "update procedure"));
    if (r.rows() == 0) {
      Params q;
      q.Add(id);
      STORE_ASSIGN_OR_RETURN(
          Res e, c.Exec("SELECT 1 FROM procedures WHERE id = $1", q, "read procedure"));
      if (e.rows() == 0) return internal::NotFound("procedure");
      return internal::StaleProcedureVersion(expected_version);
    }
  }
  STORE_RETURN_IF_ERROR(WriteProcedureAudit(
      c, id, actor, internal::ProcedureChangeAction(change),
      internal::ProcedureUpdateChange(change, expected_version + 1, change_json)));
  return tx.Commit();
}

core::Result<std::vector<AuditEntry>> PostgresStore::ProcedureAudit(std::string_view id) {
  STORE_ASSIGN_OR_RETURN(auto conn, pool_->Acquire());
  Params p;
  p.Add(id);
  STORE_ASSIGN_OR_RETURN(Res r, conn->Exec("SELECT id, actor, at, action, change_json FROM audit "
                                           "WHERE procedure_id = $1 ORDER BY id",
                                           p, "read audit"));
  std::vector<AuditEntry> out;
  for (int i = 0; i < r.rows(); ++i) {
    AuditEntry e{r.Int(i, 0), "", r.Text(i, 1), r.Text(i, 2), r.Text(i, 3), r.Text(i, 4)};
    e.procedure_id = std::string(id);
    out.push_back(std::move(e));
  }
  return out;
}

core::Result<std::vector<std::pair<std::string, int64_t>>> PostgresStore::CountByPhase() {
  STORE_ASSIGN_OR_RETURN(auto conn, pool_->Acquire());
  STORE_ASSIGN_OR_RETURN(Res r, conn->Exec("SELECT phase, count(*) FROM episodes GROUP BY phase "
                                           "ORDER BY phase COLLATE \"C\"",
                                           Params(), "count episodes"));
  std::vector<std::pair<std::string, int64_t>> out;
  for (int i = 0; i < r.rows(); ++i) out.emplace_back(r.Text(i, 0), r.Int(i, 1));
  return out;
}

core::Status PostgresStore::Analyze() {
  STORE_ASSIGN_OR_RETURN(auto conn, pool_->Acquire());
  return conn->Command("VACUUM ANALYZE", "analyze");
}

}  // namespace calfdvt::store
