#include "surveillance/episode.h"

#include <algorithm>

namespace calfdvt::surveillance {

namespace pw = calfdvt::pathway;

EpisodeIndex IndexFromAssessment(const pw::Assessment& a, Date imaging_date) {
  EpisodeIndex i;
  i.classification = a.classification;
  i.strategy = a.strategy;
  i.imaging_date = imaging_date;
  if (a.surveillance) {
    i.scans = a.surveillance->scans;
    i.on_extension = a.surveillance->on_extension;
  }
  return i;
}

EpisodeState InitialState(const EpisodeIndex& index) {
  EpisodeState s;
  s.classification = index.classification;
  s.strategy = index.strategy;
  s.on_extension = index.on_extension;
  s.imaging_date = index.imaging_date;
  for (const auto& plan : index.scans) s.scans.push_back(ScanState{plan});
  switch (index.strategy) {
    case pw::Strategy::kSerialImaging: s.phase = Phase::kSurveillance; break;
    case pw::Strategy::kAnticoagulate:
    case pw::Strategy::kProximalDvtPathway: s.phase = Phase::kTreatment; break;
    case pw::Strategy::kCompleteImagingFirst: s.phase = Phase::kImagingRequired; break;
    case pw::Strategy::kOutOfScope: s.phase = Phase::kOutOfScope; break;
  }
  return s;
}

namespace {

core::Result<Effect> Reject(std::string path, std::string message) {
  return core::Result<Effect>::Invalid(std::move(path), "episode_state", std::move(message));
}

bool Finished(Phase p) { return p == Phase::kCompleted || p == Phase::kClosed; }

void CancelOpenScans(EpisodeState& s, const std::string& reason) {
  for (auto& scan : s.scans) {
    if (!scan.open()) continue;
    scan.cancelled = true;
    scan.cancel_reason = reason;
  }
}

bool AnyOpen(const EpisodeState& s) {
  return std::any_of(s.scans.begin(), s.scans.end(), [](const ScanState& x) { return x.open(); });
}

// Finds the open scan an event refers to, or explains why it cannot.
std::optional<std::string> FindOpenScan(EpisodeState& s, const Event& e, ScanState** out) {
  if (!e.scan_day) return "scan_day is required";
  for (auto& scan : s.scans) {
    if (scan.plan.day != *e.scan_day) continue;
    if (scan.result) return "the day-" + std::to_string(*e.scan_day) + " scan already has a result";
    if (scan.cancelled) return "the day-" + std::to_string(*e.scan_day) + " scan was cancelled";
    *out = &scan;
    return std::nullopt;
  }
  if (s.scans.empty()) return "this episode has no surveillance scans";
  std::string days;
  for (const auto& scan : s.scans) days += (days.empty() ? "" : ", ") + std::to_string(scan.plan.day);
  return "no day-" + std::to_string(*e.scan_day) + " scan in this episode (scan days: " + days + ")";
}

}  // namespace

core::Result<Effect> Apply(EpisodeState& state, const Event& e) {
  if (state.phase == Phase::kClosed)
    return Reject("type", "the episode is closed (" + state.phase_reason + "); no further events");
  EpisodeState s = state;
  Effect effect;
  switch (e.type) {
    case EventType::kScanBooked: {
      ScanState* scan = nullptr;
      if (auto why = FindOpenScan(s, e, &scan)) return Reject("scan_day", *why);
      if (!e.date) return Reject("date", "date is required (the date the scan is booked for)");
      if (*e.date < s.imaging_date)
        return Reject("date", "booked date " + e.date->ToString() + " is before the index imaging " +
                                  s.imaging_date.ToString());
      scan->booked = e.date;
      break;
    }
    case EventType::kScanResult: {
      ScanState* scan = nullptr;
      if (auto why = FindOpenScan(s, e, &scan)) return Reject("scan_day", *why);
      if (!e.date) return Reject("date", "date is required (the date the scan was performed)");
      if (!e.result) return Reject("result", "result is required (resolved | stable | extended_distal | extended_proximal)");
      if (*e.date < s.imaging_date)
        return Reject("date", "scan date " + e.date->ToString() + " is before the index imaging " +
                                  s.imaging_date.ToString());
      scan->result = e.result;
      scan->performed = e.date;
      const int day = scan->plan.day;
      switch (*e.result) {
        case ScanResult::kResolved:
          CancelOpenScans(s, "resolved");
          if (!s.anticoagulated && s.phase == Phase::kSurveillance) {
            s.phase = Phase::kCompleted;
            s.phase_reason = "resolved on the day-" + std::to_string(day) + " scan";
          }
          break;
        case ScanResult::kStable:
          if (!AnyOpen(s) && s.phase == Phase::kSurveillance) {
            s.phase = Phase::kCompleted;
            s.phase_reason = "stable on the day-" + std::to_string(day) +
                             " scan: surveillance complete, no anticoagulation";
          }
          break;
        case ScanResult::kExtendedDistal:
        case ScanResult::kExtendedProximal: {
          const bool proximal = *e.result == ScanResult::kExtendedProximal;
          CancelOpenScans(s, "extension on the day-" + std::to_string(day) + " scan");
          s.strategy = proximal ? pw::Strategy::kProximalDvtPathway : pw::Strategy::kAnticoagulate;
          if (proximal) s.classification = pw::Classification::kProximal;
          if (s.on_extension == pw::OnExtension::kSpecialistReview) {
            s.phase = Phase::kSpecialistReview;
          } else {
            s.phase = Phase::kTreatment;
            if (!s.anticoagulated) s.extension = e.result;
          }
          effect.reassess = e.result;
          break;
        }
      }
      break;
    }
    case EventType::kScanCancelled: {
      ScanState* scan = nullptr;
      if (auto why = FindOpenScan(s, e, &scan)) return Reject("scan_day", *why);
      if (e.reason.empty()) return Reject("reason", "a reason is required to cancel a scan");
      scan->cancelled = true;
      scan->cancel_reason = e.reason;
      if (e.completes_surveillance) {
        if (!AnyOpen(s) && s.phase == Phase::kSurveillance) {
          s.phase = Phase::kCompleted;
          s.phase_reason = "surveillance completed: " + e.reason;
        }
      } else if (!s.anticoagulated) {
        s.cancelled_untreated = true;
      }
      break;
    }
    case EventType::kAnticoagulationStarted:
      if (s.anticoagulated) return Reject("type", "anticoagulation is already recorded as started");
      if (!e.date) return Reject("date", "date is required (the date anticoagulation started)");
      s.anticoagulated = true;
      s.extension.reset();
      s.cancelled_untreated = false;
      CancelOpenScans(s, "anticoagulation started");
      if (!Finished(s.phase)) s.phase = Phase::kTreatment;
      break;
    case EventType::kAnticoagulationStopped:
      if (!s.anticoagulated) return Reject("type", "anticoagulation is not recorded as running");
      if (!e.date) return Reject("date", "date is required (the date anticoagulation stopped)");
      if (e.reason.empty()) return Reject("reason", "a reason is required to stop anticoagulation");
      s.anticoagulated = false;
      s.phase = Phase::kCompleted;
      s.phase_reason = "anticoagulation stopped: " + e.reason;
      break;
    case EventType::kEpisodeClosed:
      if (e.reason.empty()) return Reject("reason", "a reason is required to close an episode");
      s.phase = Phase::kClosed;
      s.phase_reason = e.reason;
      break;
  }
  ++s.version;
  state = std::move(s);
  return effect;
}

EpisodeState Replay(const EpisodeIndex& index, const std::vector<Event>& events) {
  EpisodeState s = InitialState(index);
  for (const Event& e : events) {
    auto r = Apply(s, e);
    (void)r;  // precondition: the log was accepted event by event
  }
  return s;
}

ScanStatus StatusAsOf(const ScanState& scan, Date as_of) {
  if (scan.result) return ScanStatus::kCompleted;
  if (scan.cancelled) return ScanStatus::kCancelled;
  if (as_of < scan.plan.window_start) return ScanStatus::kUpcoming;
  if (as_of <= scan.plan.window_end) return ScanStatus::kDue;
  return ScanStatus::kOverdue;
}

uint32_t StandingAlertFlags(const EpisodeState& s) {
  uint32_t flags = 0;
  auto set = [&](SafetyCode c) { flags |= 1u << static_cast<unsigned>(c); };
  if (Finished(s.phase)) return 0;
  if (s.extension && !s.anticoagulated) set(SafetyCode::kExtensionUntreated);
  if (s.cancelled_untreated && !s.anticoagulated) set(SafetyCode::kScanCancelledUntreated);
  const bool distal = s.classification == pw::Classification::kIsolatedDistal;
  const bool booked = std::any_of(s.scans.begin(), s.scans.end(),
                                  [](const ScanState& x) { return x.open() && x.booked; });
  if (distal && !s.anticoagulated && !booked &&
      (s.phase == Phase::kSurveillance || s.phase == Phase::kTreatment))
    set(SafetyCode::kUntreatedWithoutFollowup);
  return flags;
}

std::vector<SafetyAlert> SafetyChecks(const EpisodeState& s, Date as_of) {
  std::vector<SafetyAlert> out;
  const uint32_t flags = StandingAlertFlags(s);
  for (unsigned i = 0; i < kSafetyCodeNames.size(); ++i)
    if (flags & (1u << i)) out.push_back({static_cast<SafetyCode>(i), std::nullopt});
  if (!Finished(s.phase)) {
    for (const auto& scan : s.scans)
      if (StatusAsOf(scan, as_of) == ScanStatus::kOverdue)
        out.push_back({SafetyCode::kFollowupOverdue, scan.plan.day});
  }
  return out;
}

}  // namespace calfdvt::surveillance
