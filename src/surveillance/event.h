// Surveillance episode events (clinical-spec §6), format calfdvt/event@1. An episode's state is
// derived from its ordered event log; events are never edited or deleted.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/date.h"
#include "core/enum_names.h"
#include "pathway/case.h"
#include "pathway/vocabulary.h"

namespace calfdvt::surveillance {

using core::Date;

enum class EventType : uint8_t {
  kScanBooked = 0,
  kScanResult = 1,
  kScanCancelled = 2,
  kAnticoagulationStarted = 3,
  kAnticoagulationStopped = 4,
  kEpisodeClosed = 5,
};
inline constexpr core::EnumNames<EventType, 6> kEventTypeNames{
    {"scan_booked", "scan_result", "scan_cancelled", "anticoagulation_started",
     "anticoagulation_stopped", "episode_closed"}};

enum class ScanResult : uint8_t {
  kResolved = 0,
  kStable = 1,  // no extension; smaller counts as stable
  kExtendedDistal = 2,
  kExtendedProximal = 3,
};
inline constexpr core::EnumNames<ScanResult, 4> kScanResultNames{
    {"resolved", "stable", "extended_distal", "extended_proximal"}};

struct Event {
  EventType type = EventType::kScanBooked;
  std::optional<int> scan_day;      // scan_booked, scan_result, scan_cancelled
  std::optional<Date> date;         // booked date, scan date, anticoagulation start/stop date
  std::optional<ScanResult> result;  // scan_result
  // scan_result: the thrombi seen at follow-up, when itemised (same shape as imaging.thrombi).
  std::optional<std::vector<pathway::Thrombus>> findings;
  std::string reason;               // scan_cancelled, anticoagulation_stopped, episode_closed
  bool completes_surveillance = false;  // scan_cancelled: the reason ends surveillance
  std::optional<pathway::Agent> agent;  // anticoagulation_started
  std::string note;                 // free text for the record
};

// An event as stored: its position in the log, who recorded it and when.
struct EventRecord {
  int64_t seq = 0;  // 1, 2, ... within the episode
  Event event;
  std::string actor;
  std::string at;  // RFC 3339 UTC timestamp from the server clock
};

}  // namespace calfdvt::surveillance
