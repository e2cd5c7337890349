#include "server/api_common.h"

namespace calfdvt::server::internal {

Response BadParam(std::string name, std::string message) {
  return ErrorResponse({core::Error{std::move(name), "query", std::move(message)}},
                       core::ErrorKind::kInvalidInput);
}

std::optional<Response> CheckJsonBody(const Request& req) {
  auto ct = req.Header("Content-Type");
  if (ct && ct->find("json") == std::string_view::npos)
    return Error(415, "unsupported_media_type", "send the body as application/json",
                 "Content-Type");
  if (req.body.empty())
    return ErrorResponse({core::Error{"body", "required", "a JSON body is required"}},
                         core::ErrorKind::kInvalidInput);
  return std::nullopt;
}

std::optional<core::Date> DateParam(const Request& req, std::string_view name,
                                    std::optional<Response>& error) {
  auto v = req.QueryParam(name);
  if (!v) return std::nullopt;
  auto d = core::Date::Parse(*v);
  if (!d) error = BadParam(std::string(name), "must be a calendar date YYYY-MM-DD");
  return d;
}

Handler Guard(const ApiContext& ctx, Role role,
              std::function<Response(const Request&, const PathParams&, const Principal&)> h) {
  return [ctx, role, h = std::move(h)](const Request& req, const PathParams& params) -> Response {
    auto who = ctx.auth->Authenticate(req);
    if (auto* denied = std::get_if<Response>(&who)) return std::move(*denied);
    const Principal& p = std::get<Principal>(who);
    if (auto forbidden = Authenticator::Require(p, role)) return std::move(*forbidden);
    return h(req, params, p);
  };
}

}  // namespace calfdvt::server::internal
