// Calf-squeeze procedure endpoints (docs/openapi.json, tag "procedures"): thin handlers over
// ProcedureService, registered by RegisterApi when ApiContext::procedures is set.
#include <charconv>

#include "server/api.h"
#include "server/api_common.h"

namespace calfdvt::server {

namespace {

using internal::BadParam;
using internal::CheckJsonBody;
using internal::DateParam;
using internal::FromResult;
using internal::Guard;

// expected_version: a whole number >= 0; nullopt when absent. Sets `error` on a bad value, or
// when the parameter is absent and `required`.
std::optional<int64_t> VersionParam(const Request& req, bool required,
                                    std::optional<Response>& error) {
  auto v = req.QueryParam("expected_version");
  if (!v) {
    if (required)
      error = ErrorResponse({core::Error{"expected_version", "required",
                                         "expected_version is required: the version you read"}},
                            core::ErrorKind::kInvalidInput);
    return std::nullopt;
  }
  int64_t n = 0;
  auto [ptr, ec] = std::from_chars(v->data(), v->data() + v->size(), n);
  if (ec != std::errc() || ptr != v->data() + v->size() || n < 0) {
    error = BadParam("expected_version", "must be a whole number >= 0");
    return std::nullopt;
  }
  return n;
}


// from, to, operator: the filter shared by the list and the registry.
std::optional<Response> ReadFilter(const Request& req, thrombectomy::RegistryFilter& f) {
  std::optional<Response> error;
  f.from = DateParam(req, "from", error);
  if (error) return error;
  f.to = DateParam(req, "to", error);
  if (error) return error;
  if (f.from && f.to && *f.from > *f.to) return BadParam("to", "must not be before from");
  if (auto op = req.QueryParam("operator")) {
    if (op->empty()) return BadParam("operator", "must not be empty");
    f.operator_name = std::string(*op);
  }
  return std::nullopt;
}

}  // namespace

core::Status RegisterProcedureApi(Router& router, const ApiContext& ctx) {
  ProcedureService* svc = ctx.procedures;
  std::vector<core::Status> results;
  results.push_back(
      router.Add("POST", "/api/v1/procedures",
                 Guard(ctx, Role::kClinician,
                       [svc](const Request& req, const PathParams&, const Principal& p) {
                         if (auto bad = CheckJsonBody(req)) return std::move(*bad);
                         auto r = svc->Create(req.body, p.actor);
                         if (!r.ok()) return ErrorResponse(r.errors(), r.kind());
                         Response resp = Json(201, std::move(r.value().json));
                         resp.headers.Set("Location", "/api/v1/procedures/" + r.value().id);
                         return resp;
                       })));
  results.push_back(router.Add(
      "GET", "/api/v1/procedures",
      Guard(ctx, Role::kViewer, [svc](const Request& req, const PathParams&, const Principal&) {
        thrombectomy::RegistryFilter f;
        if (auto bad = ReadFilter(req, f)) return std::move(*bad);
        store::ProcedureQuery q;
        q.from = f.from;
        q.to = f.to;
        q.operator_name = f.operator_name.value_or("");
        if (auto limit = req.QueryParam("limit")) {
          int n = 0;
          auto [ptr, ec] = std::from_chars(limit->data(), limit->data() + limit->size(), n);
          if (ec != std::errc() || ptr != limit->data() + limit->size() || n < 1 || n > 1000)
            return BadParam("limit", "must be a whole number from 1 to 1000");
          q.limit = n;
        } else {
          q.limit = 100;
        }
        return FromResult(svc->List(q));
      })));
  results.push_back(
      router.Add("GET", "/api/v1/procedures/{id}",
                 Guard(ctx, Role::kViewer,
                       [svc](const Request& req, const PathParams& params, const Principal&) {
                         const auto format = req.QueryParam("format").value_or("json");
                         if (format == "html") {
                           auto r = svc->GetHtml(params.Get("id"));
                           if (!r.ok()) return ErrorResponse(r.errors(), r.kind());
                           return Text(200, r.value(), "text/html; charset=utf-8");
                         }
                         if (format != "json") return BadParam("format", "must be json or html");
                         return FromResult(svc->Get(params.Get("id")));
                       })));
  results.push_back(router.Add(
      "POST", "/api/v1/procedures/{id}/squeezes",
      Guard(ctx, Role::kClinician,
            [svc](const Request& req, const PathParams& params, const Principal& p) {
              if (auto bad = CheckJsonBody(req)) return std::move(*bad);
              std::optional<Response> error;
              auto expected = VersionParam(req, false, error);
              if (error) return std::move(*error);
              return FromResult(svc->AppendSqueeze(params.Get("id"), req.body, expected, p.actor));
            })));
  results.push_back(
      router.Add("GET", "/api/v1/procedures/{id}/audit",
                 Guard(ctx, Role::kViewer,
                       [svc](const Request&, const PathParams& params, const Principal&) {
                         return FromResult(svc->Audit(params.Get("id")));
                       })));
  // The end-of-procedure outcome replaces result and complications (audited, docs/api.md).
  results.push_back(router.Add(
      "PUT", "/api/v1/procedures/{id}/outcome",
      Guard(ctx, Role::kClinician,
            [svc](const Request& req, const PathParams& params, const Principal& p) {
              if (auto bad = CheckJsonBody(req)) return std::move(*bad);
              std::optional<Response> error;
              auto expected = VersionParam(req, true, error);
              if (error) return std::move(*error);
              return FromResult(svc->RecordOutcome(params.Get("id"), req.body, *expected, p.actor));
            })));
  results.push_back(router.Add(
      "GET", "/api/v1/registry",
      Guard(ctx, Role::kViewer, [svc](const Request& req, const PathParams&, const Principal&) {
        thrombectomy::RegistryFilter f;
        if (auto bad = ReadFilter(req, f)) return std::move(*bad);
        const auto format = req.QueryParam("format").value_or("json");
        if (format == "csv") {
          auto r = svc->Registry(f, RegistryFormat::kCsv);
          if (!r.ok()) return ErrorResponse(r.errors(), r.kind());
          return Text(200, r.value(), "text/csv; charset=utf-8");
        }
        if (format == "text") {
          auto r = svc->Registry(f, RegistryFormat::kText);
          if (!r.ok()) return ErrorResponse(r.errors(), r.kind());
          return Text(200, r.value());
        }
        if (format != "json") return BadParam("format", "must be json, csv or text");
        return FromResult(svc->Registry(f, RegistryFormat::kJson));
      })));
  for (const auto& r : results)
    if (!r.ok()) return r;
  return core::OkStatus();
}

}  // namespace calfdvt::server
