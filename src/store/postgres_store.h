// The PostgreSQL backend of Store (libpq): a small pool of connections, parameterised
// statements only, every write in one transaction. Optimistic concurrency: an append runs
// `UPDATE episodes SET version = version + 1, ... WHERE id = $1 AND version = $2`; zero rows
// (someone else appended first) is kConflict, as is a unique violation on (episode_id, seq), so
// several server processes can write the same episodes without losing an event. Commits wait
// for the WAL flush (synchronous_commit = on). Schema: docs/schema.md.
//
// Thread safety: all methods may be called concurrently.
#pragma once

#include <memory>
#include <span>
#include <string>

#include "store/store.h"

namespace calfdvt::store {

namespace pg {
class Pool;
class Conn;
}  // namespace pg

class PostgresStore final : public Store {
 public:
  // url: a libpq connection URI ("postgresql://user@host:port/db"). Does not migrate.
  static core::Result<std::unique_ptr<PostgresStore>> Open(const std::string& url);
  ~PostgresStore() override;

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

  // Bulk import (benchmarks, data migration): the rows CreateEpisode would write, sent with
  // COPY in one transaction. kConflict (and nothing written) if any id exists.
  core::Status BulkCreate(std::span<const NewEpisode> episodes, const Actor& actor);

  // EXPLAIN of the worklist statements this query runs (first page and keyset variants), one
  // block per statement. force_index: plan with sequential scans, bitmap scans and sorts
  // disabled, to show that the indexes deliver the rows in order even for a table too small for
  // the planner to prefer them (with realistic data it prefers them unaided: docs/benchmarks.md).
  core::Result<std::string> ExplainWorklist(const WorklistQuery& q, bool force_index);

  // VACUUM ANALYZE: refreshes planner statistics and the visibility map after a bulk import.
  core::Status Analyze();

 private:
  explicit PostgresStore(std::unique_ptr<pg::Pool> pool);

  std::unique_ptr<pg::Pool> pool_;
};

}  // namespace calfdvt::store
