// Fetching the data a CDS service needs from the CDS client's FHIR server when the client sent
// no prefetch for it (CDS Hooks 2.0 §"FHIR Resource Access":
// https://cds-hooks.hl7.org/2.0/#fhir-resource-access). Queries are FHIR REST reads and searches
// relative to `fhirServer` ("Patient/123", "Condition?patient=123"), sent with
// `Authorization: Bearer <fhirAuthorization.access_token>` when the client gave one.
//
// Transport: HTTP/1.1 (Boost.Beast) over TCP, or TLS for https:// (OpenSSL; the peer's certificate
// must chain to the system's CAs or to `ca_file`, and match the host name), all queries of one call
// in parallel on a private event loop, bounded by one overall deadline; responses over
// max_response_bytes fail.
//
// Blocking: Fetch blocks the calling thread until every query finished or the deadline passed.
// The CDS handlers call it on an HTTP I/O thread, so the deadline bounds how long that thread (and
// the connections it serves) waits; at most `max_concurrent` fetches run at once server-wide, the
// others fail at once (kConflict) instead of queueing. Thread-safe.
#pragma once

#include <atomic>
#include <chrono>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"

namespace calfdvt::server::cds {

struct FhirClientOptions {
  // Whole-call deadline for all queries of one hook request (resolve, connect, send, receive).
  std::chrono::milliseconds deadline{3000};
  // Largest accepted response body per query, bytes.
  size_t max_response_bytes = 8 << 20;
  // Fetches running at the same time across the server; beyond it a call fails fast. >= 1.
  int max_concurrent = 4;
  // Extra trusted CA certificates (PEM) for https FHIR servers; "" = the system's CAs only.
  std::string ca_file;
};

struct FhirQuery {
  std::string key;       // the prefetch key this answers ("conditions")
  std::string relative;  // "Condition?patient=123"
};

struct FhirAnswer {
  std::string key;
  int status = 0;    // HTTP status of the FHIR server's answer
  std::string body;  // the resource or Bundle (JSON)
};

class FhirClient {
 public:
  explicit FhirClient(FhirClientOptions options = {}) : options_(options) {}

  // `base`: the fhirServer URL ("http://host:port/fhir"). `bearer`: access token or "".
  // Every query must succeed with 200 and a JSON body; otherwise the call fails naming the key
  // (kInternal for transport failures and timeouts, kInvalidInput for a bad base URL).
  core::Result<std::vector<FhirAnswer>> Fetch(std::string_view base, std::string_view bearer,
                                              const std::vector<FhirQuery>& queries);

 private:
  FhirClientOptions options_;
  std::atomic<int> running_{0};
};

}  // namespace calfdvt::server::cds
