// The surveillance episode state machine (clinical-spec §6): an index assessment plus the events
// that follow. State is a pure function of the index and the event log; scan statuses and safety
// checks are pure functions of the state and a date. No clock, no I/O.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/status.h"
#include "pathway/assessment.h"
#include "surveillance/event.h"

namespace calfdvt::surveillance {

enum class Phase : uint8_t {
  kSurveillance = 0,      // serial imaging, no anticoagulation
  kTreatment = 1,         // anticoagulation recommended or running
  kSpecialistReview = 2,  // extension with anticoagulation contraindicated
  kCompleted = 3,         // surveillance or treatment finished
  kClosed = 4,            // closed by a clinician with a reason
  kImagingRequired = 5,   // index study not classifiable: complete the imaging first
  kOutOfScope = 6,        // no distal DVT (superficial only, no thrombus)
};
inline constexpr core::EnumNames<Phase, 7> kPhaseNames{
    {"surveillance", "treatment", "specialist_review", "completed", "closed", "imaging_required",
     "out_of_scope"}};

enum class ScanStatus : uint8_t { kUpcoming = 0, kDue, kOverdue, kCompleted, kCancelled };
inline constexpr core::EnumNames<ScanStatus, 5> kScanStatusNames{
    {"upcoming", "due", "overdue", "completed", "cancelled"}};

// What the episode remembers of its index assessment.
struct EpisodeIndex {
  pathway::Classification classification = pathway::Classification::kIsolatedDistal;
  pathway::Strategy strategy = pathway::Strategy::kSerialImaging;
  pathway::OnExtension on_extension = pathway::OnExtension::kAnticoagulate;
  Date imaging_date;
  std::vector<pathway::ScanPlan> scans;  // planned with the episode when strategy is serial_imaging
};

EpisodeIndex IndexFromAssessment(const pathway::Assessment& a, Date imaging_date);

struct ScanState {
  pathway::ScanPlan plan;
  std::optional<Date> booked;  // the date the scan is booked for
  std::optional<ScanResult> result;
  std::optional<Date> performed;
  bool cancelled = false;
  std::string cancel_reason;
  bool open() const { return !result && !cancelled; }
};

struct EpisodeState {
  Phase phase = Phase::kSurveillance;
  pathway::Classification classification = pathway::Classification::kIsolatedDistal;
  pathway::Strategy strategy = pathway::Strategy::kSerialImaging;  // the current recommendation
  pathway::OnExtension on_extension = pathway::OnExtension::kAnticoagulate;
  Date imaging_date;
  std::vector<ScanState> scans;
  bool anticoagulated = false;
  std::optional<ScanResult> extension;  // an extension awaiting treatment (cleared when started)
  bool cancelled_untreated = false;     // a scan cancelled without treatment or completion reason
  std::string phase_reason;             // why the episode completed or closed
  int64_t version = 0;                  // number of events applied
};

// The state right after the index assessment (version 0).
EpisodeState InitialState(const EpisodeIndex& index);

// What an applied event asks of the caller.
struct Effect {
  // A scan showed extension: the caller stamps a new assessment (pathway::AssessExtension).
  std::optional<ScanResult> reassess;
};

// Applies one event to the state (which is left unchanged on failure). Errors are
// ErrorKind::kInvalidInput naming the event field and the §6 rule broken (e.g. a result for a
// cancelled scan, an event on a closed episode).
core::Result<Effect> Apply(EpisodeState& state, const Event& event);

// Replays a stored log. Precondition: every event was accepted by Apply in this order.
EpisodeState Replay(const EpisodeIndex& index, const std::vector<Event>& events);

ScanStatus StatusAsOf(const ScanState& scan, Date as_of);

// §6 safety checks, all critical, computed for every episode.
enum class SafetyCode : uint8_t {
  kUntreatedWithoutFollowup = 0,  // untreated isolated distal DVT with no scan booked
  kFollowupOverdue = 1,           // a scan window ended with no result
  kScanCancelledUntreated = 2,    // a scan cancelled without anticoagulation or completion reason
  kExtensionUntreated = 3,        // extension detected, anticoagulation not yet recorded
};
inline constexpr core::EnumNames<SafetyCode, 4> kSafetyCodeNames{
    {"untreated_without_followup", "followup_overdue", "scan_cancelled_untreated",
     "extension_untreated"}};

struct SafetyAlert {
  SafetyCode code;
  std::optional<int> scan_day;
};

std::vector<SafetyAlert> SafetyChecks(const EpisodeState& state, Date as_of);

// The checks that do not depend on the date (stored as flags so worklists can be indexed);
// bit i is SafetyCode i. followup_overdue is never among them.
uint32_t StandingAlertFlags(const EpisodeState& state);

}  // namespace calfdvt::surveillance
