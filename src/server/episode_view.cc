#include "server/episode_view.h"

#include "core/json_writer.h"
#include "formats/assessment_json.h"

namespace calfdvt::server {

namespace sv = calfdvt::surveillance;
namespace pw = calfdvt::pathway;
using core::JsonWriter;

namespace {

void WriteAlert(JsonWriter& w, const pw::Knowledge& k, std::string_view code, std::optional<int> day) {
  const pw::AlertDef* def = k.FindEpisodeAlert(code);
  w.BeginObject();
  w.Key("code").String(code);
  w.Key("severity").String(def ? pw::kSeverityNames.Name(def->severity) : "critical");
  w.Key("message").String(def ? std::string_view(def->message) : std::string_view(code));
  if (day) w.Key("scan_day").Int(*day);
  if (def) {
    w.Key("rule").String(def->rule);
    formats::WriteSourceFields(w, k, def->sources);
  }
  w.EndObject();
}

void WriteScanWindow(JsonWriter& w, const pw::ScanPlan& p) {
  w.Key("day").Int(p.day);
  w.Key("due").DateValue(p.due);
  w.Key("window").BeginArray().DateValue(p.window_start).DateValue(p.window_end).EndArray();
}

void OptionalDate(JsonWriter& w, std::string_view key, const std::optional<core::Date>& d) {
  w.Key(key);
  if (d) w.DateValue(*d);
  else w.Null();
}

}  // namespace

store::Projection ProjectionOf(const sv::EpisodeState& s) {
  store::Projection p;
  p.phase = std::string(sv::kPhaseNames.Name(s.phase));
  p.strategy = std::string(pw::kStrategyNames.Name(s.strategy));
  p.classification = std::string(pw::kClassificationNames.Name(s.classification));
  p.alert_flags = sv::StandingAlertFlags(s);
  const bool finished = s.phase == sv::Phase::kCompleted || s.phase == sv::Phase::kClosed;
  for (const auto& scan : s.scans) {
    store::ScanRow r;
    r.day = scan.plan.day;
    r.due = scan.plan.due;
    r.window_start = scan.plan.window_start;
    r.window_end = scan.plan.window_end;
    r.booked = scan.booked;
    if (scan.result) {
      r.state = "completed";
      r.result = std::string(sv::kScanResultNames.Name(*scan.result));
    } else if (scan.cancelled || finished) {
      r.state = "cancelled";
    } else {
      r.state = "open";
    }
    p.scans.push_back(std::move(r));
  }
  return p;
}

void AppendEpisodeJson(const store::EpisodeRecord& rec, const sv::EpisodeState& s, core::Date as_of,
                       const pw::Knowledge& k, std::string& out) {
  const store::NewEpisode& e = rec.episode;
  JsonWriter w(out);
  w.BeginObject();
  w.Key("format").String("calfdvt/episode@1");
  w.Key("id").String(e.id);
  w.Key("patient_id").String(e.patient_id);
  w.Key("version").Int(rec.version);
  w.Key("created_at").String(rec.created_at);
  w.Key("created_by").String(rec.created_by);
  w.Key("as_of").DateValue(as_of);
  w.Key("phase").String(sv::kPhaseNames.Name(s.phase));
  w.Key("phase_reason");
  if (s.phase_reason.empty()) w.Null();
  else w.String(s.phase_reason);
  w.Key("classification").String(pw::kClassificationNames.Name(s.classification));
  w.Key("strategy").String(pw::kStrategyNames.Name(s.strategy));
  w.Key("anticoagulated").Bool(s.anticoagulated);
  w.Key("imaging_date").DateValue(e.imaging_date);
  w.Key("scans").BeginArray();
  for (const auto& scan : s.scans) {
    w.BeginObject();
    WriteScanWindow(w, scan.plan);
    w.Key("status").String(sv::kScanStatusNames.Name(sv::StatusAsOf(scan, as_of)));
    OptionalDate(w, "booked", scan.booked);
    w.Key("result");
    if (scan.result) w.String(sv::kScanResultNames.Name(*scan.result));
    else w.Null();
    OptionalDate(w, "performed", scan.performed);
    w.Key("cancel_reason");
    if (scan.cancelled) w.String(scan.cancel_reason);
    else w.Null();
    w.EndObject();
  }
  w.EndArray();
  w.Key("alerts").BeginArray();
  for (const auto& a : sv::SafetyChecks(s, as_of)) WriteAlert(w, k, sv::kSafetyCodeNames.Name(a.code), a.scan_day);
  w.EndArray();
  // The current recommendation: the latest stamped assessment.
  std::string_view current = e.assessment_json;
  for (const auto& ev : rec.events)
    if (!ev.assessment_json.empty()) current = ev.assessment_json;
  w.Key("assessment").Raw(current);
  w.Key("assessments").BeginArray();
  w.BeginObject().Key("seq").Int(0).Key("at").String(rec.created_at).Key("assessment").Raw(e.assessment_json).EndObject();
  for (const auto& ev : rec.events) {
    if (ev.assessment_json.empty()) continue;
    w.BeginObject().Key("seq").Int(ev.seq).Key("at").String(ev.at).Key("assessment").Raw(ev.assessment_json).EndObject();
  }
  w.EndArray();
  w.Key("events").BeginArray();
  for (const auto& ev : rec.events) {
    w.BeginObject();
    w.Key("seq").Int(ev.seq);
    w.Key("type").String(ev.type);
    w.Key("actor").String(ev.actor);
    w.Key("at").String(ev.at);
    w.Key("event").Raw(ev.body_json);
    w.Key("reassessed").Bool(!ev.assessment_json.empty());
    w.EndObject();
  }
  w.EndArray();
  w.Key("case").Raw(e.case_json);
  w.Key("knowledge").BeginObject();
  w.Key("id").String(e.knowledge_id);
  w.Key("profile").String(e.profile);
  w.Key("version").String(e.knowledge_version);
  w.Key("sha256").String(e.knowledge_sha256);
  w.EndObject();
  w.EndObject();
}

std::string WorklistJson(const store::WorklistPage& page, const store::WorklistQuery& q,
                         const pw::Knowledge& k) {
  std::string out;
  JsonWriter w(out);
  w.BeginObject();
  w.Key("as_of").DateValue(q.as_of);
  w.Key("items").BeginArray();
  for (const auto& item : page.items) {
    w.BeginObject();
    w.Key("rank").Int(item.rank);
    w.Key("kind").String(item.alert_code ? "alert" : "scan");
    w.Key("episode_id").String(item.episode_id);
    w.Key("patient_id").String(item.patient_id);
    w.Key("phase").String(item.phase);
    w.Key("imaging_date").DateValue(item.imaging_date);
    if (item.alert_code) {
      const auto code = static_cast<sv::SafetyCode>(*item.alert_code);
      w.Key("severity").String("critical");
      w.Key("alert");
      WriteAlert(w, k, sv::kSafetyCodeNames.Name(code), std::nullopt);
    }
    if (item.scan) {
      sv::ScanState st;
      st.plan = pw::ScanPlan{item.scan->day, item.scan->due, item.scan->window_start, item.scan->window_end};
      const auto status = sv::StatusAsOf(st, q.as_of);
      w.Key("severity").String(status == sv::ScanStatus::kOverdue ? "critical"
                               : status == sv::ScanStatus::kDue ? "warning" : "info");
      w.Key("scan").BeginObject();
      WriteScanWindow(w, st.plan);
      w.Key("status").String(sv::kScanStatusNames.Name(status));
      OptionalDate(w, "booked", item.scan->booked);
      w.EndObject();
      if (status == sv::ScanStatus::kOverdue) {
        w.Key("alert");
        WriteAlert(w, k, "followup_overdue", item.scan->day);
      }
    }
    w.EndObject();
  }
  w.EndArray();
  w.Key("next_cursor");
  if (page.next_cursor.empty()) w.Null();
  else w.String(page.next_cursor);
  w.EndObject();
  return out;
}

std::string AuditJson(std::string_view id_key, std::string_view id,
                      const std::vector<store::AuditEntry>& entries) {
  std::string out;
  JsonWriter w(out);
  w.BeginObject();
  w.Key(id_key).String(id);
  w.Key("entries").BeginArray();
  for (const auto& a : entries) {
    w.BeginObject();
    w.Key("id").Int(a.id);
    w.Key("actor").String(a.actor);
    w.Key("at").String(a.at);
    w.Key("action").String(a.action);
    w.Key("change").Raw(a.change_json.empty() ? "null" : a.change_json);
    w.EndObject();
  }
  w.EndArray();
  w.EndObject();
  return out;
}

}  // namespace calfdvt::server
