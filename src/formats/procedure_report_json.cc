// Writers of calfdvt/procedure@1 records and calfdvt/procedure-report@1 documents.
#include <algorithm>

#include "formats/procedure_json.h"
#include "thrombectomy/checks.h"
#include "thrombectomy/outcomes.h"

namespace calfdvt::formats {

namespace th = calfdvt::thrombectomy;
using core::JsonWriter;

namespace {

void VeinArray(JsonWriter& w, const std::vector<core::Vein>& veins) {
  w.BeginArray();
  for (core::Vein v : veins) w.String(core::kVeinNames.Name(v));
  w.EndArray();
}

void OptionalBool(JsonWriter& w, std::string_view key, const std::optional<bool>& v) {
  if (v) w.Key(key).Bool(*v);
}
void OptionalNumber(JsonWriter& w, std::string_view key, const std::optional<double>& v) {
  if (v) w.Key(key).Number(*v);
}
void OptionalString(JsonWriter& w, std::string_view key, const std::optional<std::string>& v) {
  if (v) w.Key(key).String(*v);
}
void BoolOrNull(JsonWriter& w, std::string_view key, const std::optional<bool>& v) {
  w.Key(key);
  if (v) w.Bool(*v);
  else w.Null();
}

void WriteStringList(JsonWriter& w, const std::vector<std::string>& items) {
  w.BeginArray();
  for (const auto& s : items) w.String(s);
  w.EndArray();
}

void WriteOutcomes(JsonWriter& w, const th::Outcomes& o) {
  w.BeginObject();
  w.Key("squeeze_count").Int(o.squeeze_count);
  BoolOrNull(w, "migration", o.migration);
  w.Key("removal_percent");
  if (o.removal_percent) w.Number(*o.removal_percent);
  else w.Null();
  w.Key("removal_grade");
  if (o.removal_grade) w.String(th::kRemovalGradeNames.Name(*o.removal_grade));
  else w.Null();
  BoolOrNull(w, "recanalization", o.recanalization);
  BoolOrNull(w, "complication", o.complication);
  BoolOrNull(w, "major_complication", o.major_complication);
  w.Key("complications").BeginObject();
  w.Key("total").Int(o.complications);
  w.Key("major").Int(o.major_complications);
  w.Key("minor").Int(o.minor_complications);
  w.Key("unclassified").Int(o.unclassified_complications);
  w.EndObject();
  w.EndObject();
}

void WriteCheck(JsonWriter& w, const th::CheckResult& c) {
  w.BeginObject();
  w.Key("id").String(th::kCheckIdNames.Name(c.id));
  w.Key("severity").String(th::kSeverityNames.Name(c.severity));
  w.Key("status").String(th::kCheckStatusNames.Name(c.status));
  w.Key("title").String(c.title);
  w.Key("message").String(c.message);
  w.Key("basis").String(c.basis);
  w.Key("sources");
  WriteStringList(w, c.sources);
  w.Key("detail").String(c.detail);
  w.EndObject();
}

// Each source cited by the checks or outcome definitions, once, in knowledge order.
void WriteCitedSources(JsonWriter& w, const th::ThrombectomyKnowledge& k,
                       const std::vector<th::CheckResult>& checks) {
  std::vector<std::string_view> cited;
  for (const auto& c : checks) cited.insert(cited.end(), c.sources.begin(), c.sources.end());
  for (const auto& o : k.outcomes) cited.insert(cited.end(), o.sources.begin(), o.sources.end());
  w.BeginArray();
  for (const th::SourceDef& s : k.sources) {
    if (std::find(cited.begin(), cited.end(), s.id) == cited.end()) continue;
    w.BeginObject();
    w.Key("id").String(s.id);
    w.Key("tag").String(s.tag);
    w.Key("label").String(s.label);
    w.Key("citation").String(s.citation);
    w.Key("url").String(s.url);
    w.Key("to_confirm");
    if (s.to_confirm.empty()) w.Null();
    else w.String(s.to_confirm);
    w.EndObject();
  }
  w.EndArray();
}

void WriteResult(JsonWriter& w, const th::ProcedureResult& r) {
  w.BeginObject();
  OptionalBool(w, "antegrade_flow", r.antegrade_flow);
  OptionalNumber(w, "residual_thrombus_percent", r.residual_thrombus_percent);
  OptionalBool(w, "stent", r.stent);
  w.EndObject();
}

void WriteComplications(JsonWriter& w, const std::vector<th::Complication>& list) {
  w.BeginArray();
  for (const th::Complication& c : list) {
    w.BeginObject();
    w.Key("type").String(th::kComplicationTypeNames.Name(c.type));
    if (c.severity) w.Key("severity").String(th::kComplicationSeverityNames.Name(*c.severity));
    w.EndObject();
  }
  w.EndArray();
}

}  // namespace

void WriteSqueeze(JsonWriter& w, const th::Squeeze& s) {
  w.BeginObject();
  w.Key("target_veins");
  VeinArray(w, s.target_veins);
  OptionalBool(w, "migration_observed", s.migration_observed);
  OptionalBool(w, "thrombus_aspirated", s.thrombus_aspirated);
  w.EndObject();
}

void WriteProcedureRecord(JsonWriter& w, const th::Procedure& p) {
  w.BeginObject();
  w.Key("format").String(kProcedureFormat);
  OptionalString(w, "id", p.id);
  w.Key("patient_id").String(p.patient_id);
  w.Key("date").DateValue(p.date);
  w.Key("side").String(core::kSideNames.Name(p.side));
  OptionalString(w, "operator", p.operator_name);
  if (p.indication) {
    w.Key("indication").BeginObject();
    if (p.indication->thrombosed_veins) {
      w.Key("thrombosed_veins");
      VeinArray(w, *p.indication->thrombosed_veins);
    }
    OptionalBool(w, "iliac_obstruction", p.indication->iliac_obstruction);
    OptionalNumber(w, "symptom_days", p.indication->symptom_days);
    w.EndObject();
  }
  w.Key("access_vein").String(core::kVeinNames.Name(p.access_vein));
  if (p.thrombolysis) {
    w.Key("thrombolysis").BeginObject();
    OptionalString(w, "agent", p.thrombolysis->agent);
    OptionalNumber(w, "hours", p.thrombolysis->hours);
    w.EndObject();
  }
  if (p.ivc_filter) w.Key("ivc_filter").String(th::kIvcFilterNames.Name(*p.ivc_filter));
  OptionalNumber(w, "aspiration_catheter_fr", p.aspiration_catheter_fr);
  w.Key("squeezes").BeginArray();
  for (const th::Squeeze& s : p.squeezes) WriteSqueeze(w, s);
  w.EndArray();
  if (p.result) {
    w.Key("result");
    WriteResult(w, *p.result);
  }
  if (p.complications) {
    w.Key("complications");
    WriteComplications(w, *p.complications);
  }
  w.EndObject();
}

ProcedureOutcome OutcomeOf(const th::Procedure& p) {
  return ProcedureOutcome{p.result, p.complications};
}

void WriteOutcome(JsonWriter& w, const ProcedureOutcome& o) {
  w.BeginObject();
  w.Key("result");
  if (o.result) {
    WriteResult(w, *o.result);
  } else {
    w.Null();
  }
  w.Key("complications");
  if (o.complications) {
    WriteComplications(w, *o.complications);
  } else {
    w.Null();
  }
  w.EndObject();
}

std::string OutcomeJson(const ProcedureOutcome& o) {
  std::string out;
  JsonWriter w(out);
  WriteOutcome(w, o);
  return out;
}

std::string ProcedureRecordJson(const th::Procedure& p) {
  std::string out;
  JsonWriter w(out);
  WriteProcedureRecord(w, p);
  return out;
}

std::string ProcedureJson(const th::Procedure& p, const th::ThrombectomyKnowledge& k) {
  const std::vector<th::CheckResult> checks = th::ProtocolChecks(p, k);
  std::string out;
  JsonWriter w(out);
  w.BeginObject();
  w.Key("format").String(kProcedureReportFormat);
  w.Key("procedure");
  WriteProcedureRecord(w, p);
  w.Key("outcomes");
  WriteOutcomes(w, th::ComputeOutcomes(p, k));
  w.Key("checks").BeginArray();
  for (const th::CheckResult& c : checks) WriteCheck(w, c);
  w.EndArray();
  w.Key("sources");
  WriteCitedSources(w, k, checks);
  w.Key("knowledge").BeginObject();
  w.Key("id").String(k.id);
  w.Key("version").String(k.version);
  w.Key("sha256").String(k.sha256);
  w.EndObject();
  w.EndObject();
  return out;
}

}  // namespace calfdvt::formats
