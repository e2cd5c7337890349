// libFuzzer target: bytes -> LoadKnowledge. When a file loads, every profile must be usable: a few
// representative cases (the first is examples/gastrocnemius-low-risk.json) are parsed against it,
// assessed under every profile and serialised, checking the invariants of fuzz/invariants.h. A
// crash here means the loader accepted a file the engine cannot run on.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "formats/case_json.h"
#include "formats/knowledge_json.h"
#include "fuzz/invariants.h"
#include "pathway/engine.h"

namespace {

namespace fm = calfdvt::formats;
namespace pw = calfdvt::pathway;
using calfdvt::fuzz::Check;

// examples/gastrocnemius-low-risk.json (kept in step by hand: the first case must stay the
// example).
constexpr std::string_view kExampleCase = R"({
  "format": "calfdvt/case@1",
  "id": "example-low-risk",
  "as_of": "2026-11-21",
  "patient": {"age": 64, "sex": "female", "pregnancy": "none", "crcl_ml_min": 85,
              "severe_liver_disease": false, "antiphospholipid_syndrome": false},
  "imaging": {
    "date": "2026-11-20",
    "protocol": "whole_leg_duplex",
    "side": "left",
    "thrombi": [
      {"vein": "gastrocnemius_medial", "side": "left", "length_cm": 3.0, "max_diameter_mm": 5.5,
       "distance_to_popliteal_cm": 6.0, "acute": true}
    ]
  },
  "labs": {"d_dimer": {"value": 420, "unit": "ng/mL FEU", "cutoff": 500}},
  "history": {"provocation": "transient", "active_cancer": false, "prior_vte": false,
              "inpatient": false, "recent_hospitalization": false, "recent_surgery": false,
              "severe_symptoms": false, "covid19": false, "end_stage_renal_disease": false,
              "stroke": false},
  "bleeding": {"risk": "low", "anticoagulation_contraindicated": false},
  "preferences": {"anticoagulation": "no_preference"}
})";

// Further cases reaching the regimen, surveillance, alert and unknown paths.
constexpr std::string_view kMoreCases[] = {
    // High risk, cancer, low CrCl: anticoagulate, extended therapy, VKA review.
    R"({"format":"calfdvt/case@1","id":"k-high","as_of":"2026-03-10","patient":{"age":71,"sex":"male","crcl_ml_min":25},"imaging":{"date":"2026-03-09","protocol":"whole_leg_duplex","side":"bilateral","thrombi":[{"vein":"posterior_tibial","side":"left","length_cm":6.5,"max_diameter_mm":8,"distance_to_popliteal_cm":1.5,"acute":true},{"vein":"peroneal","side":"right","acute":true},{"vein":"great_saphenous","side":"left","acute":true}]},"labs":{"d_dimer_result":"positive"},"history":{"provocation":"persistent","active_cancer":true,"stroke":true},"bleeding":{"factors":["age_over_65","cancer","previous_stroke"]},"preferences":{"anticoagulation":"prefer"}})",
    // Pregnant, proximal: LMWH.
    R"({"format":"calfdvt/case@1","as_of":"2026-05-02","patient":{"age":31,"sex":"female","pregnancy":"pregnant","expected_delivery_date":"2026-09-01"},"imaging":{"date":"2026-05-01","protocol":"proximal_compression_2point","thrombi":[{"vein":"popliteal","acute":true},{"vein":"soleal"}]},"bleeding":{"anticoagulation_contraindicated":false}})",
    // Contraindicated, unknown sides and acuity, overdue surveillance.
    R"({"format":"calfdvt/case@1","id":"k-contra","as_of":"2026-02-20","patient":{"sex":"female","pregnancy":"postpartum"},"imaging":{"date":"2026-01-02","protocol":"whole_leg_duplex","thrombi":[{"vein":"soleal","length_cm":2},{"vein":"gastrocnemius_lateral","max_diameter_mm":4,"acute":false},{"vein":"soleal","acute":true}]},"labs":{"d_dimer":{"value":300}},"history":{"inpatient":false,"recent_hospitalization":true},"bleeding":{"risk":"high","anticoagulation_contraindicated":true}})",
    // No thrombi reported on a limited protocol.
    R"({"format":"calfdvt/case@1","as_of":"2026-07-07","imaging":{"date":"2026-07-07","protocol":"proximal_compression_3point"}})",
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static fm::CaseParser parser;
  static simdjson::dom::parser json;
  static std::string out;

  auto k = fm::LoadKnowledge(std::string_view(reinterpret_cast<const char*>(data), size));
  if (!k.ok()) {
    Check(!k.errors().empty());
    return 0;
  }
  Check(calfdvt::fuzz::IsHex64(k->sha256));
  Check(!k->profiles.empty() && k->FindProfile(k->default_profile) != nullptr);

  fm::AssessmentJsonWriter writer(*k);  // renders the file's texts up front: fuzz that too
  auto assess_all = [&](std::string_view case_json) {
    auto c = parser.Parse(case_json, *k);
    if (!c.ok()) return;  // e.g. bleeding.risk disagreeing with this file's bleeding points
    for (const pw::ProfileDef& p : k->profiles)
      calfdvt::fuzz::CheckAssessment(*c, *k, p, pw::Assess(*c, *k, p), writer, out, json);
  };
  assess_all(kExampleCase);
  for (std::string_view c : kMoreCases) assess_all(c);
  return 0;
}
