// calfdvt's CDS Hooks 2.0 services (https://cds-hooks.hl7.org/2.0/): discovery, the
// `patient-view` and `order-sign` services, and feedback. No HTTP here beyond status codes: the
// handlers in cds/api.cc add authentication, CORS and routing. Documented in docs/cds-hooks.md.
//
// A call: validate the request (§"Calling a CDS Service"), gather the prefetch data (§"Prefetch";
// missing or null keys are fetched from `fhirServer` with `fhirAuthorization`, or the call is
// answered 412), map the FHIR resources onto a case (src/fhir), assess it (src/pathway), emit FHIR
// proposals (src/fhir/emit.h) and build cards (cds/cards.h).
//
// Thread safety: Call, Feedback and the report may run concurrently.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "core/status.h"
#include "pathway/knowledge.h"
#include "server/cds/fhir_client.h"
#include "server/clock.h"
#include "server/http.h"
#include "store/store.h"

namespace calfdvt::server::cds {

inline constexpr std::string_view kPatientViewId = "calfdvt-patient-view";
inline constexpr std::string_view kOrderSignId = "calfdvt-order-sign";

struct ServiceOptions {
  FhirClientOptions fhir;
  // Profile of the knowledge used for CDS assessments; "" = the knowledge default.
  std::string profile;
};

struct ServiceContext {
  const pathway::Knowledge* knowledge = nullptr;  // not owned, immutable
  store::Store* store = nullptr;                  // feedback; not owned
  Clock* clock = nullptr;
  RandomSource* random = nullptr;
};

class Service {
 public:
  Service(ServiceContext ctx, ServiceOptions options);

  bool Known(std::string_view service_id) const;
  // GET /cds-services (§"Discovery").
  std::string Discovery() const;
  // POST /cds-services/{id}. `app_base`: absolute URL of the web app root for card links.
  Response Call(std::string_view service_id, std::string_view body, const std::string& app_base);
  // POST /cds-services/{id}/feedback (§"Feedback"). `client`: verified JWT issuer or "".
  Response Feedback(std::string_view service_id, std::string_view body, const std::string& client);
  // GET /cds-services/{id}/feedback: stored feedback and counts per outcome.
  Response FeedbackReport(std::string_view service_id, int64_t after_id, int limit);

 private:
  ServiceContext ctx_;
  ServiceOptions options_;
  const pathway::ProfileDef* profile_ = nullptr;
  std::unique_ptr<FhirClient> fhir_;
};

}  // namespace calfdvt::server::cds
