// Maps (method, path) to a handler. Independent of sockets: Handle(Request) -> Response, so the
// whole HTTP surface of calfdvt (routing, 404/405, HEAD, OPTIONS, CORS, handler exceptions) is
// testable in memory.
//
// Patterns are '/'-separated segments, each a literal or a "{name}" parameter matching one
// non-empty segment: "/episodes/{id}/events". Literal segments win over parameters at the same
// position. Matching is exact (no trailing-slash folding, no prefix matches). Parameter values
// are percent-decoded after splitting, so "%2F" inside an id never splits a segment.
//
// Behaviour beyond registered routes:
//   - unknown path                      -> 404 {"error":{"code":"not_found",...}}
//   - known path, unregistered method   -> 405 {"error":{"code":"method_not_allowed"}} + Allow
//   - HEAD without a HEAD route         -> the GET handler's response (the listener sends no body)
//   - OPTIONS without an OPTIONS route  -> 204 + Allow
//   - CORS preflight (OPTIONS + Origin + Access-Control-Request-Method) on a known path
//                                       -> 204 + Access-Control-Allow-* for an allowed origin,
//                                          403 "cors_origin_not_allowed" otherwise; a route
//                                          that registers OPTIONS itself answers its own
//                                          preflights (per-route CORS, e.g. CDS Hooks)
//   - any response to an allowed Origin -> + Access-Control-Allow-Origin, Vary: Origin
//   - handler throws                    -> 500 "internal" (logged to stderr with request id and
//                                          route, never the body or query)
//
// Thread safety: Add is not thread-safe and must finish before the first Handle. Handle is const
// and may run concurrently on any number of threads; handlers must be thread-safe themselves.
#pragma once

#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/status.h"
#include "server/http.h"

namespace calfdvt::server {

// Values of the {params} of the matched pattern, percent-decoded.
class PathParams {
 public:
  // Value of {name}; "" when the pattern has no such parameter.
  std::string_view Get(std::string_view name) const;
  bool Has(std::string_view name) const;
  size_t size() const { return values_.size(); }

  void Add(std::string name, std::string value) {
    values_.emplace_back(std::move(name), std::move(value));
  }

 private:
  std::vector<std::pair<std::string, std::string>> values_;
};

using Handler = std::function<Response(const Request&, const PathParams&)>;

struct CorsOptions {
  // Exact origins allowed to call the API from a browser ("https://cds.example.org"), or "*" for
  // any origin. Empty (default): CORS is off and no Access-Control-* headers are ever sent.
  std::vector<std::string> allowed_origins;
  // Request headers a browser may send (Access-Control-Allow-Headers), lower case.
  std::vector<std::string> allowed_headers = {"authorization", "content-type"};
  // How long a browser may cache a preflight answer (Access-Control-Max-Age), seconds; >= 0.
  std::chrono::seconds max_age{600};
};

// Label for requests no route matched, in logs and metrics.
inline constexpr std::string_view kUnmatchedRoute = "(unmatched)";
inline constexpr size_t kNoRoute = static_cast<size_t>(-1);

// Which route served a request. `pattern` stays valid while the Router lives.
struct RouteRef {
  std::string_view pattern = kUnmatchedRoute;
  size_t index = kNoRoute;     // in [0, patterns().size()), or kNoRoute
  bool handler_threw = false;  // the handler threw; the response is the generic 500
};

class Router {
 public:
  Router();
  ~Router();
  Router(Router&&) noexcept;
  Router& operator=(Router&&) noexcept;
  Router(const Router&) = delete;
  Router& operator=(const Router&) = delete;

  // Registers `handler` for `method` (upper-case token, e.g. "GET") on `pattern`. Fails with
  // kInvalidInput for a malformed pattern or method, a duplicate (method, pattern), or a
  // parameter whose name differs from another pattern's parameter at the same position
  // ("/a/{id}" vs "/a/{key}/b").
  core::Status Add(std::string_view method, std::string_view pattern, Handler handler);

  // Turns CORS on (see CorsOptions). Fails with kInvalidInput (path "cors.<field>") for an origin
  // that is neither "*" nor "scheme://host[:port]", an empty or non-token header name, or a
  // negative max_age; the previous settings then stay.
  core::Status SetCors(CorsOptions cors);

  // Dispatches `request`. Never throws. When `route` is non-null it receives the matched pattern
  // (for 405 and OPTIONS too) or kUnmatchedRoute.
  Response Handle(const Request& request, RouteRef* route = nullptr) const;

  // Distinct patterns in registration order; RouteRef::index points into this list.
  const std::vector<std::string>& patterns() const;
  const CorsOptions& cors() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace calfdvt::server
