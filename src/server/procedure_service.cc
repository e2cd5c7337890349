#include "server/procedure_service.h"

#include <cstdio>

#include "core/json_writer.h"
#include "core/short_number.h"
#include "formats/procedure_json.h"
#include "formats/registry_json.h"
#include "server/episode_view.h"
#include "thrombectomy/checks.h"
#include "thrombectomy/outcomes.h"

namespace calfdvt::server {

namespace th = thrombectomy;

namespace {

constexpr int kUpdateRetries = 5;

template <class T, class U>
core::Result<T> Forward(const core::Result<U>& from) {
  return core::Result<T>(from.kind(), from.errors());
}

core::Result<th::Procedure> ParseStored(const store::ProcedureRecord& r) {
  auto p = formats::ParseProcedure(r.procedure.record_json);
  if (!p.ok()) {
    return core::Result<th::Procedure>(
        core::ErrorKind::kInternal,
        {core::Error{"", "stored_record", "a stored procedure record does not parse"}});
  }
  return p;
}

std::string YesNo(const std::optional<bool>& v) {
  if (!v) return "unknown";
  return *v ? "yes" : "no";
}

void AppendEscaped(std::string& out, std::string_view s) {
  for (char c : s) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        out += c;
    }
  }
}

std::string Esc(std::string_view s) {
  std::string out;
  AppendEscaped(out, s);
  return out;
}

// (label, value) rows of the outcomes, shared by the HTML and text reports.
std::vector<std::pair<std::string, std::string>> OutcomeRows(const th::Outcomes& o) {
  std::vector<std::pair<std::string, std::string>> rows;
  rows.emplace_back("Squeezes", std::to_string(o.squeeze_count));
  rows.emplace_back("Migration observed", YesNo(o.migration));
  rows.emplace_back("Thrombus removal",
                    o.removal_percent ? core::ShortNumber(*o.removal_percent) + "%" : "unknown");
  rows.emplace_back(
      "Removal grade",
      o.removal_grade ? std::string(th::kRemovalGradeNames.Name(*o.removal_grade)) : "unknown");
  rows.emplace_back("Successful recanalization", YesNo(o.recanalization));
  rows.emplace_back("Complication", YesNo(o.complication));
  rows.emplace_back("Major complication", YesNo(o.major_complication));
  return rows;
}

}  // namespace

std::string ProcedureHtml(const th::Procedure& p, const th::ThrombectomyKnowledge& k,
                          std::string_view id, int64_t version) {
  const th::Outcomes o = th::ComputeOutcomes(p, k);
  const std::vector<th::CheckResult> checks = th::ProtocolChecks(p, k);
  std::string h;
  h += "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n";
  h += "<title>Calf-squeeze procedure report " + Esc(id) + "</title>\n";
  h += "<style>body{font-family:sans-serif;margin:2em}table{border-collapse:collapse}"
       "td,th{border:1px solid #999;padding:4px 8px;text-align:left;vertical-align:top}"
       ".fired.critical{background:#fdd}.fired.warning{background:#ffd}"
       "@media print{body{margin:0}}</style>\n</head>\n<body>\n";
  h += "<h1>Calf-squeeze aspiration thrombectomy</h1>\n<table class=\"procedure\">\n";
  auto row = [&](std::string_view label, std::string_view value) {
    h += "<tr><th>" + Esc(label) + "</th><td>" + Esc(value) + "</td></tr>\n";
  };
  row("Procedure id", id);
  row("Version", std::to_string(version));
  row("Patient", p.patient_id);
  row("Date", p.date.ToString());
  row("Side", core::kSideNames.Name(p.side));
  row("Operator", p.operator_name.value_or("not recorded"));
  row("Access vein", core::kVeinNames.Name(p.access_vein));
  row("IVC filter",
      p.ivc_filter ? std::string(th::kIvcFilterNames.Name(*p.ivc_filter)) : "not recorded");
  h += "</table>\n<h2>Squeezes</h2>\n<ol class=\"squeezes\">\n";
  for (const th::Squeeze& s : p.squeezes) {
    std::string veins;
    for (core::Vein v : s.target_veins) {
      if (!veins.empty()) veins += ", ";
      veins += core::kVeinNames.Name(v);
    }
    h += "<li>" + Esc(veins) + "; migration observed: " + Esc(YesNo(s.migration_observed)) +
         "; thrombus aspirated: " + Esc(YesNo(s.thrombus_aspirated)) + "</li>\n";
  }
  h += "</ol>\n<h2>Outcomes</h2>\n<table class=\"outcomes\">\n";
  for (const auto& [label, value] : OutcomeRows(o)) row(label, value);
  h += "</table>\n<h2>Protocol checks</h2>\n<table class=\"checks\">\n";
  h += "<tr><th>Check</th><th>Severity</th><th>Status</th><th>Message</th><th>Detail</th></tr>\n";
  for (const th::CheckResult& c : checks) {
    const std::string status(th::kCheckStatusNames.Name(c.status));
    const std::string severity(th::kSeverityNames.Name(c.severity));
    h += "<tr class=\"" + Esc(status) + " " + Esc(severity) + "\"><td>" +
         Esc(th::kCheckIdNames.Name(c.id)) + "<br>" + Esc(c.title) + "</td><td>" + Esc(severity) +
         "</td><td>" + Esc(status) + "</td><td>" +
         (c.status == th::CheckStatus::kNotFired ? std::string() : Esc(c.message)) + "</td><td>" +
         Esc(c.detail) + "</td></tr>\n";
  }
  h += "</table>\n<p class=\"knowledge\">Knowledge: " + Esc(k.id) + " " + Esc(k.version) +
       " (sha256 " + Esc(k.sha256) + ")</p>\n</body>\n</html>\n";
  return h;
}

