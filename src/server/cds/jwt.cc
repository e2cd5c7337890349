#include "server/cds/jwt.h"

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>
#include <openssl/rsa.h>
#include <simdjson.h>

#include <array>
#include <cmath>

namespace calfdvt::server::cds {
namespace {

using core::Result;
using core::Status;

struct PkeyFree {
  void operator()(EVP_PKEY* p) const { EVP_PKEY_free(p); }
};
using PkeyPtr = std::unique_ptr<EVP_PKEY, PkeyFree>;

int DecodeChar(char c) {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return c - 'a' + 26;
  if (c >= '0' && c <= '9') return c - '0' + 52;
  if (c == '-') return 62;
  if (c == '_') return 63;
  return -1;
}

Status Fail(std::string rule, std::string message) {
  return Status::Invalid("Authorization", std::move(rule), std::move(message));
}

}  // namespace

std::optional<std::string> Base64UrlDecode(std::string_view in) {
  while (!in.empty() && in.back() == '=') in.remove_suffix(1);
  if (in.size() % 4 == 1) return std::nullopt;
  std::string out;
  out.reserve(in.size() * 3 / 4);
  uint32_t acc = 0;
  int bits = 0;
  for (char c : in) {
    const int v = DecodeChar(c);
    if (v < 0) return std::nullopt;
    acc = (acc << 6) | static_cast<uint32_t>(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out.push_back(static_cast<char>((acc >> bits) & 0xff));
    }
  }
  return out;
}

std::string Base64UrlEncode(std::string_view in) {
  static constexpr char kAlphabet[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  std::string out;
  uint32_t acc = 0;
  int bits = 0;
  for (unsigned char c : in) {
    acc = (acc << 8) | c;
    bits += 8;
    while (bits >= 6) {
      bits -= 6;
      out.push_back(kAlphabet[(acc >> bits) & 0x3f]);
    }
  }
  if (bits > 0) out.push_back(kAlphabet[(acc << (6 - bits)) & 0x3f]);
  return out;
}

std::string_view JwsAlgName(JwsAlg alg) { return alg == JwsAlg::kES384 ? "ES384" : "RS384"; }

int64_t SystemEpochSeconds() {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// ---- JWK Set (RFC 7517 §4-5, RFC 7518 §6.2-6.3) -----------------------------------------------

struct JwkSet::Key {
  std::string kid;
  JwsAlg alg = JwsAlg::kES384;
  PkeyPtr pkey;
};

JwkSet::JwkSet() = default;
JwkSet::~JwkSet() = default;
JwkSet::JwkSet(JwkSet&&) noexcept = default;
JwkSet& JwkSet::operator=(JwkSet&&) noexcept = default;
size_t JwkSet::size() const { return keys_.size(); }

namespace {

struct BnFree {
  void operator()(BIGNUM* b) const { BN_free(b); }
};
using BnPtr = std::unique_ptr<BIGNUM, BnFree>;

PkeyPtr FromParams(const char* type, OSSL_PARAM_BLD* bld) {
  OSSL_PARAM* params = OSSL_PARAM_BLD_to_param(bld);
  if (params == nullptr) return nullptr;
  EVP_PKEY_CTX* ctx = EVP_PKEY_CTX_new_from_name(nullptr, type, nullptr);
  EVP_PKEY* pkey = nullptr;
  if (ctx != nullptr && EVP_PKEY_fromdata_init(ctx) == 1)
    EVP_PKEY_fromdata(ctx, &pkey, EVP_PKEY_PUBLIC_KEY, params);
  EVP_PKEY_CTX_free(ctx);
  OSSL_PARAM_free(params);
  return PkeyPtr(pkey);
}

// EC P-384 public key from the uncompressed point 0x04 || x || y (48 bytes each).
PkeyPtr EcP384Key(const std::string& x, const std::string& y) {
  if (x.size() != 48 || y.size() != 48) return nullptr;
  std::string point = "\x04" + x + y;
  OSSL_PARAM_BLD* bld = OSSL_PARAM_BLD_new();
  if (bld == nullptr) return nullptr;
  PkeyPtr key;
  if (OSSL_PARAM_BLD_push_utf8_string(bld, OSSL_PKEY_PARAM_GROUP_NAME, "secp384r1", 0) == 1 &&
      OSSL_PARAM_BLD_push_octet_string(bld, OSSL_PKEY_PARAM_PUB_KEY, point.data(), point.size()) == 1)
    key = FromParams("EC", bld);
  OSSL_PARAM_BLD_free(bld);
  if (!key) return nullptr;
  // fromdata does not prove the point lies on the curve: check it.
  EVP_PKEY_CTX* check = EVP_PKEY_CTX_new_from_pkey(nullptr, key.get(), nullptr);
  const bool on_curve = check != nullptr && EVP_PKEY_public_check(check) == 1;
  EVP_PKEY_CTX_free(check);
  return on_curve ? std::move(key) : nullptr;
}

PkeyPtr RsaKey(const std::string& n, const std::string& e) {
  BnPtr bn_n(BN_bin2bn(reinterpret_cast<const unsigned char*>(n.data()), static_cast<int>(n.size()), nullptr));
  BnPtr bn_e(BN_bin2bn(reinterpret_cast<const unsigned char*>(e.data()), static_cast<int>(e.size()), nullptr));
  if (!bn_n || !bn_e) return nullptr;
  OSSL_PARAM_BLD* bld = OSSL_PARAM_BLD_new();
  if (bld == nullptr) return nullptr;
  PkeyPtr key;
  if (OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_N, bn_n.get()) == 1 &&
      OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_E, bn_e.get()) == 1)
    key = FromParams("RSA", bld);
  OSSL_PARAM_BLD_free(bld);
  return key;
}

std::optional<std::string> StringField(simdjson::dom::object o, std::string_view key) {
  std::string_view v;
  if (o[key].get_string().get(v) != simdjson::SUCCESS) return std::nullopt;
  return std::string(v);
}

}  // namespace

Result<JwkSet> JwkSet::Parse(std::string_view json, std::string_view path) {
  const std::string base(path);
  simdjson::dom::parser parser;
  simdjson::dom::element doc;
  if (parser.parse(json.data(), json.size()).get(doc) != simdjson::SUCCESS)
    return Result<JwkSet>::Invalid(base, "json", "the JWK Set is not valid JSON");
  simdjson::dom::array keys;
  if (doc["keys"].get_array().get(keys) != simdjson::SUCCESS)
    return Result<JwkSet>::Invalid(base + ".keys", "required", "a JWK Set needs a \"keys\" array");
  JwkSet set;
  size_t i = 0;
  for (simdjson::dom::element k : keys) {
    const std::string kpath = base + ".keys[" + std::to_string(i++) + "]";
    simdjson::dom::object o;
    if (k.get_object().get(o) != simdjson::SUCCESS)
      return Result<JwkSet>::Invalid(kpath, "type", "each key must be a JSON object");
    const auto kty = StringField(o, "kty");
    if (!kty) return Result<JwkSet>::Invalid(kpath + ".kty", "required", "kty is required");
    if (auto use = StringField(o, "use"); use && *use != "sig") continue;  // encryption key
    if (o["d"].error() == simdjson::SUCCESS || o["p"].error() == simdjson::SUCCESS)
      return Result<JwkSet>::Invalid(kpath, "private_key",
                                     "the JWK Set holds a private key: publish only public keys");
    auto key = std::make_shared<Key>();
    key->kid = StringField(o, "kid").value_or("");
    const auto alg = StringField(o, "alg");
    if (*kty == "EC") {
      if (StringField(o, "crv").value_or("") != "P-384") continue;  // other curves: not usable
      if (alg && *alg != "ES384")
        return Result<JwkSet>::Invalid(kpath + ".alg", "alg", "an EC P-384 key must be ES384");
      const auto x = Base64UrlDecode(StringField(o, "x").value_or(""));
      const auto y = Base64UrlDecode(StringField(o, "y").value_or(""));
      if (!x || !y) return Result<JwkSet>::Invalid(kpath, "format", "x and y must be base64url");
      key->alg = JwsAlg::kES384;
      key->pkey = EcP384Key(*x, *y);
      if (!key->pkey)
        return Result<JwkSet>::Invalid(kpath, "key", "x/y are not a point on P-384 (48 bytes each)");
    } else if (*kty == "RSA") {
      if (alg && *alg != "RS384")
        return Result<JwkSet>::Invalid(kpath + ".alg", "alg", "an RSA key must be RS384");
      const auto n = Base64UrlDecode(StringField(o, "n").value_or(""));
      const auto e = Base64UrlDecode(StringField(o, "e").value_or(""));
      if (!n || !e || n->empty() || e->empty())
        return Result<JwkSet>::Invalid(kpath, "format", "n and e must be non-empty base64url");
      key->alg = JwsAlg::kRS384;
      key->pkey = RsaKey(*n, *e);
      if (!key->pkey) return Result<JwkSet>::Invalid(kpath, "key", "n/e do not form an RSA key");
      if (EVP_PKEY_get_bits(key->pkey.get()) < 2048)
        return Result<JwkSet>::Invalid(kpath + ".n", "key_size", "RSA keys must have at least 2048 bits");
    } else {
      continue;  // oct (HMAC secrets) and other types are never trusted
    }
    set.keys_.push_back(std::move(key));
  }
  if (set.keys_.empty())
    return Result<JwkSet>::Invalid(base + ".keys", "empty",
                                   "no usable signing key (EC P-384 for ES384 or RSA for RS384)");
  return set;
}

Status JwkSet::Verify(JwsAlg alg, std::string_view kid, std::string_view signing_input,
                      std::string_view signature) const {
  const Key* key = nullptr;
  size_t candidates = 0;
  for (const auto& k : keys_) {
    if (!kid.empty() && k->kid == kid) {
      key = k.get();
      break;
    }
    if (kid.empty() && k->alg == alg) {
      key = k.get();
      ++candidates;
    }
  }
  if (key == nullptr || (kid.empty() && candidates != 1))
    return Fail("kid", kid.empty() ? "the token has no kid and the issuer has several keys"
                                   : "the issuer has no key with this kid");
  if (key->alg != alg) return Fail("signature", "the key named by kid is not an " + std::string(JwsAlgName(alg)) + " key");

  std::string der;
  if (alg == JwsAlg::kES384) {
    // JWS carries r || s (RFC 7518 §3.4); OpenSSL verifies a DER ECDSA-Sig-Value.
    if (signature.size() != 96) return Fail("signature", "an ES384 signature must be 96 bytes (r||s)");
    ECDSA_SIG* sig = ECDSA_SIG_new();
    BIGNUM* r = BN_bin2bn(reinterpret_cast<const unsigned char*>(signature.data()), 48, nullptr);
    BIGNUM* s = BN_bin2bn(reinterpret_cast<const unsigned char*>(signature.data()) + 48, 48, nullptr);
    if (sig == nullptr || r == nullptr || s == nullptr || ECDSA_SIG_set0(sig, r, s) != 1) {
      BN_free(r);
      BN_free(s);
      ECDSA_SIG_free(sig);
      return Fail("signature", "the signature could not be decoded");
    }
    unsigned char* buf = nullptr;
    const int len = i2d_ECDSA_SIG(sig, &buf);
    ECDSA_SIG_free(sig);
    if (len <= 0) return Fail("signature", "the signature could not be decoded");
    der.assign(reinterpret_cast<char*>(buf), static_cast<size_t>(len));
    OPENSSL_free(buf);
    signature = der;
  }
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  EVP_PKEY_CTX* pctx = nullptr;
  bool ok = ctx != nullptr &&
            EVP_DigestVerifyInit(ctx, &pctx, EVP_sha384(), nullptr, key->pkey.get()) == 1;
  if (ok && alg == JwsAlg::kRS384) ok = EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PADDING) == 1;
  ok = ok && EVP_DigestVerify(ctx, reinterpret_cast<const unsigned char*>(signature.data()),
                              signature.size(),
                              reinterpret_cast<const unsigned char*>(signing_input.data()),
                              signing_input.size()) == 1;
  EVP_MD_CTX_free(ctx);
  if (!ok) return Fail("signature", "the token's signature does not verify with the issuer's key");
  return core::OkStatus();
}

