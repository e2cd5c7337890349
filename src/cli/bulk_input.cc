#include "cli/bulk_input.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstring>
#include <simdjson.h>

namespace calfdvt::cli {
namespace {

namespace fs = std::filesystem;
using core::Result;

Result<BulkInput> Invalid(std::string message) {
  return Result<BulkInput>::Invalid("", "input", std::move(message));
}

Result<BulkInput> FromManifest(const fs::path& dir, const fs::path& manifest) {
  simdjson::padded_string json;
  if (simdjson::padded_string::load(manifest.string()).get(json))
    return Invalid("cannot read " + manifest.string());
  simdjson::dom::parser parser;
  simdjson::dom::element root;
  if (parser.parse(json).get(root)) return Invalid(manifest.string() + ": malformed JSON");
  simdjson::dom::array output;
  if (root["output"].get_array().get(output))
    return Invalid(manifest.string() + ": output: required array of {type, url} (Bulk Data manifest)");
  BulkInput in;
  in.manifest = true;
  size_t i = 0;
  for (auto entry : output) {
    const std::string where = manifest.string() + ": output[" + std::to_string(i++) + "]";
    std::string_view type, url;
    if (entry["type"].get_string().get(type) || entry["url"].get_string().get(url))
      return Invalid(where + ": type and url must be strings");
    std::string_view name = url.substr(0, url.find_first_of("?#"));
    name = name.substr(name.rfind('/') == std::string_view::npos ? 0 : name.rfind('/') + 1);
    if (name.empty() || name == "." || name == "..") return Invalid(where + ": url has no file name");
    BulkFile f;
    f.name = std::string(name);
    f.path = dir / f.name;
    f.type = std::string(type);
    std::error_code ec;
    f.size = fs::file_size(f.path, ec);
    if (ec) return Invalid(where + ": " + f.name + " is not in " + dir.string());
    in.files.push_back(std::move(f));
  }
  if (in.files.empty()) return Invalid(manifest.string() + ": output lists no file");
  return in;
}

}  // namespace

std::string TypeFromFileName(const std::string& name) {
  size_t pos = 0;
  while (pos < name.size()) {
    size_t end = pos;
    while (end < name.size() && std::isalnum(static_cast<unsigned char>(name[end]))) ++end;
    const std::string token = name.substr(pos, end - pos);
    if (!token.empty() && std::isupper(static_cast<unsigned char>(token[0])) &&
        std::all_of(token.begin(), token.end(), [](char c) { return std::isalpha(static_cast<unsigned char>(c)); }))
      return token;
    if (end >= name.size()) break;
    pos = end + 1;
  }
  return "";
}

Result<BulkInput> DiscoverExport(const std::string& dir_text) {
  const fs::path dir(dir_text);
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) return Invalid(dir_text + ": not a directory");
  if (fs::exists(dir / "manifest.json", ec)) return FromManifest(dir, dir / "manifest.json");
  BulkInput in;
  for (const auto& e : fs::directory_iterator(dir, ec)) {
    if (!e.is_regular_file()) continue;
    const std::string name = e.path().filename().string();
    if (name.size() < 7 || name.compare(name.size() - 7, 7, ".ndjson") != 0) continue;
    in.files.push_back({name, e.path(), TypeFromFileName(name), e.file_size()});
  }
  if (ec) return Invalid(dir_text + ": " + ec.message());
  if (in.files.empty()) return Invalid(dir_text + ": no manifest.json and no *.ndjson file");
  std::sort(in.files.begin(), in.files.end(), [](const BulkFile& a, const BulkFile& b) { return a.name < b.name; });
  return in;
}

Result<std::vector<Chunk>> SplitIntoChunks(const BulkInput& in, const std::vector<bool>& selected,
                                           uint64_t target) {
  std::vector<Chunk> chunks;
  std::vector<char> probe(1 << 16);
  for (uint32_t f = 0; f < in.files.size(); ++f) {
    if (!selected[f] || in.files[f].size == 0) continue;
    const uint64_t size = in.files[f].size;
    const int fd = ::open(in.files[f].path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0)
      return Result<std::vector<Chunk>>(core::ErrorKind::kInternal,
                                        {{in.files[f].name, "io", std::strerror(errno)}});
    uint64_t begin = 0;
    while (begin < size) {
      uint64_t end = begin + target;
      if (end >= size) {
        end = size;
      } else {  // move `end` just past the next newline at or after it
        for (;;) {
          const ssize_t n = ::pread(fd, probe.data(), probe.size(), static_cast<off_t>(end - 1));
          if (n <= 0) {
            end = size;
            break;
          }
          const void* nl = std::memchr(probe.data(), '\n', static_cast<size_t>(n));
          if (nl) {
            end = end - 1 + static_cast<uint64_t>(static_cast<const char*>(nl) - probe.data()) + 1;
            break;
          }
          end += static_cast<uint64_t>(n);
          if (end >= size) {
            end = size;
            break;
          }
        }
      }
      chunks.push_back({f, begin, end});
      begin = end;
    }
    ::close(fd);
  }
  return chunks;
}

}  // namespace calfdvt::cli
