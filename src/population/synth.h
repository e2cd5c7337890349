// A synthetic FHIR R4 Bulk Data export (issue 6 §4) with known care gaps, for tests and benchmarks.
// Pure and deterministic: the same options (seed included) give byte-identical files. The caller
// owns the I/O: Run() hands each NDJSON line (without its newline) to a sink with the index of the
// file it belongs to. All data is fictional; no real person is described.
//
// What is planted (docs/scan.md "Synthetic exports"): most patients are background (vital signs,
// labs, encounters, common conditions, decoys such as chronic I82.5- DVT, history-of-cancer codes,
// negative duplex reports); some have an acute isolated distal DVT (ICD-10-CM I82.44-/45-/46-/4Z-)
// with a whole-leg or limited duplex, thrombus observations, D-dimer, with or without an
// anticoagulant order (some cancelled), with follow-up duplex orders that are upcoming, overdue,
// completed or revoked; some have an acute proximal DVT, treated or not. The ground truth lists
// exactly the gaps those facts imply under population::CareGaps.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "core/date.h"
#include "core/status.h"
#include "population/care_gaps.h"

namespace calfdvt::population {

struct SynthOptions {
  int64_t patients = 1000;        // number of Patient resources, >= 1
  uint64_t seed = 1;              // any value; same seed, same export
  core::Date as_of = core::Date::FromCivil(2026, 11, 21);  // the date gaps are planted against
  int files_per_type = 1;         // NDJSON files per resource type, 1..64 (lines dealt round-robin)
  int64_t malformed_lines = 0;    // truncated lines inserted into Observation files, >= 0
};

core::Status ValidateSynthOptions(const SynthOptions& o);

struct SynthFile {
  std::string name;  // "Observation.ndjson", or "Observation.2.ndjson" with several files per type
  std::string type;  // FHIR resource type
};

struct PlantedPatient {
  std::string id;              // Patient.id
  std::vector<GapCode> gaps;   // in GapCode order; may be empty (a DVT patient without a gap)
  bool distal_dvt = false;
  bool proximal_dvt = false;
};

struct PlantedError {
  std::string file;
  int64_t line = 0;  // 1-based
};

struct SynthTruth {
  SynthOptions options;
  int64_t patients = 0;
  std::vector<PlantedPatient> dvt_patients;  // every patient with a distal or proximal DVT, by id
  std::vector<PlantedError> malformed;       // by file, then line
  int64_t gap_counts[kGapCodeCount] = {};
};

class Synthesizer {
 public:
  // Precondition: ValidateSynthOptions(o) succeeded.
  explicit Synthesizer(const SynthOptions& o);
  const std::vector<SynthFile>& files() const { return files_; }
  // Generates the export. `emit(file_index, line)`: one resource per call, no newline.
  SynthTruth Run(const std::function<void(size_t, std::string_view)>& emit) const;

 private:
  SynthOptions o_;
  std::vector<SynthFile> files_;
};

// The ground truth as JSON (format calfdvt/synth-truth@1, docs/scan.md).
std::string SynthTruthJson(const SynthTruth& t);
// A Bulk Data export manifest (the $export status response body) listing `files` with absolute
// URLs under `base_url`; `counts[i]` is the number of resources in files[i].
std::string BulkManifestJson(const std::vector<SynthFile>& files, const std::vector<int64_t>& counts,
                             std::string_view base_url, std::string_view transaction_time);

}  // namespace calfdvt::population
