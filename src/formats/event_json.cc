#include "formats/event_json.h"

#include <simdjson.h>

#include <cmath>

#include "core/json_writer.h"
#include "formats/json_read.h"
#include "pathway/case.h"

namespace calfdvt::formats {

namespace sv = calfdvt::surveillance;
using internal::Obj;

namespace {

// Which optional fields each event type takes (beyond type, format, note, expected_version).
struct Shape {
  bool scan_day, date, result, findings, reason, completes, agent;
};

Shape ShapeOf(sv::EventType t) {
  switch (t) {
    case sv::EventType::kScanBooked: return {true, true, false, false, false, false, false};
    case sv::EventType::kScanResult: return {true, true, true, true, false, false, false};
    case sv::EventType::kScanCancelled: return {true, false, false, false, true, true, false};
    case sv::EventType::kAnticoagulationStarted: return {false, true, false, false, false, false, true};
    case sv::EventType::kAnticoagulationStopped: return {false, true, false, false, true, false, false};
    case sv::EventType::kEpisodeClosed: return {false, false, false, false, true, false, false};
  }
  return {};
}

}  // namespace

core::Result<ParsedEvent> ParseEvent(std::string_view json) {
  simdjson::dom::parser parser;
  simdjson::dom::element root;
  if (auto err = parser.parse(json.data(), json.size(), true).get(root))
    return core::Result<ParsedEvent>(core::ErrorKind::kInvalidInput, {internal::ParseError(err)});
  core::Errors errors;
  Obj o(root, "",
        {"format", "type", "scan_day", "date", "result", "findings", "reason",
         "completes_surveillance", "agent", "note", "expected_version"},
        errors);
  ParsedEvent out;
  sv::Event& e = out.event;
  if (o.valid()) {
    if (auto f = o.String("format"); f && *f != kEventFormat)
      o.Fail("format", "format", "must be \"calfdvt/event@1\" (got \"" + std::string(*f) + "\")");
    std::optional<sv::EventType> type;
    if (o.Require("type")) type = o.Enum("type", sv::kEventTypeNames);
    if (type) {
      e.type = *type;
      const Shape shape = ShapeOf(*type);
      const std::string tname(sv::kEventTypeNames.Name(*type));
      auto field = [&](std::string_view key, bool allowed, bool required) {
        const bool present = o.Find(key).has_value();
        if (present && !allowed)
          o.Fail(std::string(key), "unknown_field",
                 "is not a field of a " + tname + " event");
        if (!present && required) o.Fail(std::string(key), "required", "is required for " + tname);
        return present && allowed;
      };
      const bool cancel_or_stop_or_close = shape.reason;
      if (field("scan_day", shape.scan_day, shape.scan_day)) {
        if (auto d = o.Number("scan_day")) {
          if (*d != std::floor(*d) || *d < 1 || *d > 365)
            o.Fail("scan_day", "range", "must be a whole number of days between 1 and 365");
          else
            e.scan_day = static_cast<int>(*d);
        }
      }
      if (field("date", shape.date, shape.date)) e.date = o.Date("date");
      if (field("result", shape.result, shape.result)) e.result = o.Enum("result", sv::kScanResultNames);
      if (field("findings", shape.findings, false)) {
        if (auto arr = internal::ReadArray(*o.Find("findings"), "findings", errors)) {
          e.findings.emplace();
          size_t i = 0;
          for (internal::element item : *arr) {
            if (auto t = internal::ReadThrombus(item, internal::IndexPath("findings", i), errors))
              e.findings->push_back(*t);
            ++i;
          }
        }
      }
      if (field("reason", shape.reason, cancel_or_stop_or_close)) {
        if (auto r = o.String("reason")) {
          e.reason = std::string(*r);
          if (e.reason.find_first_not_of(" \t\r\n") == std::string::npos)
            o.Fail("reason", "required", "must not be blank");
        }
      }
      if (field("completes_surveillance", shape.completes, false))
        e.completes_surveillance = o.Bool("completes_surveillance").value_or(false);
      if (field("agent", shape.agent, false)) e.agent = o.Enum("agent", pathway::kAgentNames);
    }
    if (auto n = o.String("note")) e.note = std::string(*n);
    if (auto v = o.Find("expected_version")) {
      if (auto d = internal::ReadNumber(*v, "expected_version", errors)) {
        if (*d != std::floor(*d) || *d < 0 || *d > 1e15)
          o.Fail("expected_version", "range", "must be a whole number >= 0");
        else
          out.expected_version = static_cast<int64_t>(*d);
      }
    }
  }
  if (!errors.empty()) return core::Result<ParsedEvent>(core::ErrorKind::kInvalidInput, std::move(errors));
  return out;
}

namespace {

void WriteThrombus(core::JsonWriter& w, const pathway::Thrombus& t) {
  w.BeginObject();
  w.Key("vein").String(core::kVeinNames.Name(t.vein));
  if (t.side) w.Key("side").String(core::kSideNames.Name(*t.side));
  if (t.length_cm) w.Key("length_cm").Number(*t.length_cm);
  if (t.max_diameter_mm) w.Key("max_diameter_mm").Number(*t.max_diameter_mm);
  if (t.distance_to_popliteal_cm) w.Key("distance_to_popliteal_cm").Number(*t.distance_to_popliteal_cm);
  if (t.acute) w.Key("acute").Bool(*t.acute);
  w.EndObject();
}

}  // namespace

std::string EventJson(const sv::Event& e) {
  std::string out;
  core::JsonWriter w(out);
  w.BeginObject();
  w.Key("format").String(kEventFormat);
  w.Key("type").String(sv::kEventTypeNames.Name(e.type));
  if (e.scan_day) w.Key("scan_day").Int(*e.scan_day);
  if (e.date) w.Key("date").DateValue(*e.date);
  if (e.result) w.Key("result").String(sv::kScanResultNames.Name(*e.result));
  if (e.findings) {
    w.Key("findings").BeginArray();
    for (const auto& t : *e.findings) WriteThrombus(w, t);
    w.EndArray();
  }
  if (!e.reason.empty()) w.Key("reason").String(e.reason);
  if (e.type == sv::EventType::kScanCancelled)
    w.Key("completes_surveillance").Bool(e.completes_surveillance);
  if (e.agent) w.Key("agent").String(pathway::kAgentNames.Name(*e.agent));
  if (!e.note.empty()) w.Key("note").String(e.note);
  w.EndObject();
  return out;
}

}  // namespace calfdvt::formats
