// The SQLite backend of Store: one database file in WAL mode (foreign keys on, synchronous=FULL,
// so an acknowledged write survives a crash of the process), a small pool of connections, every
// write in one BEGIN IMMEDIATE transaction. Schema: docs/schema.md.
//
// Thread safety: all methods may be called concurrently; writers queue on SQLite's write lock
// (busy timeout 10 s). Several processes may open the same file.
#pragma once

#include <memory>
#include <span>
#include <string>

#include "store/store.h"

namespace calfdvt::store {

namespace sqlite {
class Pool;
class Conn;
}  // namespace sqlite

class SqliteStore final : public Store {
 public:
  // path: a file name (created if missing) or ":memory:". Does not migrate (OpenStore does).
  static core::Result<std::unique_ptr<SqliteStore>> Open(const std::string& path);
  ~SqliteStore() override;

  core::Result<int> Migrate() override;
  core::Status CreateEpisode(const NewEpisode& e, const Actor& actor) override;
  core::Result<EpisodeRecord> GetEpisode(std::string_view id) override;
  core::Result<std::vector<EpisodeRecord>> ListEpisodes(std::string_view patient_id,
                                                        int limit) override;
  core::Status AppendEvent(std::string_view episode_id, int64_t expected_version,
                           const EventRow& event, const Projection& projection,
                           const Actor& actor) override;
  core::Result<WorklistPage> Worklist(const WorklistQuery& q) override;
  core::Result<std::vector<AuditEntry>> Audit(std::string_view episode_id) override;
  core::Status CreateToken(const TokenRow& t, const Actor& actor) override;
  core::Result<std::optional<TokenRow>> FindTokenByHash(std::string_view hash) override;
  core::Result<int64_t> CountTokens() override;
  core::Status CreateProcedure(const NewProcedure& p, const Actor& actor) override;
  core::Result<ProcedureRecord> GetProcedure(std::string_view id) override;
  core::Result<std::vector<ProcedureRecord>> ListProcedures(const ProcedureQuery& q) override;
  core::Status ReplaceProcedure(std::string_view id, int64_t expected_version,
                                ProcedureChange change, std::string_view change_json,
                                std::string_view record_json, const Actor& actor) override;
  core::Result<std::vector<AuditEntry>> ProcedureAudit(std::string_view id) override;
  core::Status AddCdsFeedback(const std::vector<CdsFeedbackRow>& rows) override;
  core::Result<std::vector<CdsFeedbackRow>> ListCdsFeedback(const CdsFeedbackQuery& q) override;
  core::Result<std::vector<std::pair<std::string, int64_t>>> CountByPhase() override;

  // Bulk import (benchmarks, data migration): CreateEpisode for each episode, all in one
  // transaction. kConflict (and nothing written) if any id exists.
  core::Status BulkCreate(std::span<const NewEpisode> episodes, const Actor& actor);

  // The query plans (EXPLAIN QUERY PLAN) of the worklist statements this query runs, one line
  // per plan step, prefixed with the rank. For tests and benchmarks.
  core::Result<std::string> ExplainWorklist(const WorklistQuery& q);

 private:
  explicit SqliteStore(std::unique_ptr<sqlite::Pool> pool);
  core::Status InsertEpisode(sqlite::Conn& c, const NewEpisode& e, const Actor& actor);

  std::unique_ptr<sqlite::Pool> pool_;
};

}  // namespace calfdvt::store
