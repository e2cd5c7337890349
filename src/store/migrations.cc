#include "store/migrations.h"

#include <array>
#include <cstdio>

namespace calfdvt::store {
namespace {

// ---- SQLite ------------------------------------------------------------------------------------
// Dates are 'YYYY-MM-DD' text (sorts as dates); timestamps RFC 3339 UTC text.

constexpr std::string_view kSqlite1 = R"sql(
CREATE TABLE episodes (
  id                TEXT PRIMARY KEY NOT NULL,
  patient_id        TEXT NOT NULL,
  version           INTEGER NOT NULL DEFAULT 0 CHECK (version >= 0),
  phase             TEXT NOT NULL,
  strategy          TEXT NOT NULL,
  classification    TEXT NOT NULL,
  alert_flags       INTEGER NOT NULL DEFAULT 0,
  imaging_date      TEXT NOT NULL,
  case_json         TEXT NOT NULL,
  assessment_json   TEXT NOT NULL,
  knowledge_id      TEXT NOT NULL,
  knowledge_version TEXT NOT NULL,
  knowledge_sha256  TEXT NOT NULL,
  profile           TEXT NOT NULL,
  created_at        TEXT NOT NULL,
  created_by        TEXT NOT NULL
);
CREATE INDEX episodes_by_patient ON episodes (patient_id, created_at, id);
CREATE INDEX episodes_by_phase ON episodes (phase);

CREATE TABLE episode_events (
  episode_id      TEXT NOT NULL REFERENCES episodes (id),
  seq             INTEGER NOT NULL CHECK (seq >= 1),
  type            TEXT NOT NULL,
  body_json       TEXT NOT NULL,
  actor           TEXT NOT NULL,
  at              TEXT NOT NULL,
  assessment_json TEXT,
  PRIMARY KEY (episode_id, seq)
) WITHOUT ROWID;

CREATE TABLE scans (
  episode_id   TEXT NOT NULL REFERENCES episodes (id),
  day          INTEGER NOT NULL,
  due          TEXT NOT NULL,
  window_start TEXT NOT NULL,
  window_end   TEXT NOT NULL,
  booked       TEXT,
  state        TEXT NOT NULL CHECK (state IN ('open', 'completed', 'cancelled')),
  result       TEXT NOT NULL DEFAULT '',
  pending      INTEGER NOT NULL CHECK (pending IN (0, 1)),
  PRIMARY KEY (episode_id, day)
) WITHOUT ROWID;
CREATE INDEX scans_pending_by_end ON scans (window_end, episode_id, day, window_start)
  WHERE pending = 1;
CREATE INDEX scans_pending_by_start ON scans (window_start, episode_id, day) WHERE pending = 1;

CREATE TABLE episode_alerts (
  episode_id   TEXT NOT NULL REFERENCES episodes (id),
  code         INTEGER NOT NULL CHECK (code >= 0 AND code < 32),
  imaging_date TEXT NOT NULL,
  PRIMARY KEY (episode_id, code)
) WITHOUT ROWID;
CREATE INDEX episode_alerts_by_date ON episode_alerts (imaging_date, episode_id, code);

CREATE TABLE audit (
  id          INTEGER PRIMARY KEY AUTOINCREMENT,
  episode_id  TEXT REFERENCES episodes (id),
  actor       TEXT NOT NULL,
  at          TEXT NOT NULL,
  action      TEXT NOT NULL,
  change_json TEXT NOT NULL
);
CREATE INDEX audit_by_episode ON audit (episode_id, id);

CREATE TABLE api_tokens (
  id         TEXT PRIMARY KEY NOT NULL,
  hash       TEXT NOT NULL UNIQUE,
  role       TEXT NOT NULL CHECK (role IN ('viewer', 'clinician', 'admin')),
  label      TEXT NOT NULL,
  created_at TEXT NOT NULL
);

CREATE TABLE store_meta (
  key   TEXT PRIMARY KEY NOT NULL,
  value INTEGER NOT NULL
);
INSERT INTO store_meta (key, value) VALUES ('max_scan_window_days', 0);
)sql";

constexpr std::string_view kSqlite2 = R"sql(
CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit
  BEGIN SELECT RAISE(ABORT, 'audit is append-only'); END;
CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit
  BEGIN SELECT RAISE(ABORT, 'audit is append-only'); END;
CREATE TRIGGER episode_events_no_update BEFORE UPDATE ON episode_events
  BEGIN SELECT RAISE(ABORT, 'episode_events is append-only'); END;
CREATE TRIGGER episode_events_no_delete BEFORE DELETE ON episode_events
  BEGIN SELECT RAISE(ABORT, 'episode_events is append-only'); END;
)sql";

