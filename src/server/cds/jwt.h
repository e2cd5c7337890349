// JSON Web Token verification for CDS Hooks clients (CDS Hooks 2.0, "Trusting CDS Clients":
// https://cds-hooks.hl7.org/2.0/#trusting-cds-clients). A CDS client signs a JWT with its private
// key and sends it as `Authorization: Bearer <jwt>`; the service trusts an allow-list of issuers,
// each with its JSON Web Key Set (RFC 7517).
//
// Accepted: compact JWS (RFC 7515) with header `alg` ES384 (RFC 7518 §3.4, the signature is raw
// r||s, 96 bytes) or RS384 (RSASSA-PKCS1-v1_5 with SHA-384, keys of at least 2048 bits), `typ`
// "JWT" when present, `kid` naming a key of the issuer's set. Rejected: `none`, every HMAC
// algorithm (HS*), any other algorithm, a `crit` header, and keys whose kty/crv/alg do not match.
//
// Claims (RFC 7519): `iss` in the allow-list, `aud` equal to the URL of the service called (a
// string or an array containing it), `exp` in the future (allowing `skew`) and not more than
// `max_lifetime` ahead, `iat` not in the future, `nbf` passed, `jti` present and not seen before
// from that issuer until the token expires (replay cache).
//
// Thread safety: JwkSet is immutable after Parse. ClientVerifier::Verify may run concurrently
// (the replay cache is guarded by a mutex).
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/status.h"

namespace calfdvt::server::cds {

// RFC 4648 §5 without padding (padding '=' is tolerated). nullopt on any other character.
std::optional<std::string> Base64UrlDecode(std::string_view in);
std::string Base64UrlEncode(std::string_view in);

enum class JwsAlg : uint8_t { kES384 = 0, kRS384 = 1 };
std::string_view JwsAlgName(JwsAlg alg);

// One public key of a JWK Set: EC P-384 ("kty":"EC","crv":"P-384","x","y") or RSA ("kty":"RSA",
// "n","e"). A key's own "alg", when given, must be ES384 or RS384 and match its type; "use", when
// given, must be "sig". Keys of other types are skipped (reported by Parse as a warning-free skip),
// so a JWKS that also lists encryption keys still loads.
class JwkSet {
 public:
  struct Key;
  JwkSet();
  ~JwkSet();
  JwkSet(JwkSet&&) noexcept;
  JwkSet& operator=(JwkSet&&) noexcept;

  // `json` is a JWK Set {"keys":[...]}. Errors name the path ("keys[1].x").
  static core::Result<JwkSet> Parse(std::string_view json, std::string_view path = "jwks");

  size_t size() const;
  // Verifies `signature` over `signing_input` with the key `kid` (any key of a matching type when
  // `kid` is empty and the set has exactly one such key). Errors: rule "kid" (no such key),
  // "signature" (bad signature or a key of another type).
  core::Status Verify(JwsAlg alg, std::string_view kid, std::string_view signing_input,
                      std::string_view signature) const;

 private:
  std::vector<std::shared_ptr<const Key>> keys_;
};

// A trusted CDS client: its issuer URL and keys.
struct TrustedClient {
  std::string iss;
  JwkSet jwks;
};

struct VerifyOptions {
  // Allowed clock difference between client and service, seconds; 0..300.
  std::chrono::seconds skew{30};
  // Largest allowed exp - now (CDS Hooks: "no more than 5 minutes in the future"), seconds.
  std::chrono::seconds max_lifetime{300};
  // Largest number of remembered jti values; beyond it new tokens are refused (rule "jti")
  // until older ones expire. >= 1.
  size_t max_replay_entries = 1'000'000;
};

struct VerifiedClient {
  std::string iss;
  std::string jti;
  std::string tenant;  // "" when absent
  int64_t exp = 0;
};

// Seconds since the Unix epoch; injectable for tests.
using EpochSeconds = std::function<int64_t()>;
int64_t SystemEpochSeconds();

class ClientVerifier {
 public:
  ClientVerifier(std::vector<TrustedClient> clients, VerifyOptions options = {},
                 EpochSeconds now = SystemEpochSeconds);
  ~ClientVerifier();
  ClientVerifier(const ClientVerifier&) = delete;
  ClientVerifier& operator=(const ClientVerifier&) = delete;

  // Verifies a compact JWS for a call to `audience` (the exact URL of the service endpoint).
  // On failure the single error's rule names the check that failed: "format", "alg", "typ",
  // "crit", "iss", "kid", "signature", "aud", "exp", "iat", "nbf", "jti", "replay"; its message
  // is safe to return to the client (no key material, no claims echoed beyond the issuer).
  core::Result<VerifiedClient> Verify(std::string_view token, std::string_view audience);

  size_t client_count() const { return clients_.size(); }
  const std::vector<TrustedClient>& clients() const { return clients_; }

 private:
  // 0: new, remembered; 1: a replay; 2: the cache is full.
  int Remember(const std::string& key, int64_t exp, int64_t now);

  std::vector<TrustedClient> clients_;
  VerifyOptions options_;
  EpochSeconds now_;
  std::mutex mu_;
  std::unordered_map<std::string, int64_t> seen_;  // iss + '\n' + jti -> exp
  std::multimap<int64_t, std::string> by_exp_;
};

}  // namespace calfdvt::server::cds
