// Test helpers for the fhir tests: source-tree files, the shipped knowledge, and small FHIR
// resources as JSON text.
#pragma once

#include <fstream>
#include <initializer_list>
#include <iterator>
#include <string>

#include <gtest/gtest.h>

#include "core/date.h"
#include "fhir/code_map.h"
#include "fhir/record.h"
#include "formats/knowledge_json.h"

namespace calfdvt::fhir::testing {

inline std::string ReadSource(const std::string& rel) {
  std::ifstream in(std::string(CALFDVT_SOURCE_DIR) + "/" + rel, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

inline const pathway::Knowledge& ShippedKnowledge() {
  static const pathway::Knowledge k = formats::LoadEmbeddedKnowledge().value();
  return k;
}

inline constexpr const char* kCd = "https://calfdvt.org/fhir/CodeSystem/calfdvt";
inline constexpr const char* kIcd = "http://hl7.org/fhir/sid/icd-10-cm";
inline constexpr const char* kSct = "http://snomed.info/sct";
inline constexpr const char* kLoinc = "http://loinc.org";

inline std::string Coding(const std::string& system, const std::string& code) {
  return R"({"coding":[{"system":")" + system + R"(","code":")" + code + R"("}]})";
}

// Several resources in one argument of Bundle().
inline constexpr const char* kNext = "\n@@\n";

inline std::string Bundle(std::initializer_list<std::string> resources) {
  std::string out = R"({"resourceType":"Bundle","type":"collection","entry":[)";
  bool first = true;
  for (const auto& group : resources) {
    size_t start = 0;
    while (start <= group.size()) {
      size_t end = group.find(kNext, start);
      if (end == std::string::npos) end = group.size();
      if (!first) out += ",";
      first = false;
      out += R"({"resource":)" + group.substr(start, end - start) + "}";
      start = end + std::string(kNext).size();
    }
  }
  return out + "]}";
}

inline std::string Patient(const std::string& birth = "1962-05-10",
                           const std::string& gender = "female") {
  return R"({"resourceType":"Patient","id":"p1","gender":")" + gender + R"(","birthDate":")" +
         birth + R"("})";
}

inline std::string Condition(const std::string& id, const std::string& system,
                             const std::string& code, const std::string& status = "active",
                             const std::string& onset = "2026-11-01") {
  std::string r =
      R"({"resourceType":"Condition","id":")" + id + R"(","subject":{"reference":"Patient/p1"},)";
  if (!status.empty())
    r +=
        R"("clinicalStatus":{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/condition-clinical","code":")" +
        status + R"("}]},)";
  if (!onset.empty()) r += R"("onsetDateTime":")" + onset + R"(",)";
  return r + R"("code":)" + Coding(system, code) + "}";
}

// A thrombus finding (calfdvt profile) with optional extra components (JSON objects).
inline std::string Finding(const std::string& id, const std::string& vein_system,
                           const std::string& vein, const std::string& components = "",
                           const std::string& date = "2026-11-20") {
  return R"({"resourceType":"Observation","id":")" + id +
         R"(","status":"final","subject":{"reference":"Patient/p1"},"effectiveDateTime":")" + date +
         R"(","code":)" + Coding(kCd, "thrombus-finding") + R"(,"bodySite":)" +
         Coding(vein_system, vein) + R"(,"valueCodeableConcept":)" +
         Coding(kCd, "thrombus-present") + R"(,"component":[)" + components + "]}";
}

inline std::string Quantity(const std::string& code, double value, const std::string& unit) {
  return R"({"code":)" + Coding(kCd, code) + R"(,"valueQuantity":{"value":)" +
         std::to_string(value) + R"(,"unit":")" + unit +
         R"(","system":"http://unitsofmeasure.org","code":")" + unit + R"("}})";
}

inline std::string Report(const std::string& id, const std::string& protocol,
                          const std::string& results, const std::string& date = "2026-11-20",
                          const std::string& loinc = "48692-8", const std::string& extra = "") {
  std::string codes = R"({"system":"http://loinc.org","code":")" + loinc + R"("})";
  if (!protocol.empty())
    codes += R"(,{"system":")" + std::string(kCd) + R"(","code":")" + protocol + R"("})";
  return R"({"resourceType":"DiagnosticReport","id":")" + id +
         R"(","status":"final","subject":{"reference":"Patient/p1"},"effectiveDateTime":")" + date +
         R"(","code":{"coding":[)" + codes + R"(]},"result":[)" + results + "]" + extra + "}";
}

inline std::string Ref(const std::string& id) {
  return R"({"reference":"Observation/)" + id + R"("})";
}

// One gastrocnemius (medial, left) acute finding in a left whole-leg duplex.
inline std::string StandardStudy() {
  return Finding("f1", kCd, "vein-gastrocnemius-medial",
                 Quantity("thrombus-length", 3, "cm") + "," + R"({"code":)" +
                     Coding(kCd, "thrombus-acuity") + R"(,"valueCodeableConcept":)" +
                     Coding(kCd, "acute") + "}") +
         kNext + Report("r1", "whole-leg-duplex", Ref("f1"));
}

inline std::string DDimer(const std::string& id, const std::string& loinc, double value,
                          const std::string& ucum, const std::string& extra = "",
                          const std::string& date = "2026-11-20") {
  return R"({"resourceType":"Observation","id":")" + id +
         R"(","status":"final","subject":{"reference":"Patient/p1"},"effectiveDateTime":")" + date +
         R"(","code":)" + Coding(kLoinc, loinc) + R"(,"valueQuantity":{"value":)" +
         std::to_string(value) + R"(,"system":"http://unitsofmeasure.org","code":")" + ucum +
         R"("})" + extra + "}";
}

inline std::string Attest(const std::string& id, const std::string& code,
                          const std::string& value_json) {
  return R"({"resourceType":"Observation","id":")" + id +
         R"(","status":"final","subject":{"reference":"Patient/p1"},"effectiveDateTime":"2026-11-21","code":)" +
         Coding(kCd, code) + "," + value_json + "}";
}

// The assessment date of the mapping tests.
inline const core::Date kAsOf = *core::Date::Parse("2026-11-21");

// MapBundle over a Bundle of `resources` with the shipped code map; a failure fails the test.
inline MappedCase Map(std::initializer_list<std::string> resources) {
  auto r = MapBundle(Bundle(resources), DefaultCodeMap(), kAsOf);
  EXPECT_TRUE(r.ok()) << (r.ok() ? "" : core::FormatError(r.errors().front()));
  return r.ok() ? r.value() : MappedCase{};
}

// Whether some unmapped entry names `field` and its reason contains `words`.
inline bool Reported(const MappedCase& m, const std::string& field, const std::string& words) {
  for (const auto& u : m.unmapped)
    if (u.field == field && u.reason.find(words) != std::string::npos) return true;
  return false;
}

}  // namespace calfdvt::fhir::testing