constexpr std::string_view kSqlite3 = R"sql(
CREATE TABLE procedures (
  id          TEXT PRIMARY KEY NOT NULL,
  patient_id  TEXT NOT NULL,
  date        TEXT NOT NULL,
  operator    TEXT NOT NULL DEFAULT '',
  version     INTEGER NOT NULL DEFAULT 0 CHECK (version >= 0),
  record_json TEXT NOT NULL,
  created_at  TEXT NOT NULL,
  created_by  TEXT NOT NULL
);
CREATE INDEX procedures_by_date ON procedures (date, id);
CREATE INDEX procedures_by_operator ON procedures (operator, date, id);
ALTER TABLE audit ADD COLUMN procedure_id TEXT REFERENCES procedures (id);
CREATE INDEX audit_by_procedure ON audit (procedure_id, id);
)sql";

constexpr std::string_view kSqlite4 = R"sql(
CREATE TABLE cds_feedback (
  id            INTEGER PRIMARY KEY AUTOINCREMENT,
  service_id    TEXT NOT NULL,
  card          TEXT NOT NULL,
  outcome       TEXT NOT NULL CHECK (outcome IN ('accepted', 'overridden')),
  accepted_json TEXT NOT NULL DEFAULT '[]',
  override_json TEXT NOT NULL DEFAULT '',
  outcome_at    TEXT NOT NULL,
  client        TEXT NOT NULL DEFAULT '',
  received_at   TEXT NOT NULL
);
CREATE INDEX cds_feedback_by_service ON cds_feedback (service_id, id);
CREATE INDEX cds_feedback_by_card ON cds_feedback (card);
)sql";

constexpr std::array kSqlite = {
    Migration{1, "initial schema", kSqlite1},
    Migration{2, "append-only audit and event log", kSqlite2},
    Migration{3, "calf-squeeze procedures", kSqlite3},
    Migration{4, "CDS Hooks feedback", kSqlite4},
};

// ---- PostgreSQL --------------------------------------------------------------------------------
// Identifiers and timestamps use COLLATE "C" so ordering is bytewise, as in SQLite, whatever the
// database's default collation.

constexpr std::string_view kPostgres1 = R"sql(
CREATE TABLE episodes (
  id                TEXT COLLATE "C" PRIMARY KEY,
  patient_id        TEXT COLLATE "C" NOT NULL,
  version           BIGINT NOT NULL DEFAULT 0 CHECK (version >= 0),
  phase             TEXT NOT NULL,
  strategy          TEXT NOT NULL,
  classification    TEXT NOT NULL,
  alert_flags       INTEGER NOT NULL DEFAULT 0,
  imaging_date      DATE NOT NULL,
  case_json         TEXT NOT NULL,
  assessment_json   TEXT NOT NULL,
  knowledge_id      TEXT NOT NULL,
  knowledge_version TEXT NOT NULL,
  knowledge_sha256  TEXT NOT NULL,
  profile           TEXT NOT NULL,
  created_at        TEXT COLLATE "C" NOT NULL,
  created_by        TEXT NOT NULL
);
CREATE INDEX episodes_by_patient ON episodes (patient_id, created_at, id);
CREATE INDEX episodes_by_phase ON episodes (phase);

CREATE TABLE episode_events (
  episode_id      TEXT COLLATE "C" NOT NULL REFERENCES episodes (id),
  seq             BIGINT NOT NULL CHECK (seq >= 1),
  type            TEXT NOT NULL,
  body_json       TEXT NOT NULL,
  actor           TEXT NOT NULL,
  at              TEXT NOT NULL,
  assessment_json TEXT,
  PRIMARY KEY (episode_id, seq)
);

CREATE TABLE scans (
  episode_id   TEXT COLLATE "C" NOT NULL REFERENCES episodes (id),
  day          INTEGER NOT NULL,
  due          DATE NOT NULL,
  window_start DATE NOT NULL,
  window_end   DATE NOT NULL,
  booked       DATE,
  state        TEXT NOT NULL CHECK (state IN ('open', 'completed', 'cancelled')),
  result       TEXT NOT NULL DEFAULT '',
  pending      BOOLEAN NOT NULL,
  PRIMARY KEY (episode_id, day)
);
CREATE INDEX scans_pending_by_end ON scans (window_end, episode_id, day) INCLUDE (window_start)
  WHERE pending;
CREATE INDEX scans_pending_by_start ON scans (window_start, episode_id, day) WHERE pending;

