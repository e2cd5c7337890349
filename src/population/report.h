// The population scan report, format calfdvt/scan-report@1 (docs/scan.md), and its CSV rendering.
// Pure data and serialisation: the same report always gives the same bytes, and a report never
// depends on how many threads produced it (rows are sorted by patient id, errors by file and line).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/date.h"
#include "fhir/record.h"
#include "pathway/assessment.h"
#include "population/care_gaps.h"

namespace calfdvt::population {

inline constexpr std::string_view kScanReportFormat = "calfdvt/scan-report@1";

struct PatientRow {
  std::string patient_id;
  std::vector<GapCode> gaps;
  bool distal_dvt = false;
  bool proximal_dvt = false;
  bool anticoagulant_active = false;
  int followups = 0;              // follow-up duplex orders (not cancelled/revoked)
  bool assessed = false;          // the case was usable and the engine ran
  std::string strategy;           // "" when not assessed
  std::string classification;     // "" when not assessed
  std::vector<std::string> rules; // rule ids fired, in order
  std::vector<std::string> decisive_unknowns;
  int64_t unmapped = 0;           // inputs the mapping could not place (case fields left unknown)
};

// One row from the mapping and, when the case was usable, its assessment (may be null).
PatientRow BuildRow(const fhir::MappedCase& m, const pathway::Assessment* a, std::vector<GapCode> gaps);

struct InputFile {
  std::string name;  // path relative to the export directory
  std::string type;  // resource type from the manifest or the file name ("" when unknown)
  uint64_t bytes = 0;
  int64_t lines = 0;  // lines read (blank lines included)
};

struct LineError {
  std::string file;
  int64_t line = 0;  // 1-based
  std::string message;
};

struct KnowledgeStamp {
  std::string id, profile, version, sha256;
};

struct ScanCounts {
  int64_t lines = 0;              // all lines, blank included
  int64_t resources = 0;          // well-formed resources read
  int64_t patients_scanned = 0;   // Patient resources
  int64_t candidates = 0;         // patients whose resources were joined (DVT or venous duplex)
  int64_t with_distal_dvt = 0;
  int64_t with_proximal_dvt = 0;
  int64_t assessed = 0;           // candidates whose case was usable and assessed
  int64_t gap_patients = 0;       // patients with at least one gap
  int64_t gaps[kGapCodeCount] = {};
};

struct ScanReport {
  core::Date as_of;
  KnowledgeStamp knowledge;
  std::string code_map_version;  // "" when the mapping does not expose one
  bool manifest = false;
  std::vector<InputFile> files;
  ScanCounts counts;
  std::vector<PatientRow> patients;  // sorted by patient_id
  std::vector<LineError> errors;     // sorted by file, line; the first kMaxErrorsKept only
  static constexpr size_t kMaxErrorsKept = 1000;
  int64_t errors_total = 0;
};

// Fills counts.gap_patients, counts.gaps and the per-row totals from `patients`.
void TallyRows(ScanReport& r);

std::string ScanReportJson(const ScanReport& r);
// Header + one line per patient row (RFC 4180 quoting); list fields joined with ';'.
std::string ScanCsv(const ScanReport& r);

}  // namespace calfdvt::population
