// The application layer for calf-squeeze procedures (clinical-spec §7, docs/thrombectomy.md):
// recording a procedure, appending squeezes during a live procedure, reading it back with its
// protocol checks and outcomes (JSON or a printable HTML report), and the outcome registry.
// No HTTP here: inputs are JSON texts and identifiers, outputs are documents or errors, so the
// same calls serve the HTTP handlers, the CLI and tests.
//
// Procedure document (answered by Create, Get, AppendSqueeze, RecordOutcome; docs/openapi.json
// "Procedure"):
//   {"id", "version", "created_at", "created_by", "report": <calfdvt/procedure-report@1>}
//
// Thread safety: all methods may run concurrently; the store serialises the updates of one
// procedure (squeezes, outcomes) with optimistic versioning.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "core/status.h"
#include "server/clock.h"
#include "store/store.h"
#include "thrombectomy/knowledge.h"
#include "thrombectomy/procedure.h"
#include "thrombectomy/registry.h"

namespace calfdvt::server {

struct ProcedureServiceContext {
  store::Store* store = nullptr;                                   // not owned
  const thrombectomy::ThrombectomyKnowledge* knowledge = nullptr;  // not owned; immutable
  Clock* clock = nullptr;
  RandomSource* random = nullptr;
};

struct CreatedProcedure {
  std::string id;
  std::string json;  // the procedure document
  thrombectomy::Procedure procedure;
};

enum class RegistryFormat : uint8_t { kJson = 0, kCsv = 1, kText = 2 };

class ProcedureService {
 public:
  explicit ProcedureService(ProcedureServiceContext ctx) : ctx_(ctx) {}

  // Validates a calfdvt/procedure@1 record (a date after the server's today is an error, path
  // "date", rule "future") and stores it under a new id.
  core::Result<CreatedProcedure> Create(std::string_view record_json, const std::string& actor);
  core::Result<std::string> Get(std::string_view id);
  // The printable report for the patient record: a self-contained HTML page, every string
  // escaped.
  core::Result<std::string> GetHtml(std::string_view id);
  // {"procedures": [<procedure document>...]} by date, then id.
  core::Result<std::string> List(const store::ProcedureQuery& q);
  // Appends one squeeze (ParseSqueeze). expected_version: a stale one is a conflict; nullopt
  // re-reads and retries a few times on a concurrent write.
  core::Result<std::string> AppendSqueeze(std::string_view id, std::string_view squeeze_json,
                                          std::optional<int64_t> expected_version,
                                          const std::string& actor);
  // Records the end-of-procedure outcome: `outcome_json` is {"result", "complications"}
  // (formats::ParseOutcome, the record's rules and paths) and REPLACES both fields of the record
  // (an absent or null key sets that field to not recorded). Audited as procedure.outcome with
  // the new outcome and the one it replaced. expected_version is required: a stale one is a
  // conflict (a replacement is never retried over another writer's change).
  core::Result<std::string> RecordOutcome(std::string_view id, std::string_view outcome_json,
                                          int64_t expected_version, const std::string& actor);
  // The procedure's audit trail in write order (creation, squeezes, outcome recordings):
  // {"procedure_id", "entries": [{"id", "actor", "at", "action", "change"}]}. kNotFound for an
  // unknown procedure.
  core::Result<std::string> Audit(std::string_view id);
  // The registry over the stored procedures matching the filter (date and operator are pushed
  // down to the store). 100000 or more matching procedures is kInvalidInput (path "from", rule
  // "too_many"): the report never covers part of the selection.
  core::Result<std::string> Registry(const thrombectomy::RegistryFilter& filter,
                                     RegistryFormat format);

  const thrombectomy::ThrombectomyKnowledge& knowledge() const { return *ctx_.knowledge; }

 private:
  core::Result<std::string> Document(const store::ProcedureRecord& r);
  // Changes the stored record and returns the audit change document (no patient data).
  using Mutation = std::function<std::string(thrombectomy::Procedure&)>;
  // Read, mutate, write under the version. Without expected_version, re-reads and retries a few
  // times when another writer moved the version meanwhile.
  core::Result<std::string> Update(std::string_view id, store::ProcedureChange change,
                                   const Mutation& mutate,
                                   std::optional<int64_t> expected_version,
                                   const std::string& actor);
  core::Result<std::string> UpdateOnce(std::string_view id, store::ProcedureChange change,
                                       const Mutation& mutate,
                                       std::optional<int64_t> expected_version,
                                       const std::string& actor, bool* conflict);
  ProcedureServiceContext ctx_;
};

// The printable HTML report of one procedure (exposed for the CLI and tests).
std::string ProcedureHtml(const thrombectomy::Procedure& p,
                          const thrombectomy::ThrombectomyKnowledge& k, std::string_view id,
                          int64_t version);

// Plain-text report: the procedure's outcomes and checks (for the CLI).
std::string ProcedureText(const thrombectomy::Procedure& p,
                          const thrombectomy::ThrombectomyKnowledge& k);

// Renders a registry report in one of the three formats.
std::string RenderRegistry(const thrombectomy::RegistryReport& r, RegistryFormat format);

}  // namespace calfdvt::server