CREATE TABLE episode_alerts (
  episode_id   TEXT COLLATE "C" NOT NULL REFERENCES episodes (id),
  code         INTEGER NOT NULL CHECK (code >= 0 AND code < 32),
  imaging_date DATE NOT NULL,
  PRIMARY KEY (episode_id, code)
);
CREATE INDEX episode_alerts_by_date ON episode_alerts (imaging_date, episode_id, code);

CREATE TABLE audit (
  id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  episode_id  TEXT COLLATE "C" REFERENCES episodes (id),
  actor       TEXT NOT NULL,
  at          TEXT NOT NULL,
  action      TEXT NOT NULL,
  change_json TEXT NOT NULL
);
CREATE INDEX audit_by_episode ON audit (episode_id, id);

CREATE TABLE api_tokens (
  id         TEXT COLLATE "C" PRIMARY KEY,
  hash       TEXT COLLATE "C" NOT NULL UNIQUE,
  role       TEXT NOT NULL CHECK (role IN ('viewer', 'clinician', 'admin')),
  label      TEXT NOT NULL,
  created_at TEXT NOT NULL
);

CREATE TABLE store_meta (
  key   TEXT PRIMARY KEY,
  value BIGINT NOT NULL
);
INSERT INTO store_meta (key, value) VALUES ('max_scan_window_days', 0);
)sql";

constexpr std::string_view kPostgres2 = R"sql(
CREATE FUNCTION calfdvt_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION '% is append-only', TG_TABLE_NAME;
END
$$;
CREATE TRIGGER audit_append_only BEFORE UPDATE OR DELETE ON audit
  FOR EACH ROW EXECUTE FUNCTION calfdvt_append_only();
CREATE TRIGGER audit_no_truncate BEFORE TRUNCATE ON audit
  FOR EACH STATEMENT EXECUTE FUNCTION calfdvt_append_only();
CREATE TRIGGER episode_events_append_only BEFORE UPDATE OR DELETE ON episode_events
  FOR EACH ROW EXECUTE FUNCTION calfdvt_append_only();
CREATE TRIGGER episode_events_no_truncate BEFORE TRUNCATE ON episode_events
  FOR EACH STATEMENT EXECUTE FUNCTION calfdvt_append_only();
)sql";

constexpr std::string_view kPostgres3 = R"sql(
CREATE TABLE procedures (
  id          TEXT COLLATE "C" PRIMARY KEY,
  patient_id  TEXT COLLATE "C" NOT NULL,
  date        DATE NOT NULL,
  operator    TEXT COLLATE "C" NOT NULL DEFAULT '',
  version     BIGINT NOT NULL DEFAULT 0 CHECK (version >= 0),
  record_json TEXT NOT NULL,
  created_at  TEXT COLLATE "C" NOT NULL,
  created_by  TEXT NOT NULL
);
CREATE INDEX procedures_by_date ON procedures (date, id);
CREATE INDEX procedures_by_operator ON procedures (operator, date, id);
ALTER TABLE audit ADD COLUMN procedure_id TEXT COLLATE "C" REFERENCES procedures (id);
CREATE INDEX audit_by_procedure ON audit (procedure_id, id);
)sql";

constexpr std::string_view kPostgres4 = R"sql(
CREATE TABLE cds_feedback (
  id            BIGSERIAL PRIMARY KEY,
  service_id    TEXT COLLATE "C" NOT NULL,
  card          TEXT COLLATE "C" NOT NULL,
  outcome       TEXT NOT NULL CHECK (outcome IN ('accepted', 'overridden')),
  accepted_json TEXT NOT NULL DEFAULT '[]',
  override_json TEXT NOT NULL DEFAULT '',
  outcome_at    TEXT NOT NULL,
  client        TEXT NOT NULL DEFAULT '',
  received_at   TEXT COLLATE "C" NOT NULL
);
CREATE INDEX cds_feedback_by_service ON cds_feedback (service_id, id);
CREATE INDEX cds_feedback_by_card ON cds_feedback (card);
)sql";

constexpr std::array kPostgres = {
    Migration{1, "initial schema", kPostgres1},
    Migration{2, "append-only audit and event log", kPostgres2},
    Migration{3, "calf-squeeze procedures", kPostgres3},
    Migration{4, "CDS Hooks feedback", kPostgres4},
};

}  // namespace

std::span<const Migration> SqliteMigrations() { return kSqlite; }
std::span<const Migration> PostgresMigrations() { return kPostgres; }

std::string MigrationChecksum(std::string_view sql) {
  uint64_t h = 14695981039346656037ull;
  for (char c : sql) {
    h ^= static_cast<uint8_t>(c);
    h *= 1099511628211ull;
  }
  char buf[17];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(h));
  return buf;
}

}  // namespace calfdvt::store
