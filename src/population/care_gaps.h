// Population care gaps (issue 6 §4): what a scan of a Bulk Data export reports per patient. Pure:
// computed from the facts the FHIR mapping extracted (fhir::CareFacts) and, when the case was
// usable, the engine's assessment; `as_of` is passed in. Documented in docs/scan.md.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "core/date.h"
#include "core/enum_names.h"
#include "fhir/record.h"

namespace calfdvt::population {

// Persisted spellings (report JSON and CSV): never rename, only add.
enum class GapCode : uint8_t {
  kUntreatedDistalWithoutFollowup = 0,  // isolated distal DVT, no anticoagulant, no duplex ordered
  kFollowupOverdue = 1,                 // distal DVT; an ordered follow-up duplex is past due
  kCalfVeinsNotAssessed = 2,            // only limited (proximal compression) scans; no proximal DVT
  kProximalDvtUntreated = 3,            // proximal DVT without an active anticoagulant
};
inline constexpr core::EnumNames<GapCode, 4> kGapCodeNames{
    {"untreated_distal_without_followup", "followup_overdue", "calf_veins_not_assessed",
     "proximal_dvt_untreated"}};
inline constexpr size_t kGapCodeCount = kGapCodeNames.size();

struct GapRules {
  // A follow-up is overdue when its due date plus this many days lies before as_of (the
  // surveillance window's after-days from the knowledge file; clinical-spec R8: 2).
  int overdue_grace_days = 2;
};

// The gaps of one patient, in GapCode order. Preconditions: none (facts may be all false).
// Rules (docs/scan.md):
//  untreated_distal_without_followup: distal && !proximal && !anticoagulant && no follow-up order
//  followup_overdue: distal && some follow-up not completed with due + grace < as_of
//  calf_veins_not_assessed: limited_scan_only && !calf_veins_assessed && !proximal
//  proximal_dvt_untreated: proximal && !anticoagulant
std::vector<GapCode> CareGaps(const fhir::CareFacts& facts, core::Date as_of, const GapRules& rules);

}  // namespace calfdvt::population
