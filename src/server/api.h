// The calfdvt JSON API under /api/v1 plus /healthz and /metrics, registered on a Router. Handlers
// are thin: parse query parameters, authenticate, call EpisodeService, map errors with
// ErrorResponse. Documented by docs/openapi.json (served at /api/v1/openapi.json).
#pragma once

#include <string>

#include "core/status.h"
#include "server/auth.h"
#include "server/episode_service.h"
#include "server/metrics.h"
#include "server/procedure_service.h"
#include "server/router.h"

namespace calfdvt::server {

struct ApiContext {
  EpisodeService* service = nullptr;  // not owned
  Authenticator* auth = nullptr;      // not owned
  Metrics* metrics = nullptr;         // may be null
  store::Store* store = nullptr;      // for health and gauges
  Clock* clock = nullptr;
  ProcedureService* procedures = nullptr;  // not owned; null: no procedure endpoints
};

core::Status RegisterApi(Router& router, const ApiContext& ctx);

// The calf-squeeze procedure and registry endpoints (called by RegisterApi when
// ctx.procedures is set).
core::Status RegisterProcedureApi(Router& router, const ApiContext& ctx);

// The OpenAPI 3 document (docs/openapi.json, embedded at build time).
std::string_view OpenApiDocument();

}  // namespace calfdvt::server
