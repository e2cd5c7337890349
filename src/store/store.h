// Persistence for surveillance episodes, their event logs, audit trail and API tokens. One
// interface, two backends (SQLite embedded, PostgreSQL). The store holds no clinical logic: the
// caller derives projections (phase, scans, standing alerts) with the surveillance module and
// hands them in; the store writes event + projection + audit atomically.
//
// Thread safety: every method may be called concurrently from several threads.
// Errors: ErrorKind::kNotFound for a missing episode, kConflict when expected_version is stale
// (the caller should re-read and retry), kInvalidInput for a bad query (e.g. cursor), kInternal for
// database failures (the message never contains patient data).
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/date.h"
#include "core/status.h"

namespace calfdvt::store {

using core::Date;

// Who writes and when (the authenticated caller and the server clock, RFC 3339 UTC).
struct Actor {
  std::string name;
  std::string at;
};

struct ScanRow {
  int day = 0;
  Date due;
  Date window_start;
  Date window_end;
  std::optional<Date> booked;
  std::string state = "open";  // open | completed | cancelled
  std::string result;          // scan result when completed, else ""
};

// Derived state written with every change.
struct Projection {
  std::string phase;           // surveillance::kPhaseNames
  std::string strategy;        // current recommendation (pathway::kStrategyNames)
  std::string classification;  // pathway::kClassificationNames
  uint32_t alert_flags = 0;    // surveillance::StandingAlertFlags bits
  std::vector<ScanRow> scans;
};

struct NewEpisode {
  std::string id;  // chosen by the caller (UUID text); unique
  std::string patient_id;
  std::string case_json;        // the index case as received
  std::string assessment_json;  // the index assessment
  std::string knowledge_id;
  std::string knowledge_version;
  std::string knowledge_sha256;
  std::string profile;
  Date imaging_date;
  Projection projection;
};

struct EventRow {
  int64_t seq = 0;  // 1-based position in the episode's log
  std::string type;
  std::string body_json;  // the event as received (calfdvt/event@1)
  std::string actor;
  std::string at;
  std::string assessment_json;  // a re-assessment stamped by this event, or ""
};

struct EpisodeRecord {
  NewEpisode episode;
  int64_t version = 0;  // number of events
  std::string created_at;
  std::string created_by;
  std::vector<EventRow> events;  // in seq order (empty in listings)
  Projection projection;
};

struct AuditEntry {
  int64_t id = 0;
  std::string episode_id;  // "" for writes not about an episode (tokens)
  std::string actor;
  std::string at;
  std::string action;       // episode.create | event.<type> | token.create | procedure.create |
                            // procedure.squeeze | procedure.outcome
  std::string change_json;  // what changed
  std::string procedure_id;  // the calf-squeeze procedure written, or ""
};

// A calf-squeeze procedure record (calfdvt/procedure@1) as stored: the canonical record JSON plus
// the columns it is searched by. The store does not parse the record; the caller keeps the
// columns consistent with it.
struct NewProcedure {
  std::string id;  // chosen by the caller; unique
  std::string patient_id;
  Date date;
  std::string operator_name;  // "" when not recorded
  std::string record_json;
};

struct ProcedureRecord {
  NewProcedure procedure;
  int64_t version = 0;  // number of updates after creation (squeezes and outcome recordings)
  std::string created_at;
  std::string created_by;
};

// What a versioned procedure update records; the audit action is "procedure.squeeze" or
// "procedure.outcome" (persisted spelling: never rename, only add).
enum class ProcedureChange : uint8_t { kSqueeze = 0, kOutcome = 1 };

// Procedures by date ascending, then id. Bounds are inclusive; "" operator means any.
struct ProcedureQuery {
  std::optional<Date> from;
  std::optional<Date> to;
  std::string operator_name;
  int limit = 1000;  // 1..100000, else kInvalidInput (path "limit")
};

// Worklist items in urgency order: rank 0 standing alerts (critical), 1 overdue scans,
// 2 due scans, 3 upcoming scans; then by date (alerts: imaging date; overdue/due: window end;
// upcoming: window start), episode id, scan day. Only episodes not completed/closed contribute.
struct WorklistQuery {
  Date as_of;
  bool alerts = true;
  bool overdue = true;
  bool due = true;
  bool upcoming = false;
  int limit = 50;      // 1..500, else kInvalidInput (path "limit")
  std::string cursor;  // opaque, from a previous page; "" for the first page; one that
                       // does not decode is kInvalidInput (path "cursor")
};

struct WorklistItem {
  int rank = 0;
  std::string episode_id;
  std::string patient_id;
  std::string phase;
  // rank 0: one item per standing alert bit
  std::optional<int> alert_code;  // surveillance::SafetyCode value
  Date imaging_date;
  // ranks 1-3
  std::optional<ScanRow> scan;
};

struct WorklistPage {
  std::vector<WorklistItem> items;
  std::string next_cursor;  // "" when there is no further page
};

struct TokenRow {
  std::string id;    // public identifier
  std::string hash;  // SHA-256 hex of the secret; the secret itself is never stored
  std::string role;  // viewer | clinician | admin
  std::string label;
  std::string created_at;
};

// CDS Hooks feedback (https://cds-hooks.hl7.org/2.0/#feedback): one row per feedback item a CDS
// client sent about a card. Holds no patient data: card and suggestion ids, outcome, reason codes.
struct CdsFeedbackRow {
  int64_t id = 0;                // assigned by the store (ascending in arrival order)
  std::string service_id;        // the CDS service the card came from
  std::string card;              // the card's uuid
  std::string outcome;           // accepted | overridden
  std::string accepted_json;     // JSON array of accepted suggestion ids ("[]" when none)
  std::string override_json;     // the overrideReason object as JSON, or ""
  std::string outcome_at;        // outcomeTimestamp as sent (ISO 8601)
  std::string client;            // the verified JWT issuer, or "" in open mode
  std::string received_at;       // server clock, RFC 3339 UTC
};

// Feedback in arrival order (id ascending) after `after_id`; "" service means every service.
struct CdsFeedbackQuery {
  std::string service_id;
  int64_t after_id = 0;
  int limit = 1000;  // 1..10000, else kInvalidInput (path "limit")
};

class Store {
 public:
  virtual ~Store() = default;

