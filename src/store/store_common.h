// Backend-independent pieces of the store: error values, audit change documents, projection
// rules and the worklist page assembly. Internal to src/store.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "store/store.h"
#include "store/worklist_cursor.h"

namespace calfdvt::store::internal {

// Error values. Messages never contain patient data: callers pass fixed operation names.
template <class T = core::Ok>
core::Result<T> Fail(core::ErrorKind kind, std::string path, std::string rule,
                     std::string message) {
  return core::Result<T>(
      kind, core::Errors{core::Error{std::move(path), std::move(rule), std::move(message)}});
}
template <class T = core::Ok>
core::Result<T> Internal(std::string message) {
  return Fail<T>(core::ErrorKind::kInternal, "", "database", std::move(message));
}
template <class T = core::Ok>
core::Result<T> NotFound(std::string what) {
  return Fail<T>(core::ErrorKind::kNotFound, "", "not_found", std::move(what) + " not found");
}
template <class T = core::Ok>
core::Result<T> Conflict(std::string message) {
  return Fail<T>(core::ErrorKind::kConflict, "", "conflict", std::move(message));
}
// Re-types a failed result (precondition: !from.ok()).
template <class T, class U>
core::Result<T> Forward(const core::Result<U>& from) {
  return core::Result<T>(from.kind(), from.errors());
}

template <class U>
core::Status FailureOrOk(const core::Result<U>& r) {
  return r.ok() ? core::OkStatus() : core::Status(r.kind(), r.errors());
}

// A failure that converts to any Result<T>, for the macros below.
struct Failure {
  core::ErrorKind kind;
  core::Errors errors;
  template <class T>
  operator core::Result<T>() const {  // NOLINT(google-explicit-constructor)
    return core::Result<T>(kind, errors);
  }
};
template <class U>
Failure FailureOf(const core::Result<U>& r) {
  return Failure{r.kind(), r.errors()};
}

#define STORE_CONCAT_INNER(a, b) a##b
#define STORE_CONCAT(a, b) STORE_CONCAT_INNER(a, b)
// Returns the failure of `expr` (a Result) from the enclosing function.
#define STORE_RETURN_IF_ERROR(expr)                           \
  do {                                                        \
    if (auto store_r_ = (expr); !store_r_.ok())               \
      return ::calfdvt::store::internal::FailureOf(store_r_); \
  } while (0)
// `lhs` = the value of `expr` (a Result), or returns its failure.
#define STORE_ASSIGN_OR_RETURN(lhs, expr) \
  STORE_ASSIGN_OR_RETURN_IMPL(STORE_CONCAT(store_result_, __LINE__), lhs, expr)
#define STORE_ASSIGN_OR_RETURN_IMPL(tmp, lhs, expr)                 \
  auto tmp = (expr);                                                \
  if (!tmp.ok()) return ::calfdvt::store::internal::FailureOf(tmp); \
  lhs = std::move(tmp).value()

inline constexpr int kMaxWorklistLimit = 500;
inline constexpr int kMaxListLimit = 1000;

// An episode contributes to the worklist unless its phase is completed or closed.
bool PhaseIsActive(std::string_view phase);

// A scan row enters the worklist indexes while it is open and its episode is active.
inline bool ScanPending(const ScanRow& s, bool episode_active) {
  return episode_active && s.state == "open";
}

// The widest scan window (window_end - window_start, days) in the projection, 0 if none.
int MaxWindowDays(const Projection& p);

// Alert codes (bit positions) set in the standing alert flags, ascending.
std::vector<int> AlertCodes(uint32_t flags);

// Audit change documents (JSON objects). episode.create: patient id, strategy, knowledge stamp,
// never the case contents. event.<type>: seq, the event body, the resulting phase and flags.
// token.create: id, role, label, never the hash.
std::string EpisodeCreateChange(const NewEpisode& e);
std::string EventChange(int64_t seq, const EventRow& ev, const Projection& p);
std::string TokenCreateChange(const TokenRow& t);

// procedure.create: id, patient id, date, operator, never the record.
// procedure.squeeze | procedure.outcome: {"version": the new version, "squeeze" | "outcome":
// change_json} (embedded when it is a JSON object, else a string).
std::string ProcedureCreateChange(const NewProcedure& p);
std::string_view ProcedureChangeAction(ProcedureChange change);
std::string ProcedureUpdateChange(ProcedureChange change, int64_t version,
                                  std::string_view change_json);
// kConflict for a procedure update whose expected version is stale (both backends).
inline core::Status StaleProcedureVersion(int64_t expected_version) {
  return Conflict("procedure version is not " + std::to_string(expected_version) +
                  ": re-read the procedure and retry");
}

inline constexpr int kMaxProcedureLimit = 100000;
core::Status CheckProcedureLimit(int limit);

// Validates the limit of ListEpisodes.
core::Status CheckListLimit(int limit);

// Fetches up to n items of one rank, in worklist order, strictly after `after` when given (the
// key's rank is the rank asked for), appending them to out.
using RankFetcher = std::function<core::Status(int rank, const std::optional<CursorKey>& after,
                                               int n, std::vector<WorklistItem>& out)>;

// Validates the query, decodes the cursor and fills one page rank by rank (fetching one item
// more than the limit to know whether a next page exists).
core::Result<WorklistPage> AssembleWorklist(const WorklistQuery& q, const RankFetcher& fetch);

// The cursor key of an item (its rank's sort date, episode id and tie-breaker).
CursorKey KeyOf(const WorklistItem& item);

}  // namespace calfdvt::store::internal
