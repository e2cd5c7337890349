// The allow-list of CDS clients given to `calfdvt serve --cds-clients FILE` (docs/cds-hooks.md,
// "Security"). A JSON document, format "calfdvt/cds-clients@1":
//
//   {"format": "calfdvt/cds-clients@1",
//    "clients": [
//      {"iss": "https://ehr.example.org", "jwks": {"keys": [ {EC P-384 or RSA public JWK}, ... ]}},
//      {"iss": "https://sandbox.example.org", "jwks_file": "sandbox-jwks.json"}
//    ]}
//
// Each issuer appears once; its keys are given inline ("jwks") or in a JWK Set file ("jwks_file",
// relative to the clients file). Keys are never fetched from the network (no jku / jwks_url):
// the file is the complete trust decision, reviewed like any other configuration.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "server/cds/jwt.h"

namespace calfdvt::server::cds {

inline constexpr std::string_view kClientsFormat = "calfdvt/cds-clients@1";

// Parses the document; a "jwks_file" is read relative to `base_dir`.
core::Result<std::vector<TrustedClient>> ParseClients(std::string_view json,
                                                      const std::string& base_dir);
// Reads and parses FILE. Errors name the file and the JSON path ("clients[0].jwks.keys[1].x").
core::Result<std::vector<TrustedClient>> LoadClientsFile(const std::string& path);

}  // namespace calfdvt::server::cds
