#include "server/cds/api.h"

#include <charconv>
#include <memory>

namespace calfdvt::server::cds {
namespace {

constexpr std::string_view kBase = "/cds-services";

// The Origin to echo in Access-Control-Allow-Origin, or "" when the origin is not allowed.
std::string AllowedOrigin(const ApiOptions& o, const Request& req) {
  const auto origin = req.Header("Origin");
  if (!origin) return "";
  for (const auto& allowed : o.cors_origins) {
    if (allowed == "*") return "*";
    if (EqualsIgnoreCase(allowed, *origin)) return std::string(*origin);
  }
  return "";
}

Response WithCors(const ApiOptions& o, const Request& req, Response r) {
  const std::string origin = AllowedOrigin(o, req);
  if (!origin.empty()) {
    r.headers.Set("Access-Control-Allow-Origin", origin);
    r.headers.Add("Vary", "Origin");
    r.headers.Set("Access-Control-Expose-Headers", "X-Request-Id");
  }
  return r;
}

// CORS preflight for a CDS path (https://fetch.spec.whatwg.org/#http-cors-protocol).
Handler Preflight(const ApiOptions& o, std::string methods) {
  return [o, methods](const Request& req, const PathParams&) {
    Response r = NoContent();
    r.headers.Set("Allow", methods);
    if (!req.Header("Access-Control-Request-Method")) return r;  // plain OPTIONS
    const std::string origin = AllowedOrigin(o, req);
    if (origin.empty())
      return Error(403, "cors_origin_not_allowed", "origin is not allowed to call this service", "");
    r.headers.Set("Access-Control-Allow-Origin", origin);
    r.headers.Set("Access-Control-Allow-Methods", methods);
    r.headers.Set("Access-Control-Allow-Headers", "authorization, content-type");
    r.headers.Set("Access-Control-Max-Age", "600");
    r.headers.Add("Vary", "Origin, Access-Control-Request-Method, Access-Control-Request-Headers");
    return r;
  };
}

bool ValidHost(std::string_view h) {
  if (h.empty() || h.size() > 255) return false;
  for (char c : h)
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '.' && c != '-' && c != ':' && c != '[' &&
        c != ']')
      return false;
  return true;
}

// Public base URL for this request, or "" when it cannot be formed.
std::string BaseUrl(const ApiOptions& o, const Request& req) {
  if (!o.public_url.empty()) return o.public_url;
  const auto host = req.Header("Host");
  if (!host || !ValidHost(*host)) return "";
  return "http://" + std::string(*host);
}

Response Unauthorized(std::string message) {
  Response r = Error(401, "unauthenticated", std::move(message), "Authorization");
  r.headers.Set("WWW-Authenticate", "Bearer realm=\"calfdvt-cds\"");
  return r;
}

// Verifies the CDS client's JWT for a call to `audience` (or `alt_audience` when non-empty).
// Returns the issuer ("" in open mode) or a 401.
std::variant<std::string, Response> Authenticate(const ApiContext& ctx, const Request& req,
                                                 const std::string& audience,
                                                 const std::string& alt_audience = {}) {
  if (ctx.verifier == nullptr) return std::string();
  const auto header = req.Header("Authorization");
  if (!header) return Unauthorized("a CDS client JWT is required: Authorization: Bearer <jwt>");
  std::string_view h = *header;
  if (h.size() < 7 || !EqualsIgnoreCase(h.substr(0, 7), "Bearer "))
    return Unauthorized("use the Bearer scheme: Authorization: Bearer <jwt>");
  h.remove_prefix(7);
  while (!h.empty() && h.front() == ' ') h.remove_prefix(1);
  auto v = ctx.verifier->Verify(h, audience);
  if (!v.ok() && !alt_audience.empty() && v.errors().front().rule == "aud")
    v = ctx.verifier->Verify(h, alt_audience);
  if (!v.ok()) {
    const auto& e = v.errors().front();
    Response r = Unauthorized("invalid CDS client JWT (" + e.rule + "): " + e.message);
    return r;
  }
  return v->iss;
}

std::optional<Response> CheckJson(const Request& req) {
  auto ct = req.Header("Content-Type");
  if (ct && ct->find("json") == std::string_view::npos)
    return Error(415, "unsupported_media_type", "send the body as application/json", "Content-Type");
  return std::nullopt;
}

}  // namespace

