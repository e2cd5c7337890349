// Per-procedure outcomes (clinical-spec §7): squeeze count, migration, thrombus removal grade,
// successful recanalization and complications. Definitions and cut-offs come from the knowledge
// file; an outcome whose inputs are unknown is unknown (nullopt), never false. Pure.
#pragma once

#include <cstdint>
#include <optional>

#include "core/enum_names.h"
#include "thrombectomy/knowledge.h"
#include "thrombectomy/procedure.h"

namespace calfdvt::thrombectomy {

// Thrombus removal grade (SIR reporting standard, to confirm): I < 50%, II 50-99%, III 100%.
enum class RemovalGrade : uint8_t { kI = 0, kII = 1, kIII = 2 };
inline constexpr core::EnumNames<RemovalGrade, 3> kRemovalGradeNames{{"I", "II", "III"}};

struct Outcomes {
  int squeeze_count = 0;  // length of squeezes
  // Any squeeze with migration_observed; false with no squeeze or all squeezes false; nullopt when
  // no squeeze shows it and at least one is unknown.
  std::optional<bool> migration;
  std::optional<double> removal_percent;  // 100 - residual_thrombus_percent
  std::optional<RemovalGrade> removal_grade;
  // Antegrade flow restored AND grade II or III. false as soon as either part is known to fail.
  std::optional<bool> recanalization;
  // Any entry in complications; nullopt when complications are not recorded.
  std::optional<bool> complication;
  // Any major complication; false when none is major and every severity is known (or there are
  // none); nullopt when complications are not recorded or an unclassified one could be major.
  std::optional<bool> major_complication;
  int complications = 0;        // entries
  int major_complications = 0;  // entries with severity major
  int minor_complications = 0;  // entries with severity minor
  int unclassified_complications = 0;  // entries without a severity
};

// Grade of a removal percentage (0..100) under the knowledge's cut-offs.
RemovalGrade GradeOf(double removal_percent, const ThrombectomyKnowledge& k);

Outcomes ComputeOutcomes(const Procedure& p, const ThrombectomyKnowledge& k);

}  // namespace calfdvt::thrombectomy
