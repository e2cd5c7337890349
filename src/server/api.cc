#include "server/api.h"

#include <charconv>

#include "core/json_writer.h"
#include "formats/assessment_json.h"
#include "server/api_common.h"

namespace calfdvt::server {

extern const unsigned char kEmbeddedOpenApi[];
extern const std::size_t kEmbeddedOpenApiSize;

std::string_view OpenApiDocument() {
  return std::string_view(reinterpret_cast<const char*>(kEmbeddedOpenApi), kEmbeddedOpenApiSize);
}

namespace {

using internal::BadParam;
using internal::CheckJsonBody;
using internal::DateParam;
using internal::FromResult;
using internal::Guard;

// ` "value"` for an error message, or "" when the value is not printable ASCII (query values are
// raw percent-decoded bytes: never echo what might not be UTF-8 into a JSON answer).
std::string Quoted(std::string_view value) {
  if (value.size() > 64) return "";
  for (char c : value)
    if (static_cast<unsigned char>(c) < 0x20 || static_cast<unsigned char>(c) > 0x7e) return "";
  return " \"" + std::string(value) + "\"";
}

// as_of: optional YYYY-MM-DD. Sets `error` on a bad value.
std::optional<core::Date> AsOf(const Request& req, std::optional<Response>& error) {
  return DateParam(req, "as_of", error);
}

}  // namespace

core::Status RegisterApi(Router& router, const ApiContext& ctx) {
  auto add = [&](std::string_view method, std::string_view pattern, Handler h) -> core::Status {
    return router.Add(method, pattern, std::move(h));
  };
  std::vector<core::Status> results;

  results.push_back(add("GET", "/healthz", [ctx](const Request&, const PathParams&) {
    const auto& k = ctx.service->knowledge();
    std::string out;
    core::JsonWriter w(out);
    w.BeginObject();
    auto tokens = ctx.store->CountTokens();
    w.Key("status").String(tokens.ok() ? "ok" : "degraded");
    w.Key("store").String(tokens.ok() ? "ok" : "unavailable");
    w.Key("auth").String(ctx.auth->open() ? "open (loopback demo)" : "tokens");
    w.Key("knowledge").BeginObject();
    w.Key("id").String(k.id).Key("version").String(k.version).Key("sha256").String(k.sha256);
    w.Key("default_profile").String(k.default_profile);
    w.EndObject();
    w.EndObject();
    return Json(tokens.ok() ? 200 : 503, std::move(out));
  }));

  results.push_back(add("GET", "/metrics", [ctx](const Request&, const PathParams&) {
    return Text(200, ctx.metrics ? ctx.metrics->RenderPrometheus() : std::string(),
                "text/plain; version=0.0.4; charset=utf-8");
  }));

  results.push_back(add("GET", "/api/v1/openapi.json", [](const Request&, const PathParams&) {
    return Json(200, std::string(OpenApiDocument()));
  }));

  results.push_back(add("GET", "/api/v1/knowledge",
                        Guard(ctx, Role::kViewer, [ctx](const Request&, const PathParams&, const Principal&) {
    const auto& k = ctx.service->knowledge();
    std::string out;
    core::JsonWriter w(out);
    w.BeginObject();
    w.Key("id").String(k.id).Key("version").String(k.version).Key("sha256").String(k.sha256);
    w.Key("title").String(k.title);
    w.Key("default_profile").String(k.default_profile);
    w.Key("profiles").BeginArray();
    for (const auto& p : k.profiles)
      w.BeginObject().Key("id").String(p.id).Key("label").String(p.label).Key("description").String(p.description).EndObject();
    w.EndArray();
    w.EndObject();
    return Json(200, std::move(out));
  })));

  results.push_back(add("POST", "/api/v1/assess",
                        Guard(ctx, Role::kViewer, [ctx](const Request& req, const PathParams&, const Principal&) {
    if (auto bad = CheckJsonBody(req)) return std::move(*bad);
    return FromResult(ctx.service->Assess(req.body, req.QueryParam("profile").value_or("")));
  })));

  results.push_back(add("POST", "/api/v1/episodes",
                        Guard(ctx, Role::kClinician, [ctx](const Request& req, const PathParams&, const Principal& p) {
    if (auto bad = CheckJsonBody(req)) return std::move(*bad);
    auto r = ctx.service->CreateEpisode(req.body, req.QueryParam("patient").value_or(""),
                                        req.QueryParam("profile").value_or(""), p.actor);
    if (!r.ok()) return ErrorResponse(r.errors(), r.kind());
    Response resp = Json(201, std::move(r.value().json));
    resp.headers.Set("Location", "/api/v1/episodes/" + r.value().id);
    return resp;
  })));

  results.push_back(add("GET", "/api/v1/episodes",
                        Guard(ctx, Role::kViewer, [ctx](const Request& req, const PathParams&, const Principal&) {
    std::optional<Response> error;
    auto as_of = AsOf(req, error);
    if (error) return std::move(*error);
    auto patient = req.QueryParam("patient");
    if (!patient) return BadParam("patient", "the patient query parameter is required");
    return FromResult(ctx.service->ListEpisodes(*patient, as_of));
  })));

  results.push_back(add("GET", "/api/v1/episodes/{id}",
                        Guard(ctx, Role::kViewer, [ctx](const Request& req, const PathParams& params, const Principal&) {
    std::optional<Response> error;
    auto as_of = AsOf(req, error);
    if (error) return std::move(*error);
    return FromResult(ctx.service->GetEpisode(params.Get("id"), as_of));
  })));

  results.push_back(add("POST", "/api/v1/episodes/{id}/events",
                        Guard(ctx, Role::kClinician, [ctx](const Request& req, const PathParams& params, const Principal& p) {
    if (auto bad = CheckJsonBody(req)) return std::move(*bad);
    return FromResult(ctx.service->AppendEvent(params.Get("id"), req.body, p.actor));
  })));

  results.push_back(add("GET", "/api/v1/episodes/{id}/audit",
                        Guard(ctx, Role::kViewer, [ctx](const Request&, const PathParams& params, const Principal&) {
    return FromResult(ctx.service->Audit(params.Get("id")));
  })));

  results.push_back(add("GET", "/api/v1/worklist",
                        Guard(ctx, Role::kViewer, [ctx](const Request& req, const PathParams&, const Principal&) {
    store::WorklistQuery q;
    std::optional<Response> error;
    auto as_of = AsOf(req, error);
    if (error) return std::move(*error);
    q.as_of = as_of.value_or(ctx.clock->Today());
    if (auto status = req.QueryParam("status")) {
      q.alerts = q.overdue = q.due = q.upcoming = false;
      std::string_view s = *status;
      while (!s.empty()) {
        const size_t comma = s.find(',');
        std::string_view item = s.substr(0, comma);
        if (item == "alert" || item == "alerts") q.alerts = true;
        else if (item == "overdue") q.overdue = true;
        else if (item == "due") q.due = true;
        else if (item == "upcoming") q.upcoming = true;
        else return BadParam("status", "unknown status" + Quoted(item) +
                                           " (alert, overdue, due, upcoming; comma-separated)");
        if (comma == std::string_view::npos) break;
        s.remove_prefix(comma + 1);
      }
    }
    if (auto limit = req.QueryParam("limit")) {
      int n = 0;
      auto [ptr, ec] = std::from_chars(limit->data(), limit->data() + limit->size(), n);
      if (ec != std::errc() || ptr != limit->data() + limit->size() || n < 1 || n > 500)
        return BadParam("limit", "must be a whole number from 1 to 500");
      q.limit = n;
    }
    if (auto cursor = req.QueryParam("cursor")) q.cursor = std::string(*cursor);
    return FromResult(ctx.service->Worklist(q));
  })));

  if (ctx.procedures) results.push_back(RegisterProcedureApi(router, ctx));
  for (const auto& r : results)
    if (!r.ok()) return r;
  if (ctx.metrics) {
    store::Store* store = ctx.store;
    ctx.metrics->AddGaugeSource([store]() {
      std::vector<GaugeSample> out;
      auto counts = store->CountByPhase();
      if (!counts.ok()) return out;
      for (const auto& [phase, n] : *counts)
        out.push_back(GaugeSample{"calfdvt_episodes", "Episodes by phase", {{"phase", phase}},
                                  static_cast<double>(n)});
      return out;
    });
  }
  return core::OkStatus();
}

}  // namespace calfdvt::server
