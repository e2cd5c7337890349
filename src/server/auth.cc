#include "server/auth.h"

#include "formats/sha256.h"
#include "server/utf8.h"

namespace calfdvt::server {

namespace {
constexpr std::string_view kPrefix = "cdvt_";
constexpr auto kCacheTtl = std::chrono::seconds(30);
constexpr size_t kMaxCache = 10000;

Response Unauthorized(std::string message) {
  Response r = Error(401, "unauthenticated", std::move(message), "Authorization");
  r.headers.Set("WWW-Authenticate", "Bearer realm=\"calfdvt\"");
  return r;
}
}  // namespace

core::Result<IssuedToken> CreateToken(store::Store& store, RandomSource& random, Clock& clock,
                                      Role role, std::string_view label, std::string_view actor) {
  if (label.empty() || label.size() > 64)
    return core::Result<IssuedToken>::Invalid("label", "range", "must be 1 to 64 characters");
  for (char c : label)
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f)
      return core::Result<IssuedToken>::Invalid("label", "format", "must not contain control characters");
  // The label becomes the actor in every JSON answer and audit entry: it must be UTF-8 text.
  if (!ValidUtf8(label)) return core::Result<IssuedToken>::Invalid("label", "format", "must be UTF-8 text");
  IssuedToken t;
  t.id = random.Uuid().substr(0, 8);
  t.secret = std::string(kPrefix) + random.Secret(32);
  t.role = role;
  store::TokenRow row;
  row.id = t.id;
  row.hash = formats::Sha256Hex(t.secret);
  row.role = std::string(kRoleNames.Name(role));
  row.label = std::string(label);
  const store::Actor who{std::string(actor), clock.NowRfc3339()};
  row.created_at = who.at;
  if (auto st = store.CreateToken(row, who); !st.ok())
    return core::Result<IssuedToken>(st.kind(), st.errors());
  return t;
}

std::variant<Principal, Response> Authenticator::Authenticate(const Request& request) {
  if (open_) return Principal{"demo", Role::kClinician};
  auto header = request.Header("Authorization");
  if (!header) return Unauthorized("an API token is required: Authorization: Bearer <token>");
  std::string_view h = *header;
  if (h.size() < 7 || !EqualsIgnoreCase(h.substr(0, 7), "Bearer "))
    return Unauthorized("use the Bearer scheme: Authorization: Bearer <token>");
  std::string_view secret = h.substr(7);
  while (!secret.empty() && secret.front() == ' ') secret.remove_prefix(1);
  if (secret.substr(0, kPrefix.size()) != kPrefix) return Unauthorized("invalid API token");
  const std::string hash = formats::Sha256Hex(secret);
  const auto now = std::chrono::steady_clock::now();
  {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = cache_.find(hash);
    if (it != cache_.end() && it->second.expires > now) {
      if (it->second.principal) return *it->second.principal;
      return Unauthorized("invalid API token");
    }
  }
  auto row = store_->FindTokenByHash(hash);
  if (!row.ok()) return Error(503, "unavailable", "the token store is unavailable; retry");
  std::optional<Principal> principal;
  if (*row) {
    auto role = kRoleNames.Parse((*row)->role);
    if (role) principal = Principal{(*row)->label + " [token " + (*row)->id + "]", *role};
  }
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (cache_.size() >= kMaxCache) cache_.clear();
    cache_[hash] = Cached{principal, now + kCacheTtl};
  }
  if (!principal) return Unauthorized("invalid API token");
  return *principal;
}

std::optional<Response> Authenticator::Require(const Principal& p, Role role) {
  if (static_cast<int>(p.role) >= static_cast<int>(role)) return std::nullopt;
  return Error(403, "forbidden",
               "this action needs the " + std::string(kRoleNames.Name(role)) + " role (token role: " +
                   std::string(kRoleNames.Name(p.role)) + ")");
}

}  // namespace calfdvt::server
