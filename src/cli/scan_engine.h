// The population scan (issue 6 §4; docs/scan.md): reads a FHIR Bulk Data export in streams, joins
// each candidate patient's resources, maps them (fhir::PatientRecord), assesses usable cases
// (pathway::Assess) and reports care gaps (population::CareGaps).
//
// Two passes. Pass 1 reads only Condition and DiagnosticReport files (and files of unknown type)
// and probes each line for DVT evidence; the patients found are the candidates. Pass 2 reads every
// file, probes every line (malformed lines become error records: file, line, message) and keeps
// the lines of candidates only. Then each candidate's lines, in file/line order, are mapped and
// assessed. Memory: `threads` chunk buffers of about `chunk_bytes` in flight, plus the candidates'
// own lines — never a whole file, never the lines of the other patients.
//
// The report is identical for every thread count: rows are sorted by patient id, errors by file
// and line, and each patient's lines reach the mapping in file/line order.
#pragma once

#include <cstdint>
#include <string>

#include "core/date.h"
#include "core/status.h"
#include "fhir/code_map.h"
#include "pathway/knowledge.h"
#include "population/report.h"

namespace calfdvt::cli {

struct ScanOptions {
  std::string dir;                // export directory
  core::Date as_of;               // assessment date
  int threads = 1;                // worker threads, 1..256
  uint64_t chunk_bytes = 4 << 20; // bytes read per work item (about)
  bool progress = false;          // draw a progress bar on stderr
};

// Wall-clock seconds per stage and the process CPU time (user + system, all threads) per stage.
struct ScanTimings {
  double discover_s = 0, pass1_s = 0, pass2_s = 0, map_s = 0;
  double discover_cpu = 0, pass1_cpu = 0, pass2_cpu = 0, map_cpu = 0;
  uint64_t bytes_read = 0;  // both passes
  uint64_t export_bytes = 0;  // size of all NDJSON files
};

// Errors: kInvalidInput for a bad directory or manifest (nothing scanned), kInternal for a read
// failure during the scan. Malformed lines are not errors of the scan: they are in the report.
core::Result<population::ScanReport> RunScan(const ScanOptions& o, const pathway::Knowledge& k,
                                             const pathway::ProfileDef& profile,
                                             const fhir::CodeMap& codes, ScanTimings* timings);

}  // namespace calfdvt::cli
