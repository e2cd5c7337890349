#include <charconv>

#include "pathway/decide.h"

namespace calfdvt::pathway::internal {
namespace {

// The field of a per-thrombus input (its path is imaging.thrombi[i].field), or empty.
std::string_view ThrombusField(Input input) {
  switch (input) {
    case Input::kThrombusLength: return "length_cm";
    case Input::kThrombusDiameter: return "max_diameter_mm";
    case Input::kThrombusDistance: return "distance_to_popliteal_cm";
    case Input::kThrombusSide: return "side";
    case Input::kThrombusAcute: return "acute";
    default: return {};
  }
}

// The path of an input that is not per thrombus.
std::string_view FixedPath(Input input) {
  switch (input) {
    case Input::kThrombi: return "imaging.thrombi";
    case Input::kDDimer: return "labs.d_dimer";
    case Input::kProvocation: return "history.provocation";
    case Input::kActiveCancer: return "history.active_cancer";
    case Input::kPriorVte: return "history.prior_vte";
    case Input::kInpatient: return "history.inpatient";
    case Input::kRecentHospitalization: return "history.recent_hospitalization";
    case Input::kRecentSurgery: return "history.recent_surgery";
    case Input::kSevereSymptoms: return "history.severe_symptoms";
    case Input::kCovid19: return "history.covid19";
    case Input::kEsrd: return "history.end_stage_renal_disease";
    case Input::kStroke: return "history.stroke";
    case Input::kBleedingRisk: return "bleeding.risk";
    case Input::kPreference: return "preferences.anticoagulation";
    case Input::kContraindicated: return "bleeding.anticoagulation_contraindicated";
    case Input::kSex: return "patient.sex";
    case Input::kPregnancy: return "patient.pregnancy";
    case Input::kExpectedDelivery: return "patient.expected_delivery_date";
    case Input::kDeliveryDate: return "patient.delivery_date";
    case Input::kBreastfeeding: return "patient.breastfeeding";
    case Input::kCrcl: return "patient.crcl_ml_min";
    case Input::kSevereLiver: return "patient.severe_liver_disease";
    case Input::kAps: return "patient.antiphospholipid_syndrome";
    default: return "?";
  }
}

}  // namespace

void AppendInputPath(std::string& out, const InputRef& ref) {
  const std::string_view field = ThrombusField(ref.input);
  if (field.empty()) {
    out.append(FixedPath(ref.input));
    return;
  }
  char digits[12];
  const auto end = std::to_chars(digits, digits + sizeof digits, ref.index).ptr;
  out.reserve(out.size() + 18 + static_cast<size_t>(end - digits) + field.size());
  out.append("imaging.thrombi[").append(digits, end).append("].").append(field);
}

}  // namespace calfdvt::pathway::internal
