// The clinician web app (web/, built by Vite into web/dist) served by `calfdvt serve` at "/".
// The built files are embedded into the binary at build time (cmake/embed_web.cmake), so one
// binary is the whole deployment. Only exact, known file names are served: the lookup is a map
// of the embedded names, never a file system path, so "../" or "%2F" cannot reach anything else.
//
// Routes (GET, and HEAD through the router):
//   /, /index.html        index.html, Cache-Control: no-cache (it names the current hashed assets)
//   /assets/{file}        hashed build assets, Cache-Control: public, max-age=31536000, immutable
//   /favicon.svg, /robots.txt   top-level files of the build when present, Cache-Control: no-cache
// Unknown names -> 404 (JSON error, like every other unknown route). With no embedded app (the
// C++ build ran without a front-end build), "/" answers 503 with a page saying how to build it.
//
// Thread safety: a StaticSite is immutable after construction; Serve may run on any thread.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "server/http.h"
#include "server/router.h"

namespace calfdvt::server {

struct StaticFile {
  std::string_view name;     // path relative to the build root, '/'-separated: "assets/index-x.js"
  std::string_view content;  // bytes; must outlive the StaticSite (embedded data is static)
};

// Content-Type for a file name by its extension; "application/octet-stream" when unknown.
std::string_view ContentTypeFor(std::string_view name);

class StaticSite {
 public:
  explicit StaticSite(const std::vector<StaticFile>& files);

  // True when the build holds an index.html (the app was built).
  bool has_app() const { return files_.count("index.html") > 0; }
  size_t size() const { return files_.size(); }

  // The response for `name` (relative, as in StaticFile::name; "" means index.html).
  Response Serve(std::string_view name) const;

 private:
  std::map<std::string, std::string_view, std::less<>> files_;
};

// The app embedded in this binary (empty when the C++ build had no web/dist).
const StaticSite& EmbeddedSite();

// Registers the routes above for `site` (which must outlive the router).
core::Status RegisterStaticFiles(Router& router, const StaticSite& site);

}  // namespace calfdvt::server
