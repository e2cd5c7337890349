// Protocol checks of a calf-squeeze procedure record (clinical-spec §7). Every check of the
// knowledge file is evaluated for every record and returned, fired or not, with its severity,
// texts, sources and a detail naming the input values that decided it. Pure.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/enum_names.h"
#include "thrombectomy/knowledge.h"
#include "thrombectomy/procedure.h"

namespace calfdvt::thrombectomy {

// fired: the check's message applies; not_fired: it does not; unknown: the inputs it needs are
// not recorded, so it could apply (shown so that the gap is visible, never counted as not_fired).
enum class CheckStatus : uint8_t { kFired = 0, kNotFired = 1, kUnknown = 2 };
inline constexpr core::EnumNames<CheckStatus, 3> kCheckStatusNames{
    {"fired", "not_fired", "unknown"}};

struct CheckResult {
  CheckId id = CheckId::kOutsideEligibility;
  Severity severity = Severity::kInfo;  // from the knowledge file
  CheckStatus status = CheckStatus::kUnknown;
  std::string title;    // knowledge: what is checked
  std::string message;  // knowledge: what to tell the clinician when fired
  std::string basis;    // knowledge: why
  std::vector<std::string> sources;  // knowledge source ids
  std::string detail;   // computed: the inputs that decided the status, with JSON paths
};

// One result per CheckId, in CheckId order.
std::vector<CheckResult> ProtocolChecks(const Procedure& p, const ThrombectomyKnowledge& k);

// Whether thrombus in `vein` lies below an access through `access` (see
// ThrombectomyKnowledge::vein_levels); nullopt when either vein has no level.
std::optional<bool> BelowAccess(core::Vein vein, core::Vein access, const ThrombectomyKnowledge& k);

}  // namespace calfdvt::thrombectomy
