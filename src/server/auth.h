// API authentication: bearer tokens whose SHA-256 is stored (never the secret), with roles.
//   viewer    read episodes, worklist, audit; stateless assessment
//   clinician viewer + create episodes and record events
//   admin     clinician + administration
// Open mode (no tokens) is the loopback-only demo: every caller acts as "demo" with the
// clinician role. Listening beyond loopback in open mode is refused at start (see serve).
//
// Thread safety: Authenticate may run concurrently; it caches token look-ups briefly so the hot
// path does not touch the database on every request.
#pragma once

#include <chrono>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

#include "core/enum_names.h"
#include "core/status.h"
#include "server/clock.h"
#include "server/http.h"
#include "store/store.h"

namespace calfdvt::server {

enum class Role : uint8_t { kViewer = 0, kClinician = 1, kAdmin = 2 };
inline constexpr core::EnumNames<Role, 3> kRoleNames{{"viewer", "clinician", "admin"}};

struct Principal {
  std::string actor;  // recorded in the audit trail
  Role role = Role::kViewer;
};

struct IssuedToken {
  std::string id;
  std::string secret;  // shown once; only its hash is stored
  Role role;
};

// Creates and stores a token. `label` names its holder (1-64 printable characters).
core::Result<IssuedToken> CreateToken(store::Store& store, RandomSource& random, Clock& clock,
                                      Role role, std::string_view label, std::string_view actor);

class Authenticator {
 public:
  // `store` null or `open` true: open demo mode.
  Authenticator(store::Store* store, bool open) : store_(store), open_(open) {}

  bool open() const { return open_; }

  // The caller, or a 401 response (missing/invalid token) to send back.
  std::variant<Principal, Response> Authenticate(const Request& request);

  // 403 response unless `p` has at least `role`.
  static std::optional<Response> Require(const Principal& p, Role role);

 private:
  struct Cached {
    std::optional<Principal> principal;  // nullopt: known bad token
    std::chrono::steady_clock::time_point expires;
  };
  store::Store* store_;
  bool open_;
  std::mutex mu_;
  std::unordered_map<std::string, Cached> cache_;  // by token hash
};

}  // namespace calfdvt::server
