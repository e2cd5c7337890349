// The files of a FHIR Bulk Data export (https://hl7.org/fhir/uv/bulkdata/export.html): from its
// manifest (DIR/manifest.json, the $export status response body: output[].type and .url, each url
// resolved by its last path segment inside DIR) or, without one, every *.ndjson file in DIR with
// the resource type taken from the file name ("Observation.ndjson", "Observation.2.ndjson",
// "Observation-000.ndjson", "1.Observation.ndjson"). Also splits files into chunks that start and
// end on line boundaries, for parallel reading.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "core/status.h"

namespace calfdvt::cli {

struct BulkFile {
  std::string name;  // relative to the export directory
  std::filesystem::path path;
  std::string type;  // resource type; "" when neither the manifest nor the name says
  uint64_t size = 0;
};

struct BulkInput {
  std::vector<BulkFile> files;  // manifest order, else sorted by name
  bool manifest = false;
};

// Errors (ErrorKind::kInvalidInput): DIR missing or not a directory, an unreadable or malformed
// manifest, a manifest entry whose file is absent, no NDJSON file at all.
core::Result<BulkInput> DiscoverExport(const std::string& dir);

// The resource type a file name announces, or "".
std::string TypeFromFileName(const std::string& name);

struct Chunk {
  uint32_t file = 0;   // index into BulkInput::files
  uint64_t begin = 0;  // first byte of the first line
  uint64_t end = 0;    // one past the last byte (a '\n' or the end of the file)
};

// Splits the selected files into chunks of about `target` bytes, each made of whole lines, in file
// then offset order. A line longer than `target` makes a longer chunk. I/O errors: kInternal.
core::Result<std::vector<Chunk>> SplitIntoChunks(const BulkInput& in, const std::vector<bool>& selected,
                                                 uint64_t target);

}  // namespace calfdvt::cli
