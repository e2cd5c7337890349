// Internal to calfdvt_server: the pieces every /api/v1 handler file shares (authentication guard,
// query-parameter parsing, body checks, Result -> Response). One definition, so episode and
// procedure endpoints answer the same way.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "core/date.h"
#include "core/status.h"
#include "server/api.h"

namespace calfdvt::server::internal {

// 400 for a bad query parameter `name` (rule "query").
Response BadParam(std::string name, std::string message);

// 200 (or ok_status) with the value, or the mapped error.
template <class T>
Response FromResult(const core::Result<T>& r, int ok_status = 200) {
  if (!r.ok()) return ErrorResponse(r.errors(), r.kind());
  return Json(ok_status, r.value());
}

// 415 for a non-JSON Content-Type, 400 for an empty body; nullopt when the body may be read.
std::optional<Response> CheckJsonBody(const Request& req);

// Optional YYYY-MM-DD query parameter `name`; sets `error` on a bad value.
std::optional<core::Date> DateParam(const Request& req, std::string_view name,
                                    std::optional<Response>& error);

// Wraps a handler with authentication and a minimum role (401/403 before the handler runs).
Handler Guard(const ApiContext& ctx, Role role,
              std::function<Response(const Request&, const PathParams&, const Principal&)> h);

}  // namespace calfdvt::server::internal
