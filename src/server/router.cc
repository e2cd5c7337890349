#include "server/router.h"

#include <algorithm>
#include <array>
#include <cstdio>
#include <exception>
#include <typeinfo>

namespace calfdvt::server {
namespace {

constexpr size_t kMaxSegments = 32;
using Segments = std::array<std::string_view, kMaxSegments>;

// Splits "/a/b" into {"a","b"}; "/" into {""}. Returns the count, or kMaxSegments + 1 when the
// path has too many segments to match any route.
size_t Split(std::string_view path, Segments& out) {
  path.remove_prefix(1);
  size_t n = 0;
  while (true) {
    if (n == kMaxSegments) return kMaxSegments + 1;
    const size_t slash = path.find('/');
    out[n++] = path.substr(0, slash);
    if (slash == std::string_view::npos) return n;
    path.remove_prefix(slash + 1);
  }
}

bool IsTokenChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
         std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
}

bool IsToken(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), IsTokenChar);
}

bool IsParamName(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
  });
}

// RFC 6454 serialised origin: scheme "://" host [":" port], nothing after.
bool IsOrigin(std::string_view s) {
  const size_t sep = s.find("://");
  if (sep == std::string_view::npos || sep == 0) return false;
  for (char c : s.substr(0, sep)) {
    if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '+' ||
          c == '-' || c == '.')) {
      return false;
    }
  }
  const std::string_view host = s.substr(sep + 3);
  return !host.empty() && host.find_first_of("/?#@ ") == std::string_view::npos;
}

std::string Join(const std::vector<std::string>& items, std::string_view sep) {
  std::string out;
  for (const std::string& s : items) {
    if (!out.empty()) out.append(sep);
    out.append(s);
  }
  return out;
}

}  // namespace

std::string_view PathParams::Get(std::string_view name) const {
  for (const auto& [k, v] : values_) {
    if (k == name) return v;
  }
  return {};
}

bool PathParams::Has(std::string_view name) const {
  return std::any_of(values_.begin(), values_.end(),
                     [&](const auto& kv) { return kv.first == name; });
}

struct Router::Impl {
  struct Node {
    std::vector<std::pair<std::string, std::unique_ptr<Node>>> literals;
    std::unique_ptr<Node> param;
    std::string param_name;
    // Terminal data (route_index != kNoRoute).
    size_t route_index = kNoRoute;
    std::vector<std::pair<std::string, Handler>> methods;
    std::string allow;  // Allow header value
  };

  Node root;
  std::vector<std::string> patterns;
  CorsOptions cors;
  std::string cors_allow_headers;  // joined cors.allowed_headers
  std::string cors_max_age;

  // Depth-first match; literals before the parameter so "/a/new" beats "/a/{id}".
  const Node* Match(const Node& n, const Segments& segs, size_t i, size_t count,
                    std::array<std::string_view, kMaxSegments>& params, size_t& nparams) const {
    if (i == count) return n.route_index == kNoRoute ? nullptr : &n;
    for (const auto& [lit, child] : n.literals) {
      if (lit == segs[i]) {
        if (const Node* m = Match(*child, segs, i + 1, count, params, nparams)) return m;
      }
    }
    if (n.param && !segs[i].empty()) {
      params[nparams++] = segs[i];
      if (const Node* m = Match(*n.param, segs, i + 1, count, params, nparams)) return m;
      --nparams;
    }
    return nullptr;
  }

  // The allowed origin value to echo, or "" when `request` carries no allowed Origin.
  std::string_view AllowedOrigin(const Request& request) const {
    if (cors.allowed_origins.empty()) return {};
    const std::optional<std::string_view> origin = request.Header("Origin");
    if (!origin) return {};
    for (const std::string& o : cors.allowed_origins) {
      if (o == "*") return "*";
      if (EqualsIgnoreCase(o, *origin)) return *origin;
    }
    return {};
  }

  void AddCorsHeaders(std::string_view origin, Response& response) const {
    if (origin.empty()) return;
    response.headers.Set("Access-Control-Allow-Origin", std::string(origin));
    response.headers.Add("Vary", "Origin");
    response.headers.Set("Access-Control-Expose-Headers", "X-Request-Id, Location, ETag");
  }

  Response Preflight(const Request& request, const Node& node) const {
    const std::string_view origin = AllowedOrigin(request);
    if (origin.empty()) {
      return Error(403, "cors_origin_not_allowed", "origin is not allowed to call this API", "");
    }
    Response r = NoContent();
    r.headers.Set("Access-Control-Allow-Origin", std::string(origin));
    r.headers.Set("Access-Control-Allow-Methods", node.allow);
    r.headers.Set("Access-Control-Allow-Headers", cors_allow_headers);
    r.headers.Set("Access-Control-Max-Age", cors_max_age);
    r.headers.Add("Vary", "Origin, Access-Control-Request-Method, Access-Control-Request-Headers");
    return r;
  }

