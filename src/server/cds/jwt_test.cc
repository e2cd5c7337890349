// JWT verification of CDS clients: keys are generated here with OpenSSL, tokens signed here, and
// every rejection the CDS Hooks security section implies is checked.
#include "server/cds/jwt.h"

#include <gtest/gtest.h>
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include "server/cds/clients_file.h"

namespace calfdvt::server::cds {
namespace {

constexpr int64_t kNow = 1'790'000'000;
constexpr std::string_view kAud = "http://127.0.0.1:8080/cds-services/calfdvt-patient-view";

struct Pkey {
  EVP_PKEY* p = nullptr;
  ~Pkey() { EVP_PKEY_free(p); }
};

std::string Bn(EVP_PKEY* k, const char* name, size_t pad = 0) {
  BIGNUM* bn = nullptr;
  EXPECT_EQ(EVP_PKEY_get_bn_param(k, name, &bn), 1);
  std::string out(pad ? pad : static_cast<size_t>(BN_num_bytes(bn)), '\0');
  BN_bn2binpad(bn, reinterpret_cast<unsigned char*>(out.data()), static_cast<int>(out.size()));
  BN_free(bn);
  return out;
}

std::string EcJwk(EVP_PKEY* k, const std::string& kid) {
  return R"({"kty":"EC","crv":"P-384","kid":")" + kid + R"(","use":"sig","alg":"ES384","x":")" +
         Base64UrlEncode(Bn(k, OSSL_PKEY_PARAM_EC_PUB_X, 48)) + R"(","y":")" +
         Base64UrlEncode(Bn(k, OSSL_PKEY_PARAM_EC_PUB_Y, 48)) + R"("})";
}

std::string RsaJwk(EVP_PKEY* k, const std::string& kid) {
  return R"({"kty":"RSA","kid":")" + kid + R"(","alg":"RS384","n":")" +
         Base64UrlEncode(Bn(k, OSSL_PKEY_PARAM_RSA_N)) + R"(","e":")" +
         Base64UrlEncode(Bn(k, OSSL_PKEY_PARAM_RSA_E)) + R"("})";
}

std::string Sign(EVP_PKEY* k, bool ec, std::string_view input) {
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  EXPECT_EQ(EVP_DigestSignInit(ctx, nullptr, EVP_sha384(), nullptr, k), 1);
  size_t len = 0;
  EVP_DigestSign(ctx, nullptr, &len, reinterpret_cast<const unsigned char*>(input.data()), input.size());
  std::string sig(len, '\0');
  EXPECT_EQ(EVP_DigestSign(ctx, reinterpret_cast<unsigned char*>(sig.data()), &len,
                           reinterpret_cast<const unsigned char*>(input.data()), input.size()), 1);
  sig.resize(len);
  EVP_MD_CTX_free(ctx);
  if (!ec) return sig;
  // DER -> raw r || s (RFC 7518 §3.4).
  const unsigned char* p = reinterpret_cast<const unsigned char*>(sig.data());
  ECDSA_SIG* es = d2i_ECDSA_SIG(nullptr, &p, static_cast<long>(sig.size()));
  std::string raw(96, '\0');
  BN_bn2binpad(ECDSA_SIG_get0_r(es), reinterpret_cast<unsigned char*>(raw.data()), 48);
  BN_bn2binpad(ECDSA_SIG_get0_s(es), reinterpret_cast<unsigned char*>(raw.data()) + 48, 48);
  ECDSA_SIG_free(es);
  return raw;
}

class JwtTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ec_.p = EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "secp384r1");
    rsa_.p = EVP_PKEY_Q_keygen(nullptr, nullptr, "RSA", size_t{2048});
    other_.p = EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "secp384r1");
    ASSERT_NE(ec_.p, nullptr);
    ASSERT_NE(rsa_.p, nullptr);
    const std::string clients =
        R"({"format":"calfdvt/cds-clients@1","clients":[{"iss":"https://ehr.example","jwks":{"keys":[)" +
        EcJwk(ec_.p, "ec1") + "," + RsaJwk(rsa_.p, "rsa1") + R"(]}}]})";
    auto parsed = ParseClients(clients, ".");
    ASSERT_TRUE(parsed.ok()) << core::FormatError(parsed.errors()[0]);
    verifier_ = std::make_unique<ClientVerifier>(std::move(parsed.value()), VerifyOptions{},
                                                 [this] { return now_; });
  }

  std::string Token(std::string header, std::string claims, EVP_PKEY* key = nullptr, bool ec = true) {
    if (key == nullptr) key = ec ? ec_.p : rsa_.p;
    const std::string input = Base64UrlEncode(header) + "." + Base64UrlEncode(claims);
    return input + "." + Base64UrlEncode(Sign(key, ec, input));
  }
  std::string Claims(std::string extra = "", int64_t exp_in = 120, std::string jti = "j1") {
    return R"({"iss":"https://ehr.example","aud":")" + std::string(kAud) + R"(","iat":)" +
           std::to_string(kNow) + R"(,"exp":)" + std::to_string(kNow + exp_in) +
           (jti.empty() ? "" : R"(,"jti":")" + jti + "\"") + extra + "}";
  }
  std::string Rule(const std::string& token) {
    auto r = verifier_->Verify(token, kAud);
    return r.ok() ? "ok" : r.errors()[0].rule;
  }

  Pkey ec_, rsa_, other_;
  int64_t now_ = kNow;
  std::unique_ptr<ClientVerifier> verifier_;
};

const std::string kEs = R"({"alg":"ES384","typ":"JWT","kid":"ec1"})";
const std::string kRs = R"({"alg":"RS384","typ":"JWT","kid":"rsa1"})";

TEST(Base64UrlTest, RoundTripAndRejects) {
  for (std::string s : {"", "f", "fo", "foo", "foob", "\xff\xfe\x00"})
    EXPECT_EQ(Base64UrlDecode(Base64UrlEncode(s)), s);
  EXPECT_FALSE(Base64UrlDecode("ab+c"));
  EXPECT_FALSE(Base64UrlDecode("a"));
}

TEST_F(JwtTest, AcceptsEs384AndRs384) {
  EXPECT_EQ(Rule(Token(kEs, Claims("", 120, "a"))), "ok");
  EXPECT_EQ(Rule(Token(kRs, Claims("", 120, "b"), nullptr, false)), "ok");
  // aud as an array containing the service URL.
  const std::string arr = R"({"iss":"https://ehr.example","aud":["x",")" + std::string(kAud) +
                          R"("],"exp":)" + std::to_string(kNow + 60) + R"(,"jti":"c"})";
  EXPECT_EQ(Rule(Token(kEs, arr)), "ok");
}

TEST_F(JwtTest, RejectsMalformed) {
  EXPECT_EQ(Rule("abc"), "format");
  EXPECT_EQ(Rule("a.b"), "format");
  EXPECT_EQ(Rule("a.b.c.d"), "format");
  EXPECT_EQ(Rule("!!.!!.!!"), "format");
  EXPECT_EQ(Rule(Base64UrlEncode("[1]") + "." + Base64UrlEncode("{}") + ".AA"), "format");
}

TEST_F(JwtTest, RejectsNoneAndHmac) {
  const std::string none = Base64UrlEncode(R"({"alg":"none","typ":"JWT"})") + "." +
                           Base64UrlEncode(Claims()) + ".";
  EXPECT_EQ(Rule(none), "alg");
  for (const char* alg : {"HS256", "HS384", "HS512", "ES256", "RS256", "PS384"}) {
    const std::string h = std::string(R"({"alg":")") + alg + R"(","typ":"JWT","kid":"ec1"})";
    const std::string input = Base64UrlEncode(h) + "." + Base64UrlEncode(Claims());
    unsigned char mac[64];
    unsigned int len = 0;
    HMAC(EVP_sha384(), "secret", 6, reinterpret_cast<const unsigned char*>(input.data()), input.size(), mac, &len);
    EXPECT_EQ(Rule(input + "." + Base64UrlEncode(std::string(reinterpret_cast<char*>(mac), len))), "alg") << alg;
  }
}

TEST_F(JwtTest, RejectsWrongSignatureKidIssuerTyp) {
  EXPECT_EQ(Rule(Token(kEs, Claims(), other_.p)), "signature");
  std::string t = Token(kEs, Claims());
  t.back() = t.back() == 'A' ? 'B' : 'A';
  EXPECT_EQ(Rule(t), "signature");
  EXPECT_EQ(Rule(Token(R"({"alg":"ES384","typ":"JWT","kid":"nope"})", Claims())), "kid");
  // The kid names the RSA key but the header says ES384.
  EXPECT_EQ(Rule(Token(R"({"alg":"ES384","typ":"JWT","kid":"rsa1"})", Claims())), "signature");
  const std::string other_iss = R"({"iss":"https://evil.example","aud":")" + std::string(kAud) +
                                R"(","exp":)" + std::to_string(kNow + 60) + R"(,"jti":"x"})";
  EXPECT_EQ(Rule(Token(kEs, other_iss)), "iss");
  EXPECT_EQ(Rule(Token(R"({"alg":"ES384","typ":"JWS","kid":"ec1"})", Claims())), "typ");
  EXPECT_EQ(Rule(Token(R"({"alg":"ES384","kid":"ec1","crit":["x"]})", Claims())), "crit");
}

