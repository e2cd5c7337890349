// A calf-squeeze aspiration thrombectomy record (clinical-spec §7, format calfdvt/procedure@1).
// The struct mirrors the JSON document field for field: std::optional is "unknown" (absent or null
// in the document), never "false" or "none". Records are plain values; the parser
// (formats/procedure_json.h) guarantees the invariants stated on each field, and the functions of
// this module assume them.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/date.h"
#include "core/enum_names.h"
#include "core/vein.h"

namespace calfdvt::thrombectomy {

// Embolic protection in place during the procedure. Persisted spelling: never rename, only add.
enum class IvcFilter : uint8_t { kNone = 0, kTemporary = 1, kPermanent = 2 };
inline constexpr core::EnumNames<IvcFilter, 3> kIvcFilterNames{{"none", "temporary", "permanent"}};

enum class ComplicationType : uint8_t {
  kPulmonaryEmbolism = 0,
  kBleeding = 1,
  kAccessSiteHematoma = 2,
  kVesselInjury = 3,
  kContrastReaction = 4,
  kAcuteKidneyInjury = 5,
  kDeath = 6,
  kOther = 7,
};
inline constexpr core::EnumNames<ComplicationType, 8> kComplicationTypeNames{{
    "pulmonary_embolism", "bleeding", "access_site_hematoma", "vessel_injury", "contrast_reaction",
    "acute_kidney_injury", "death", "other"}};

// SIR classification collapsed to two levels: major = needing therapy, a higher level of care,
// prolonged stay, permanent sequelae or death; minor = anything else.
enum class ComplicationSeverity : uint8_t { kMinor = 0, kMajor = 1 };
inline constexpr core::EnumNames<ComplicationSeverity, 2> kComplicationSeverityNames{
    {"minor", "major"}};

struct Indication {
  // Veins with thrombus at the indication; no vein twice. nullopt: not recorded.
  std::optional<std::vector<core::Vein>> thrombosed_veins;
  std::optional<bool> iliac_obstruction;
  std::optional<double> symptom_days;  // >= 0
  friend bool operator==(const Indication&, const Indication&) = default;
};

struct Thrombolysis {
  std::optional<std::string> agent;  // free text, non-empty ("urokinase")
  std::optional<double> hours;       // >= 0
  friend bool operator==(const Thrombolysis&, const Thrombolysis&) = default;
};

// One calf squeeze during aspiration.
struct Squeeze {
  std::vector<core::Vein> target_veins;  // at least one; no vein twice
  // Operator-observed movement of calf/popliteal thrombus toward the catheter during the squeeze.
  std::optional<bool> migration_observed;
  std::optional<bool> thrombus_aspirated;
  friend bool operator==(const Squeeze&, const Squeeze&) = default;
};

struct ProcedureResult {
  std::optional<bool> antegrade_flow;
  std::optional<double> residual_thrombus_percent;  // 0..100
  std::optional<bool> stent;
  friend bool operator==(const ProcedureResult&, const ProcedureResult&) = default;
};

struct Complication {
  ComplicationType type = ComplicationType::kOther;
  std::optional<ComplicationSeverity> severity;  // kDeath is always kMajor when known
  friend bool operator==(const Complication&, const Complication&) = default;
};

struct Procedure {
  std::optional<std::string> id;  // optional local identifier, non-empty
  std::string patient_id;         // required, non-empty
  core::Date date;                // required
  core::Side side = core::Side::kLeft;  // required; kLeft or kRight (one leg)
  std::optional<std::string> operator_name;  // JSON "operator"; non-empty
  std::optional<Indication> indication;
  core::Vein access_vein = core::Vein::kPopliteal;  // required
  std::optional<Thrombolysis> thrombolysis;
  std::optional<IvcFilter> ivc_filter;  // nullopt: not recorded
  std::optional<double> aspiration_catheter_fr;  // 4..30 French
  std::vector<Squeeze> squeezes;  // required; may be empty (none performed yet)
  std::optional<ProcedureResult> result;
  // nullopt: not recorded (unknown); empty: recorded as none.
  std::optional<std::vector<Complication>> complications;
  friend bool operator==(const Procedure&, const Procedure&) = default;
};

}  // namespace calfdvt::thrombectomy