std::string ProcedureText(const th::Procedure& p, const th::ThrombectomyKnowledge& k) {
  const th::Outcomes o = th::ComputeOutcomes(p, k);
  std::string t = "Procedure " + p.date.ToString() + " patient " + p.patient_id + "\n";
  t += "Outcomes\n";
  for (const auto& [label, value] : OutcomeRows(o)) t += "  " + label + ": " + value + "\n";
  t += "Protocol checks\n";
  for (const th::CheckResult& c : th::ProtocolChecks(p, k)) {
    t += "  [" + std::string(th::kCheckStatusNames.Name(c.status)) + "] " +
         std::string(th::kSeverityNames.Name(c.severity)) + " " +
         std::string(th::kCheckIdNames.Name(c.id)) + ": " +
         (c.status == th::CheckStatus::kNotFired ? c.title : c.message) + "\n";
  }
  t += "Knowledge: " + k.id + " " + k.version + "\n";
  return t;
}

std::string RenderRegistry(const th::RegistryReport& r, RegistryFormat format) {
  switch (format) {
    case RegistryFormat::kCsv:
      return formats::RegistryCsv(r);
    case RegistryFormat::kText:
      return formats::RegistryText(r);
    case RegistryFormat::kJson:
      break;
  }
  return formats::RegistryJson(r);
}

core::Result<std::string> ProcedureService::Document(const store::ProcedureRecord& r) {
  auto p = ParseStored(r);
  if (!p.ok()) return Forward<std::string>(p);
  std::string out;
  core::JsonWriter w(out);
  w.BeginObject();
  w.Key("id").String(r.procedure.id);
  w.Key("version").Int(r.version);
  w.Key("created_at").String(r.created_at);
  w.Key("created_by").String(r.created_by);
  w.Key("report").Raw(formats::ProcedureJson(*p, *ctx_.knowledge));
  w.EndObject();
  return out;
}

core::Result<CreatedProcedure> ProcedureService::Create(std::string_view record_json,
                                                        const std::string& actor) {
  auto p = formats::ParseProcedure(record_json);
  if (!p.ok()) return Forward<CreatedProcedure>(p);
  if (p->date > ctx_.clock->Today()) {
    return core::Result<CreatedProcedure>::Invalid(
        "date", "future",
        "the procedure date is after today (" + ctx_.clock->Today().ToString() + ")");
  }
  store::ProcedureRecord rec;
  rec.procedure.id = ctx_.random->Uuid();
  rec.procedure.patient_id = p->patient_id;
  rec.procedure.date = p->date;
  rec.procedure.operator_name = p->operator_name.value_or("");
  rec.procedure.record_json = formats::ProcedureRecordJson(*p);
  rec.created_at = ctx_.clock->NowRfc3339();
  rec.created_by = actor;
  auto st = ctx_.store->CreateProcedure(rec.procedure, store::Actor{actor, rec.created_at});
  if (!st.ok()) return Forward<CreatedProcedure>(st);
  auto doc = Document(rec);
  if (!doc.ok()) return Forward<CreatedProcedure>(doc);
  return CreatedProcedure{rec.procedure.id, std::move(doc).value(), std::move(p).value()};
}

core::Result<std::string> ProcedureService::Get(std::string_view id) {
  auto r = ctx_.store->GetProcedure(id);
  if (!r.ok()) return Forward<std::string>(r);
  return Document(*r);
}

core::Result<std::string> ProcedureService::GetHtml(std::string_view id) {
  auto r = ctx_.store->GetProcedure(id);
  if (!r.ok()) return Forward<std::string>(r);
  auto p = ParseStored(*r);
  if (!p.ok()) return Forward<std::string>(p);
  return ProcedureHtml(*p, *ctx_.knowledge, r->procedure.id, r->version);
}

core::Result<std::string> ProcedureService::List(const store::ProcedureQuery& q) {
  auto rows = ctx_.store->ListProcedures(q);
  if (!rows.ok()) return Forward<std::string>(rows);
  std::string out;
  core::JsonWriter w(out);
  w.BeginObject();
  w.Key("procedures").BeginArray();
  for (const store::ProcedureRecord& r : *rows) {
    auto doc = Document(r);
    if (!doc.ok()) return doc;
    w.Raw(*doc);
  }
  w.EndArray();
  w.EndObject();
  return out;
}