TEST_F(JwtTest, RejectsClaims) {
  const std::string wrong_aud = R"({"iss":"https://ehr.example","aud":"http://127.0.0.1:8080/cds-services","exp":)" +
                                std::to_string(kNow + 60) + R"(,"jti":"a1"})";
  EXPECT_EQ(Rule(Token(kEs, wrong_aud)), "aud");
  EXPECT_EQ(Rule(Token(kEs, Claims("", -31, "e1"))), "exp");          // expired beyond skew
  EXPECT_EQ(Rule(Token(kEs, Claims("", 301 + 30, "e2"))), "exp");     // too far ahead
  EXPECT_EQ(Rule(Token(kEs, Claims("", 60, ""))), "jti");             // missing jti
  EXPECT_EQ(Rule(Token(kEs, Claims(R"(,"nbf":)" + std::to_string(kNow + 100), 200, "n1"))), "nbf");
  const std::string no_exp = R"({"iss":"https://ehr.example","aud":")" + std::string(kAud) + R"(","jti":"z"})";
  EXPECT_EQ(Rule(Token(kEs, no_exp)), "exp");
}

TEST_F(JwtTest, RejectsReplayUntilExpiry) {
  const std::string t = Token(kEs, Claims("", 60, "once"));
  EXPECT_EQ(Rule(t), "ok");
  EXPECT_EQ(Rule(t), "replay");
  // The same jti from the RSA key of the same issuer is a replay too.
  EXPECT_EQ(Rule(Token(kRs, Claims("", 60, "once"), nullptr, false)), "replay");
  now_ += 200;  // long after expiry the entry is forgotten, and the token is refused as expired
  EXPECT_EQ(Rule(t), "exp");
}

TEST(JwkSetTest, RejectsBadSets) {
  EXPECT_FALSE(JwkSet::Parse("{}").ok());
  EXPECT_FALSE(JwkSet::Parse(R"({"keys":[{"kty":"oct","k":"c2VjcmV0"}]})").ok());  // no usable key
  EXPECT_FALSE(JwkSet::Parse(R"({"keys":[{"kty":"EC","crv":"P-384","x":"AA","y":"AA"}]})").ok());
  auto small = JwkSet::Parse(R"({"keys":[{"kty":"RSA","n":"AQAB","e":"AQAB"}]})");
  ASSERT_FALSE(small.ok());
  EXPECT_EQ(small.errors()[0].rule, "key_size");
}

TEST(ClientsFileTest, Validates) {
  EXPECT_FALSE(ParseClients("[]", ".").ok());
  EXPECT_FALSE(ParseClients(R"({"format":"x","clients":[]})", ".").ok());
  auto unknown = ParseClients(R"({"format":"calfdvt/cds-clients@1","clients":[],"x":1})", ".");
  ASSERT_FALSE(unknown.ok());
  EXPECT_EQ(unknown.errors()[0].rule, "unknown_field");
  auto both = ParseClients(
      R"({"format":"calfdvt/cds-clients@1","clients":[{"iss":"a","jwks":{"keys":[]},"jwks_file":"f"}]})", ".");
  ASSERT_FALSE(both.ok());
  EXPECT_EQ(both.errors()[0].rule, "jwks");
}

}  // namespace
}  // namespace calfdvt::server::cds
