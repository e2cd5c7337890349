// Reading and writing calf-squeeze procedure records, format calfdvt/procedure@1 (clinical-spec §7,
// docs/procedure.schema.json, docs/thrombectomy.md). Validation is as strict as for cases: unknown
// fields, duplicate keys, wrong types, unknown enum values or vein ids, out-of-range numbers and
// impossible dates are errors naming the JSON path and the rule; every error of a document is
// reported; nothing is clamped. null and absent both mean unknown. Thread-safe (no shared state).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/json_writer.h"
#include "core/status.h"
#include "thrombectomy/knowledge.h"
#include "thrombectomy/procedure.h"

namespace calfdvt::formats {

inline constexpr std::string_view kProcedureFormat = "calfdvt/procedure@1";
inline constexpr std::string_view kProcedureReportFormat = "calfdvt/procedure-report@1";

// Limits of the format: values outside them are errors.
inline constexpr double kMinCatheterFr = 4;
inline constexpr double kMaxCatheterFr = 30;

// One procedure record.
core::Result<thrombectomy::Procedure> ParseProcedure(std::string_view json);

// One squeeze object, as appended during a live procedure. Error paths start with `path`
// ("squeezes[3]" gives "squeezes[3].target_veins[0]"; "" gives "target_veins[0]").
core::Result<thrombectomy::Squeeze> ParseSqueeze(std::string_view json, std::string_view path = "");

// The end-of-procedure outcome, recorded after creation (PUT /api/v1/procedures/{id}/outcome):
// the record's `result` and `complications`, with the same meanings (nullopt: not recorded).
struct ProcedureOutcome {
  std::optional<thrombectomy::ProcedureResult> result;
  std::optional<std::vector<thrombectomy::Complication>> complications;
  friend bool operator==(const ProcedureOutcome&, const ProcedureOutcome&) = default;
};

// {"result": {...}, "complications": [...]}: both keys optional, read with exactly the record's
// rules, so error paths are the record's ("result.residual_thrombus_percent",
// "complications[0].severity"); any other key is unknown_field.
core::Result<ProcedureOutcome> ParseOutcome(std::string_view json);
// The outcome of a record, and the canonical outcome document (both keys always present, null
// when not recorded); parses back to an equal outcome.
ProcedureOutcome OutcomeOf(const thrombectomy::Procedure& p);
std::string OutcomeJson(const ProcedureOutcome& o);
void WriteOutcome(core::JsonWriter& w, const ProcedureOutcome& o);

// Newline-delimited records (one calfdvt/procedure@1 per line; blank lines are skipped). An error
// path starts with the 0-based line index ("[2].squeezes[0].target_veins"); the message names the
// 1-based line. All lines are read; any error fails the whole input.
core::Result<std::vector<thrombectomy::Procedure>> ParseProcedureLines(std::string_view text);

// The record alone, canonical: fixed key order, unknown fields omitted, "format" first. Parses back
// to an equal record (ParseProcedure(ProcedureRecordJson(p)) == p).
std::string ProcedureRecordJson(const thrombectomy::Procedure& p);
void WriteProcedureRecord(core::JsonWriter& w, const thrombectomy::Procedure& p);
void WriteSqueeze(core::JsonWriter& w, const thrombectomy::Squeeze& s);

// The record with what is derived from it under `k` (calfdvt/procedure-report@1):
// {"format", "procedure": <record>, "outcomes": {...}, "checks": [...], "sources": [...],
//  "knowledge": {"id", "version", "sha256"}}. Every check is listed, fired or not, with its
// severity, texts, source ids and detail; "sources" describes each cited source once.
std::string ProcedureJson(const thrombectomy::Procedure& p,
                          const thrombectomy::ThrombectomyKnowledge& k);

}  // namespace calfdvt::formats
