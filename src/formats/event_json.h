// Reading and writing surveillance events, format calfdvt/event@1 (clinical-spec §6). Strict like
// cases: unknown fields, fields that do not belong to the event type, wrong types and missing
// required fields are errors naming the JSON path. Whether an event fits the episode's current
// state is decided by surveillance::Apply, not here.
//
//   {"type": "scan_booked",  "scan_day": 7, "date": "2026-11-27"}
//   {"type": "scan_result",  "scan_day": 7, "date": "2026-11-27", "result": "stable",
//    "findings": [ thrombus, ... ]}                       // findings optional
//   {"type": "scan_cancelled", "scan_day": 14, "reason": "...", "completes_surveillance": false}
//   {"type": "anticoagulation_started", "date": "2026-11-27", "agent": "doac"}  // agent optional
//   {"type": "anticoagulation_stopped", "date": "2027-02-27", "reason": "course completed"}
//   {"type": "episode_closed", "reason": "..."}
// Every event may carry "note" (free text), "format": "calfdvt/event@1" and "expected_version"
// (the episode version the client last saw; a stale one is a conflict).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/status.h"
#include "surveillance/event.h"

namespace calfdvt::formats {

inline constexpr std::string_view kEventFormat = "calfdvt/event@1";

struct ParsedEvent {
  surveillance::Event event;
  std::optional<int64_t> expected_version;
};

core::Result<ParsedEvent> ParseEvent(std::string_view json);

// Canonical JSON of an event (without expected_version): what the store keeps as the event body.
std::string EventJson(const surveillance::Event& e);

}  // namespace calfdvt::formats