  Response Dispatch(const Request& request, RouteRef& ref) const {
    if (request.path.empty() || request.path.front() != '/') {
      if (request.method == "OPTIONS" && request.path == "*") return NoContent();
      return Error(404, "not_found", "no such resource", "");
    }
    Segments segs;
    const size_t count = Split(request.path, segs);
    std::array<std::string_view, kMaxSegments> raw_params;
    size_t nparams = 0;
    const Node* node =
        count > kMaxSegments ? nullptr : Match(root, segs, 0, count, raw_params, nparams);
    if (node == nullptr) return Error(404, "not_found", "no such resource", "");
    ref.index = node->route_index;
    ref.pattern = patterns[node->route_index];

    const Handler* handler = nullptr;
    for (const auto& [m, h] : node->methods) {
      if (m == request.method) handler = &h;
    }
    // A route with its own OPTIONS handler answers its preflights itself (CDS Hooks endpoints).
    if (handler == nullptr && request.method == "OPTIONS" && request.Header("Origin") &&
        request.Header("Access-Control-Request-Method")) {
      return Preflight(request, *node);
    }
    if (handler == nullptr && request.method == "HEAD") {
      for (const auto& [m, h] : node->methods) {
        if (m == "GET") handler = &h;
      }
    }
    if (handler == nullptr) {
      if (request.method == "OPTIONS") {
        Response r = NoContent();
        r.headers.Set("Allow", node->allow);
        return r;
      }
      Response r =
          Error(405, "method_not_allowed",
                "method " + request.method + " is not allowed here; allowed: " + node->allow, "");
      r.headers.Set("Allow", node->allow);
      return r;
    }

    // Parameters are collected in pattern order by walking the pattern's parameter names.
    PathParams params;
    if (nparams > 0) {
      std::array<std::string_view, kMaxSegments> names;
      size_t nnames = 0;
      std::string_view pattern = ref.pattern;
      for (size_t pos = pattern.find('{'); pos != std::string_view::npos;
           pos = pattern.find('{', pos + 1)) {
        names[nnames++] = pattern.substr(pos + 1, pattern.find('}', pos) - pos - 1);
      }
      for (size_t i = 0; i < nparams && i < nnames; ++i) {
        std::string value;
        if (!PercentDecode(raw_params[i], false, value)) {
          return Error(400, "invalid_input", "malformed percent escape in path", "");
        }
        params.Add(std::string(names[i]), std::move(value));
      }
    }

    try {
      return (*handler)(request, params);
    } catch (const std::exception& e) {
      ref.handler_threw = true;
      std::fprintf(stderr, "http handler_exception id=%s method=%s route=%s type=%s\n",
                   request.request_id.c_str(), request.method.c_str(),
                   std::string(ref.pattern).c_str(), typeid(e).name());
    } catch (...) {
      ref.handler_threw = true;
      std::fprintf(stderr, "http handler_exception id=%s method=%s route=%s type=unknown\n",
                   request.request_id.c_str(), request.method.c_str(),
                   std::string(ref.pattern).c_str());
    }
    return ErrorResponse({}, core::ErrorKind::kInternal);
  }
};

Router::Router() : impl_(std::make_unique<Impl>()) {
  impl_->cors_allow_headers = Join(impl_->cors.allowed_headers, ", ");
  impl_->cors_max_age = std::to_string(impl_->cors.max_age.count());
}
Router::~Router() = default;
Router::Router(Router&&) noexcept = default;
Router& Router::operator=(Router&&) noexcept = default;