core::Status RegisterCdsApi(Router& router, const ApiContext& ctx) {
  const ApiOptions& o = ctx.options;
  std::vector<core::Status> results;
  const std::string discovery_path(kBase);

  results.push_back(router.Add("GET", kBase, [ctx](const Request& req, const PathParams&) {
    const ApiOptions& o = ctx.options;
    const std::string base = BaseUrl(o, req);
    if (base.empty()) return WithCors(o, req, Error(400, "invalid_input", "a valid Host header is required", "Host"));
    auto who = Authenticate(ctx, req, base + std::string(kBase));
    if (auto* denied = std::get_if<Response>(&who)) return WithCors(o, req, std::move(*denied));
    return WithCors(o, req, Json(200, ctx.service->Discovery()));
  }));
  results.push_back(router.Add("OPTIONS", kBase, Preflight(o, "GET, HEAD, OPTIONS")));

  const std::string call = std::string(kBase) + "/{id}";
  results.push_back(router.Add("POST", call, [ctx](const Request& req, const PathParams& params) {
    const ApiOptions& o = ctx.options;
    const std::string base = BaseUrl(o, req);
    if (base.empty()) return WithCors(o, req, Error(400, "invalid_input", "a valid Host header is required", "Host"));
    if (!ctx.service->Known(params.Get("id")))
      return WithCors(o, req, Error(404, "not_found", "no such CDS service", ""));
    auto who = Authenticate(ctx, req, base + std::string(kBase) + "/" + std::string(params.Get("id")));
    if (auto* denied = std::get_if<Response>(&who)) return WithCors(o, req, std::move(*denied));
    if (auto bad = CheckJson(req)) return WithCors(o, req, std::move(*bad));
    return WithCors(o, req, ctx.service->Call(params.Get("id"), req.body, base));
  }));
  results.push_back(router.Add("OPTIONS", call, Preflight(o, "OPTIONS, POST")));

  const std::string feedback = call + "/feedback";
  results.push_back(router.Add("POST", feedback, [ctx](const Request& req, const PathParams& params) {
    const ApiOptions& o = ctx.options;
    const std::string base = BaseUrl(o, req);
    if (base.empty()) return WithCors(o, req, Error(400, "invalid_input", "a valid Host header is required", "Host"));
    if (!ctx.service->Known(params.Get("id")))
      return WithCors(o, req, Error(404, "not_found", "no such CDS service", ""));
    const std::string service_url = base + std::string(kBase) + "/" + std::string(params.Get("id"));
    // aud: the feedback URL called; the service URL is accepted too (clients differ).
    auto who = Authenticate(ctx, req, service_url + "/feedback", service_url);
    if (auto* denied = std::get_if<Response>(&who)) return WithCors(o, req, std::move(*denied));
    if (auto bad = CheckJson(req)) return WithCors(o, req, std::move(*bad));
    return WithCors(o, req, ctx.service->Feedback(params.Get("id"), req.body, std::get<std::string>(who)));
  }));
  // The report is for calfdvt's own users (API tokens), not for CDS clients.
  results.push_back(router.Add("GET", feedback, [ctx](const Request& req, const PathParams& params) {
    auto who = ctx.auth->Authenticate(req);
    if (auto* denied = std::get_if<Response>(&who)) return std::move(*denied);
    if (auto forbidden = Authenticator::Require(std::get<Principal>(who), Role::kViewer))
      return std::move(*forbidden);
    int64_t after = 0;
    int limit = 1000;
    if (auto v = req.QueryParam("after")) {
      auto [p, ec] = std::from_chars(v->data(), v->data() + v->size(), after);
      if (ec != std::errc() || p != v->data() + v->size() || after < 0)
        return Error(400, "invalid_input", "after must be a whole number >= 0", "after");
    }
    if (auto v = req.QueryParam("limit")) {
      auto [p, ec] = std::from_chars(v->data(), v->data() + v->size(), limit);
      if (ec != std::errc() || p != v->data() + v->size() || limit < 1 || limit > 10000)
        return Error(400, "invalid_input", "limit must be a whole number from 1 to 10000", "limit");
    }
    return ctx.service->FeedbackReport(params.Get("id"), after, limit);
  }));
  results.push_back(router.Add("OPTIONS", feedback, Preflight(o, "GET, HEAD, OPTIONS, POST")));

  for (const auto& r : results)
    if (!r.ok()) return r;
  return core::OkStatus();
}

}  // namespace calfdvt::server::cds
