// HTTP endpoints of the CDS Hooks services (docs/cds-hooks.md), registered on the Router beside
// the /api/v1 API:
//   GET     /cds-services                 discovery (§"Discovery")
//   POST    /cds-services/{id}            a hook call (§"Calling a CDS Service")
//   POST    /cds-services/{id}/feedback   card feedback (§"Feedback")
//   GET     /cds-services/{id}/feedback   feedback report (calfdvt API token, viewer role)
//   OPTIONS on each                       CORS preflight (§"Cross-Origin Resource Sharing")
// With a ClientVerifier every CDS call (discovery and feedback included) must carry a JWT that
// verifies (§"Trusting CDS Clients"), else 401. Without one the CDS endpoints are open: serve
// registers them that way only in loopback demo mode (--no-auth / --demo).
#pragma once

#include <string>
#include <vector>

#include "core/status.h"
#include "server/auth.h"
#include "server/cds/jwt.h"
#include "server/cds/service.h"
#include "server/router.h"

namespace calfdvt::server::cds {

struct ApiOptions {
  // Public base URL of this server ("https://cds.example.org"), used for the JWT audience and card
  // links. "" = "http://" + the request's Host header (fine on loopback; set it behind a proxy).
  std::string public_url;
  // Origins allowed to call the CDS endpoints from a browser; "*" (default) for any. Tokens, not
  // cookies, authenticate CDS calls, so any origin is safe to allow.
  std::vector<std::string> cors_origins = {"*"};
};

struct ApiContext {
  Service* service = nullptr;           // not owned
  ClientVerifier* verifier = nullptr;   // not owned; null: no JWT required (loopback demo)
  Authenticator* auth = nullptr;        // not owned; API tokens for the feedback report
  ApiOptions options;
};

core::Status RegisterCdsApi(Router& router, const ApiContext& ctx);

}  // namespace calfdvt::server::cds