// ---- Verifier (CDS Hooks 2.0 §"Trusting CDS Clients") ------------------------------------------

ClientVerifier::ClientVerifier(std::vector<TrustedClient> clients, VerifyOptions options,
                               EpochSeconds now)
    : clients_(std::move(clients)), options_(options), now_(std::move(now)) {}
ClientVerifier::~ClientVerifier() = default;

namespace {

Result<VerifiedClient> Reject(std::string rule, std::string message) {
  return Result<VerifiedClient>::Invalid("Authorization", std::move(rule), std::move(message));
}

// A NumericDate (RFC 7519 §2): a JSON number of seconds; fractions are truncated.
std::optional<int64_t> NumericDate(simdjson::dom::object o, std::string_view key) {
  simdjson::dom::element e;
  if (o[key].get(e) != simdjson::SUCCESS) return std::nullopt;
  if (e.is_int64()) return int64_t(e.get_int64());
  if (e.is_uint64()) return std::nullopt;  // beyond any sensible date
  double d = 0;
  if (e.get_double().get(d) != simdjson::SUCCESS || !std::isfinite(d) || std::fabs(d) > 1e15)
    return std::nullopt;
  return static_cast<int64_t>(d);
}

}  // namespace

Result<VerifiedClient> ClientVerifier::Verify(std::string_view token, std::string_view audience) {
  const size_t dot1 = token.find('.');
  const size_t dot2 = dot1 == std::string_view::npos ? dot1 : token.find('.', dot1 + 1);
  if (dot2 == std::string_view::npos || token.find('.', dot2 + 1) != std::string_view::npos)
    return Reject("format", "the bearer token is not a compact JWS (header.payload.signature)");
  const auto header = Base64UrlDecode(token.substr(0, dot1));
  const auto payload = Base64UrlDecode(token.substr(dot1 + 1, dot2 - dot1 - 1));
  const auto signature = Base64UrlDecode(token.substr(dot2 + 1));
  if (!header || !payload || !signature)
    return Reject("format", "the bearer token is not base64url-encoded");

  simdjson::dom::parser parser;
  simdjson::dom::object h;
  {
    simdjson::padded_string hp(*header);
    if (parser.parse(hp).get_object().get(h) != simdjson::SUCCESS)
      return Reject("format", "the JWT header is not a JSON object");
    // h is only used before the next parse on this parser.
    std::string_view alg_name;
    if (h["alg"].get_string().get(alg_name) != simdjson::SUCCESS)
      return Reject("alg", "the JWT header has no alg");
    JwsAlg alg;
    if (alg_name == "ES384") alg = JwsAlg::kES384;
    else if (alg_name == "RS384") alg = JwsAlg::kRS384;
    else return Reject("alg", "alg \"" + std::string(alg_name.substr(0, 16)) +
                                  "\" is not accepted (ES384 or RS384; none and HMAC never)");
    if (h["typ"].error() == simdjson::SUCCESS) {
      std::string_view typ;
      if (h["typ"].get_string().get(typ) != simdjson::SUCCESS || typ != "JWT")
        return Reject("typ", "typ must be \"JWT\"");
    }
    if (h["crit"].error() == simdjson::SUCCESS)
      return Reject("crit", "critical JWS header extensions are not supported");
    std::string_view kid_view;
    std::string kid;
    if (h["kid"].error() == simdjson::SUCCESS) {
      if (h["kid"].get_string().get(kid_view) != simdjson::SUCCESS || kid_view.empty())
        return Reject("kid", "kid must be a non-empty string");
      kid = std::string(kid_view);
    }

    simdjson::padded_string pp(*payload);
    simdjson::dom::object c;
    if (parser.parse(pp).get_object().get(c) != simdjson::SUCCESS)
      return Reject("format", "the JWT payload is not a JSON object");
    std::string_view iss;
    if (c["iss"].get_string().get(iss) != simdjson::SUCCESS)
      return Reject("iss", "the token has no iss claim");
    const TrustedClient* client = nullptr;
    for (const auto& tc : clients_)
      if (tc.iss == iss) client = &tc;
    if (client == nullptr) return Reject("iss", "the issuer is not in the allow-list");

    // The signature is checked before any other claim so that nothing unauthenticated is trusted.
    const std::string_view signing_input = token.substr(0, dot2);
    if (auto st = client->jwks.Verify(alg, kid, signing_input, *signature); !st.ok())
      return Result<VerifiedClient>(st.kind(), st.errors());

    // aud: the exact URL of the service endpoint called.
    bool aud_ok = false;
    simdjson::dom::element aud;
    if (c["aud"].get(aud) == simdjson::SUCCESS) {
      std::string_view s;
      if (aud.get_string().get(s) == simdjson::SUCCESS) {
        aud_ok = s == audience;
      } else {
        simdjson::dom::array list;
        if (aud.get_array().get(list) == simdjson::SUCCESS) {
          for (simdjson::dom::element e : list)
            if (e.get_string().get(s) == simdjson::SUCCESS && s == audience) aud_ok = true;
        }
      }
    }
    if (!aud_ok) return Reject("aud", "aud must be the URL of this service (" + std::string(audience) + ")");

    const int64_t now = now_();
    const int64_t skew = options_.skew.count();
    const auto exp = NumericDate(c, "exp");
    if (!exp) return Reject("exp", "the token has no numeric exp claim");
    if (*exp + skew <= now) return Reject("exp", "the token has expired");
    if (*exp > now + options_.max_lifetime.count() + skew)
      return Reject("exp", "exp is more than " + std::to_string(options_.max_lifetime.count()) +
                               " seconds ahead");
    if (c["iat"].error() == simdjson::SUCCESS) {
      const auto iat = NumericDate(c, "iat");
      if (!iat || *iat > now + skew) return Reject("iat", "iat must be a time not in the future");
    }
    if (c["nbf"].error() == simdjson::SUCCESS) {
      const auto nbf = NumericDate(c, "nbf");
      if (!nbf || *nbf > now + skew) return Reject("nbf", "the token is not valid yet (nbf)");
    }
    std::string_view jti;
    if (c["jti"].get_string().get(jti) != simdjson::SUCCESS || jti.empty() || jti.size() > 256)
      return Reject("jti", "the token needs a jti claim (1-256 characters)");

    VerifiedClient out;
    out.iss = std::string(iss);
    out.jti = std::string(jti);
    out.exp = *exp;
    std::string_view tenant;
    if (c["tenant"].get_string().get(tenant) == simdjson::SUCCESS) out.tenant = std::string(tenant);
    std::string key = out.iss;
    key.push_back('\n');
    key.append(out.jti);
    switch (Remember(key, *exp + skew, now)) {
      case 1: return Reject("replay", "this token (iss, jti) was already used");
      case 2: return Reject("jti", "too many unexpired tokens remembered; retry later");
      default: break;
    }
    return out;
  }
}

int ClientVerifier::Remember(const std::string& key, int64_t expires, int64_t now) {
  std::lock_guard<std::mutex> lock(mu_);
  // Forget entries whose token can no longer be accepted anyway.
  while (!by_exp_.empty() && by_exp_.begin()->first < now) {
    seen_.erase(by_exp_.begin()->second);
    by_exp_.erase(by_exp_.begin());
  }
  if (seen_.count(key) != 0) return 1;
  if (seen_.size() >= options_.max_replay_entries) return 2;
  seen_.emplace(key, expires);
  by_exp_.emplace(expires, key);
  return 0;
}

}  // namespace calfdvt::server::cds