  // Applies pending numbered migrations; returns the schema version now in force.
  virtual core::Result<int> Migrate() = 0;

  // Inserts the episode (version 0), its projection and an audit entry, atomically.
  // kConflict if the id exists.
  virtual core::Status CreateEpisode(const NewEpisode& e, const Actor& actor) = 0;

  virtual core::Result<EpisodeRecord> GetEpisode(std::string_view id) = 0;

  // Newest first (created_at, then id, descending); events not loaded, scans loaded.
  // limit 1..1000, else kInvalidInput (path "limit").
  virtual core::Result<std::vector<EpisodeRecord>> ListEpisodes(std::string_view patient_id,
                                                                int limit) = 0;

  // Appends event seq = expected_version + 1 and replaces the projection, with an audit entry,
  // atomically — only if the episode's version is still expected_version (else kConflict, and
  // nothing is written). event.seq is ignored on input. kNotFound if the episode does not exist.
  virtual core::Status AppendEvent(std::string_view episode_id, int64_t expected_version,
                                   const EventRow& event, const Projection& projection,
                                   const Actor& actor) = 0;

  virtual core::Result<WorklistPage> Worklist(const WorklistQuery& q) = 0;

  // One episode's audit entries in write order (ascending id); "" reads the entries that are
  // not about an episode or a procedure (token.create).
  virtual core::Result<std::vector<AuditEntry>> Audit(std::string_view episode_id) = 0;

  // With an audit entry (id, role, label; never the hash). kConflict if the id or hash exists.
  virtual core::Status CreateToken(const TokenRow& t, const Actor& actor) = 0;
  virtual core::Result<std::optional<TokenRow>> FindTokenByHash(std::string_view hash) = 0;
  virtual core::Result<int64_t> CountTokens() = 0;

  // Inserts the procedure (version 0) with a procedure.create audit entry (ids, date, operator;
  // never the record). kConflict if the id exists.
  virtual core::Status CreateProcedure(const NewProcedure& p, const Actor& actor) = 0;
  virtual core::Result<ProcedureRecord> GetProcedure(std::string_view id) = 0;
  virtual core::Result<std::vector<ProcedureRecord>> ListProcedures(const ProcedureQuery& q) = 0;
  // Replaces the record with `record_json` and bumps the version, with one audit entry,
  // atomically — only if the version is still expected_version (else kConflict, nothing written).
  // kNotFound if absent. The entry's action is procedure.squeeze | procedure.outcome and its
  // change {"version": <new version>, "squeeze" | "outcome": change_json} (change_json is embedded
  // as JSON when it is an object, else as a string; it must hold no patient data beyond ids).
  virtual core::Status ReplaceProcedure(std::string_view id, int64_t expected_version,
                                        ProcedureChange change, std::string_view change_json,
                                        std::string_view record_json, const Actor& actor) = 0;
  // ReplaceProcedure with `record_json` = the previous record plus the squeeze `squeeze_json`.
  core::Status AppendSqueeze(std::string_view id, int64_t expected_version,
                             std::string_view squeeze_json, std::string_view record_json,
                             const Actor& actor) {
    return ReplaceProcedure(id, expected_version, ProcedureChange::kSqueeze, squeeze_json,
                            record_json, actor);
  }
  // One procedure's audit entries in write order.
  virtual core::Result<std::vector<AuditEntry>> ProcedureAudit(std::string_view id) = 0;

  // Appends CDS Hooks feedback rows atomically (ids are assigned; row.id is ignored).
  virtual core::Status AddCdsFeedback(const std::vector<CdsFeedbackRow>& rows) = 0;
  virtual core::Result<std::vector<CdsFeedbackRow>> ListCdsFeedback(const CdsFeedbackQuery& q) = 0;

  // Episodes per phase (ordered by phase name), for /metrics.
  virtual core::Result<std::vector<std::pair<std::string, int64_t>>> CountByPhase() = 0;
};

// "sqlite:PATH" (PATH may be ":memory:") or "postgresql://..." / "postgres://..." (libpq URI).
// Opens and migrates. Any other URL is kInvalidInput (path "url", rule "store_url").
// Schema and migrations: docs/schema.md.
core::Result<std::unique_ptr<Store>> OpenStore(std::string_view url);

}  // namespace calfdvt::store
