#include "pathway/decide.h"

#include <charconv>

namespace calfdvt::pathway::internal {

void AppendInputPath(std::string& out, const InputRef& ref) {
  auto thrombus = [&](std::string_view field) {
    char digits[12];
    const auto end = std::to_chars(digits, digits + sizeof digits, ref.index).ptr;
    out.append("imaging.thrombi[").append(digits, end).append("].").append(field);
  };
  switch (ref.input) {
    case Input::kThrombi: out.append("imaging.thrombi"); return;
    case Input::kThrombusLength: thrombus("length_cm"); return;
    case Input::kThrombusDiameter: thrombus("max_diameter_mm"); return;
    case Input::kThrombusDistance: thrombus("distance_to_popliteal_cm"); return;
    case Input::kThrombusSide: thrombus("side"); return;
    case Input::kThrombusAcute: thrombus("acute"); return;
    case Input::kDDimer: out.append("labs.d_dimer"); return;
    case Input::kProvocation: out.append("history.provocation"); return;
    case Input::kActiveCancer: out.append("history.active_cancer"); return;
    case Input::kPriorVte: out.append("history.prior_vte"); return;
    case Input::kInpatient: out.append("history.inpatient"); return;
    case Input::kRecentHospitalization: out.append("history.recent_hospitalization"); return;
    case Input::kRecentSurgery: out.append("history.recent_surgery"); return;
    case Input::kSevereSymptoms: out.append("history.severe_symptoms"); return;
    case Input::kCovid19: out.append("history.covid19"); return;
    case Input::kEsrd: out.append("history.end_stage_renal_disease"); return;
    case Input::kStroke: out.append("history.stroke"); return;
    case Input::kBleedingRisk: out.append("bleeding.risk"); return;
    case Input::kPreference: out.append("preferences.anticoagulation"); return;
    case Input::kContraindicated: out.append("bleeding.anticoagulation_contraindicated"); return;
    case Input::kSex: out.append("patient.sex"); return;
    case Input::kPregnancy: out.append("patient.pregnancy"); return;
    case Input::kExpectedDelivery: out.append("patient.expected_delivery_date"); return;
    case Input::kDeliveryDate: out.append("patient.delivery_date"); return;
    case Input::kBreastfeeding: out.append("patient.breastfeeding"); return;
    case Input::kCrcl: out.append("patient.crcl_ml_min"); return;
    case Input::kSevereLiver: out.append("patient.severe_liver_disease"); return;
    case Input::kAps: out.append("patient.antiphospholipid_syndrome"); return;
  }
  out.append("?");
}

}  // namespace calfdvt::pathway::internal
