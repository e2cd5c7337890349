// The lower-limb vein vocabulary of clinical-spec §2. Identifiers are lower case and identical in
// every format. What each vein *means* clinically (proximal or distal, axial or muscular, close to
// the proximal veins) is knowledge and lives in the knowledge file, not here.
#pragma once

#include <cstdint>

#include "core/enum_names.h"

namespace calfdvt::core {

enum class Vein : uint8_t {
  kAnteriorTibial = 0,
  kPosteriorTibial = 1,
  kPeroneal = 2,
  kTibioperonealTrunk = 3,
  kGastrocnemiusMedial = 4,
  kGastrocnemiusLateral = 5,
  kSoleal = 6,
  kPopliteal = 7,
  kFemoral = 8,
  kDeepFemoral = 9,
  kCommonFemoral = 10,
  kExternalIliac = 11,
  kCommonIliac = 12,
  kInferiorVenaCava = 13,
  kGreatSaphenous = 14,
  kSmallSaphenous = 15,
};

inline constexpr EnumNames<Vein, 16> kVeinNames{{
    "anterior_tibial", "posterior_tibial", "peroneal", "tibioperoneal_trunk",
    "gastrocnemius_medial", "gastrocnemius_lateral", "soleal", "popliteal", "femoral",
    "deep_femoral", "common_femoral", "external_iliac", "common_iliac", "inferior_vena_cava",
    "great_saphenous", "small_saphenous"}};

inline constexpr size_t kVeinCount = kVeinNames.size();

enum class Side : uint8_t { kLeft = 0, kRight = 1, kBilateral = 2 };
inline constexpr EnumNames<Side, 3> kSideNames{{"left", "right", "bilateral"}};

}  // namespace calfdvt::core