core::Result<std::string> ProcedureService::UpdateOnce(std::string_view id,
                                                       store::ProcedureChange change,
                                                       const Mutation& mutate,
                                                       std::optional<int64_t> expected_version,
                                                       const std::string& actor, bool* conflict) {
  *conflict = false;
  auto r = ctx_.store->GetProcedure(id);
  if (!r.ok()) return Forward<std::string>(r);
  auto p = ParseStored(*r);
  if (!p.ok()) return Forward<std::string>(p);
  const int64_t version = expected_version.value_or(r->version);
  const std::string change_json = mutate(p.value());
  store::ProcedureRecord next = *r;
  next.procedure.record_json = formats::ProcedureRecordJson(*p);
  next.version = version + 1;
  auto st = ctx_.store->ReplaceProcedure(id, version, change, change_json,
                                         next.procedure.record_json,
                                         store::Actor{actor, ctx_.clock->NowRfc3339()});
  if (!st.ok()) {
    *conflict = st.kind() == core::ErrorKind::kConflict;
    return Forward<std::string>(st);
  }
  return Document(next);
}

core::Result<std::string> ProcedureService::Update(std::string_view id,
                                                   store::ProcedureChange change,
                                                   const Mutation& mutate,
                                                   std::optional<int64_t> expected_version,
                                                   const std::string& actor) {
  for (int attempt = 0;; ++attempt) {
    bool conflict = false;
    auto r = UpdateOnce(id, change, mutate, expected_version, actor, &conflict);
    if (r.ok() || !conflict || expected_version || attempt + 1 >= kUpdateRetries) return r;
  }
}

core::Result<std::string> ProcedureService::AppendSqueeze(std::string_view id,
                                                          std::string_view squeeze_json,
                                                          std::optional<int64_t> expected_version,
                                                          const std::string& actor) {
  auto s = formats::ParseSqueeze(squeeze_json);
  if (!s.ok()) return Forward<std::string>(s);
  std::string change;
  {
    core::JsonWriter w(change);
    formats::WriteSqueeze(w, *s);
  }
  return Update(
      id, store::ProcedureChange::kSqueeze,
      [&](th::Procedure& p) {
        p.squeezes.push_back(*s);
        return change;
      },
      expected_version, actor);
}

core::Result<std::string> ProcedureService::RecordOutcome(std::string_view id,
                                                          std::string_view outcome_json,
                                                          int64_t expected_version,
                                                          const std::string& actor) {
  auto o = formats::ParseOutcome(outcome_json);
  if (!o.ok()) return Forward<std::string>(o);
  return Update(
      id, store::ProcedureChange::kOutcome,
      [&](th::Procedure& p) {
        // Audit change: the outcome now in force and the one it replaced (ids, booleans,
        // numbers and enum values only; never patient data).
        std::string change;
        core::JsonWriter w(change);
        w.BeginObject();
        w.Key("recorded");
        formats::WriteOutcome(w, *o);
        w.Key("replaced");
        formats::WriteOutcome(w, formats::OutcomeOf(p));
        w.EndObject();
        p.result = o->result;
        p.complications = o->complications;
        return change;
      },
      expected_version, actor);
}

core::Result<std::string> ProcedureService::Audit(std::string_view id) {
  auto r = ctx_.store->GetProcedure(id);
  if (!r.ok()) return Forward<std::string>(r);
  auto entries = ctx_.store->ProcedureAudit(id);
  if (!entries.ok()) return Forward<std::string>(entries);
  return AuditJson("procedure_id", r->procedure.id, *entries);
}

core::Result<std::string> ProcedureService::Registry(const th::RegistryFilter& filter,
                                                     RegistryFormat format) {
  if (auto v = th::ValidateFilter(filter); !v.ok()) return Forward<std::string>(v);
  store::ProcedureQuery q;
  q.from = filter.from;
  q.to = filter.to;
  q.operator_name = filter.operator_name.value_or("");
  // The store's maximum. The registry must count every matching procedure, so a full page is
  // refused rather than reported as if it were the whole selection.
  q.limit = 100000;
  auto rows = ctx_.store->ListProcedures(q);
  if (!rows.ok()) return Forward<std::string>(rows);
  if (rows->size() >= static_cast<size_t>(q.limit)) {
    return core::Result<std::string>::Invalid(
        "from", "too_many",
        "more than " + std::to_string(q.limit - 1) +
            " procedures match: narrow the date range (from, to)");
  }
  std::vector<th::Procedure> records;
  records.reserve(rows->size());
  for (const store::ProcedureRecord& r : *rows) {
    auto p = ParseStored(r);
    if (!p.ok()) return Forward<std::string>(p);
    records.push_back(std::move(p).value());
  }
  auto report = th::Registry(records, filter, *ctx_.knowledge);
  if (!report.ok()) return Forward<std::string>(report);
  return RenderRegistry(*report, format);
}

}  // namespace calfdvt::server