core::Status Router::Add(std::string_view method, std::string_view pattern, Handler handler) {
  if (!IsToken(method)) {
    return core::Status::Invalid("method", "token", "HTTP method must be a token, e.g. GET");
  }
  if (!handler) return core::Status::Invalid("handler", "required", "handler must be callable");
  if (pattern.empty() || pattern.front() != '/') {
    return core::Status::Invalid("pattern", "format", "pattern must start with '/'");
  }
  Segments segs;
  const size_t count = Split(pattern, segs);
  if (count > kMaxSegments) {
    return core::Status::Invalid("pattern", "format", "pattern has too many segments");
  }
  // Validate every segment before touching the trie so a failed Add changes nothing.
  std::vector<std::string_view> names;
  for (size_t i = 0; i < count; ++i) {
    const std::string_view s = segs[i];
    if (s.empty() && count > 1) {
      return core::Status::Invalid("pattern", "format", "pattern has an empty segment");
    }
    if (!s.empty() && s.front() == '{') {
      if (s.back() != '}' || !IsParamName(s.substr(1, s.size() - 2))) {
        return core::Status::Invalid("pattern", "format",
                                     "parameter segment must be {name} with name [A-Za-z0-9_]+");
      }
      const std::string_view name = s.substr(1, s.size() - 2);
      if (std::find(names.begin(), names.end(), name) != names.end()) {
        return core::Status::Invalid("pattern", "duplicate", "parameter name used twice");
      }
      names.push_back(name);
    } else if (s.find_first_of("{}?#%") != std::string_view::npos) {
      return core::Status::Invalid("pattern", "format",
                                   "literal segment must not contain { } ? # or %");
    }
  }
  // Check parameter-name consistency and duplicates along the existing trie.
  const Impl::Node* n = &impl_->root;
  for (size_t i = 0; i < count && n != nullptr; ++i) {
    const std::string_view s = segs[i];
    if (!s.empty() && s.front() == '{') {
      const std::string_view name = s.substr(1, s.size() - 2);
      if (n->param && n->param_name != name) {
        return core::Status::Invalid("pattern", "param_conflict",
                                     "parameter {" + std::string(name) + "} conflicts with {" +
                                         n->param_name + "} at the same position");
      }
      n = n->param.get();
    } else {
      const Impl::Node* next = nullptr;
      for (const auto& [lit, child] : n->literals) {
        if (lit == s) next = child.get();
      }
      n = next;
    }
  }
  if (n != nullptr) {
    for (const auto& [m, h] : n->methods) {
      if (m == method) {
        return core::Status::Invalid(
            "pattern", "duplicate",
            std::string(method) + " " + std::string(pattern) + " is already registered");
      }
    }
  }

  Impl::Node* node = &impl_->root;
  for (size_t i = 0; i < count; ++i) {
    const std::string_view s = segs[i];
    if (!s.empty() && s.front() == '{') {
      if (!node->param) {
        node->param = std::make_unique<Impl::Node>();
        node->param_name = std::string(s.substr(1, s.size() - 2));
      }
      node = node->param.get();
    } else {
      Impl::Node* next = nullptr;
      for (auto& [lit, child] : node->literals) {
        if (lit == s) next = child.get();
      }
      if (next == nullptr) {
        node->literals.emplace_back(std::string(s), std::make_unique<Impl::Node>());
        next = node->literals.back().second.get();
      }
      node = next;
    }
  }
  if (node->route_index == kNoRoute) {
    node->route_index = impl_->patterns.size();
    impl_->patterns.emplace_back(pattern);
  }
  node->methods.emplace_back(std::string(method), std::move(handler));

  std::vector<std::string> allow;
  for (const auto& [m, h] : node->methods) allow.push_back(m);
  const auto has = [&](std::string_view m) {
    return std::find(allow.begin(), allow.end(), m) != allow.end();
  };
  if (has("GET") && !has("HEAD")) allow.emplace_back("HEAD");
  if (!has("OPTIONS")) allow.emplace_back("OPTIONS");
  std::sort(allow.begin(), allow.end());
  node->allow = Join(allow, ", ");
  return core::OkStatus();
}

core::Status Router::SetCors(CorsOptions cors) {
  for (size_t i = 0; i < cors.allowed_origins.size(); ++i) {
    const std::string& o = cors.allowed_origins[i];
    if (o != "*" && !IsOrigin(o)) {
      return core::Status::Invalid("cors.allowed_origins[" + std::to_string(i) + "]", "format",
                                   "origin must be \"*\" or scheme://host[:port] without a path");
    }
  }
  for (size_t i = 0; i < cors.allowed_headers.size(); ++i) {
    if (!IsToken(cors.allowed_headers[i])) {
      return core::Status::Invalid("cors.allowed_headers[" + std::to_string(i) + "]", "token",
                                   "header name must be a non-empty token");
    }
  }
  if (cors.max_age.count() < 0) {
    return core::Status::Invalid("cors.max_age", "range", "max_age must be >= 0 seconds");
  }
  impl_->cors_allow_headers = Join(cors.allowed_headers, ", ");
  impl_->cors_max_age = std::to_string(cors.max_age.count());
  impl_->cors = std::move(cors);
  return core::OkStatus();
}

Response Router::Handle(const Request& request, RouteRef* route) const {
  RouteRef ref;
  Response response = impl_->Dispatch(request, ref);
  if (!response.headers.Has("Access-Control-Allow-Origin")) {  // preflights carry their own
    impl_->AddCorsHeaders(impl_->AllowedOrigin(request), response);
  }
  if (route != nullptr) *route = ref;
  return response;
}

const std::vector<std::string>& Router::patterns() const { return impl_->patterns; }
const CorsOptions& Router::cors() const { return impl_->cors; }

}  // namespace calfdvt::server
