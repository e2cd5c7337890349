#include "population/report.h"

#include "core/json_writer.h"
#include "pathway/vocabulary.h"

namespace calfdvt::population {

PatientRow BuildRow(const fhir::MappedCase& m, const pathway::Assessment* a, std::vector<GapCode> gaps) {
  PatientRow row;
  row.patient_id = m.patient_id;
  row.gaps = std::move(gaps);
  row.distal_dvt = m.care.distal_dvt;
  row.proximal_dvt = m.care.proximal_dvt;
  row.anticoagulant_active = m.care.anticoagulant_active;
  row.followups = static_cast<int>(m.care.followups.size());
  row.unmapped = static_cast<int64_t>(m.unmapped.size());
  if (a) {
    row.assessed = true;
    row.strategy = std::string(pathway::kStrategyNames.Name(a->strategy));
    row.classification = std::string(pathway::kClassificationNames.Name(a->classification));
    for (auto r : a->rules_fired) row.rules.emplace_back(r);
    row.decisive_unknowns = a->decisive_unknowns;
  }
  return row;
}

void TallyRows(ScanReport& r) {
  r.counts.gap_patients = 0;
  for (auto& g : r.counts.gaps) g = 0;
  r.counts.with_distal_dvt = r.counts.with_proximal_dvt = r.counts.assessed = 0;
  for (const auto& row : r.patients) {
    if (!row.gaps.empty()) ++r.counts.gap_patients;
    for (GapCode g : row.gaps) ++r.counts.gaps[static_cast<size_t>(g)];
    r.counts.with_distal_dvt += row.distal_dvt;
    r.counts.with_proximal_dvt += row.proximal_dvt;
    r.counts.assessed += row.assessed;
  }
}

namespace {

void StringArray(core::JsonWriter& w, const std::vector<std::string>& v) {
  w.BeginArray();
  for (const auto& s : v) w.String(s);
  w.EndArray();
}

}  // namespace

std::string ScanReportJson(const ScanReport& r) {
  std::string out;
  out.reserve(512 + r.patients.size() * 200);
  core::JsonWriter w(out);
  w.BeginObject().Key("format").String(kScanReportFormat);
  w.Key("as_of").DateValue(r.as_of);
  w.Key("knowledge").BeginObject().Key("id").String(r.knowledge.id);
  w.Key("profile").String(r.knowledge.profile).Key("version").String(r.knowledge.version);
  w.Key("sha256").String(r.knowledge.sha256).EndObject();
  w.Key("code_map").BeginObject().Key("version");
  if (r.code_map_version.empty()) w.Null(); else w.String(r.code_map_version);
  w.EndObject();
  w.Key("input").BeginObject().Key("manifest").Bool(r.manifest).Key("files").BeginArray();
  for (const auto& f : r.files) {
    w.BeginObject().Key("name").String(f.name).Key("type").String(f.type);
    w.Key("bytes").Int(static_cast<int64_t>(f.bytes)).Key("lines").Int(f.lines).EndObject();
  }
  w.EndArray().EndObject();
  const ScanCounts& c = r.counts;
  w.Key("counts").BeginObject();
  w.Key("lines").Int(c.lines).Key("resources").Int(c.resources);
  w.Key("errors").Int(r.errors_total);
  w.Key("patients_scanned").Int(c.patients_scanned).Key("candidates").Int(c.candidates);
  w.Key("with_distal_dvt").Int(c.with_distal_dvt).Key("with_proximal_dvt").Int(c.with_proximal_dvt);
  w.Key("assessed").Int(c.assessed).Key("patients_with_gaps").Int(c.gap_patients);
  w.Key("gaps").BeginObject();
  for (size_t g = 0; g < kGapCodeCount; ++g) w.Key(kGapCodeNames.names[g]).Int(c.gaps[g]);
  w.EndObject().EndObject();
  w.Key("patients").BeginArray();
  for (const auto& p : r.patients) {
    w.BeginObject().Key("patient").String(p.patient_id);
    w.Key("gaps").BeginArray();
    for (GapCode g : p.gaps) w.String(kGapCodeNames.Name(g));
    w.EndArray();
    w.Key("distal_dvt").Bool(p.distal_dvt).Key("proximal_dvt").Bool(p.proximal_dvt);
    w.Key("anticoagulant_active").Bool(p.anticoagulant_active).Key("followups").Int(p.followups);
    w.Key("assessed").Bool(p.assessed);
    w.Key("classification");
    if (p.assessed) w.String(p.classification); else w.Null();
    w.Key("strategy");
    if (p.assessed) w.String(p.strategy); else w.Null();
    w.Key("rules");
    StringArray(w, p.rules);
    w.Key("decisive_unknowns");
    StringArray(w, p.decisive_unknowns);
    w.Key("unmapped").Int(p.unmapped);
    w.EndObject();
  }
  w.EndArray();
  w.Key("errors").BeginArray();
  for (const auto& e : r.errors)
    w.BeginObject().Key("file").String(e.file).Key("line").Int(e.line).Key("message").String(e.message).EndObject();
  w.EndArray();
  w.EndObject();
  out.push_back('\n');
  return out;
}

namespace {

void CsvField(std::string& out, std::string_view s) {
  if (s.find_first_of(",\"\r\n") == std::string_view::npos) {
    out += s;
    return;
  }
  out.push_back('"');
  for (char ch : s) {
    if (ch == '"') out.push_back('"');
    out.push_back(ch);
  }
  out.push_back('"');
}

std::string Joined(const std::vector<std::string>& v) {
  std::string s;
  for (const auto& x : v) s += (s.empty() ? "" : ";") + x;
  return s;
}

}  // namespace

std::string ScanCsv(const ScanReport& r) {
  std::string out =
      "patient,gaps,distal_dvt,proximal_dvt,anticoagulant_active,followups,assessed,classification,"
      "strategy,rules,decisive_unknowns,unmapped\r\n";
  for (const auto& p : r.patients) {
    std::vector<std::string> gaps;
    for (GapCode g : p.gaps) gaps.emplace_back(kGapCodeNames.Name(g));
    CsvField(out, p.patient_id);
    out += ',';
    CsvField(out, Joined(gaps));
    out += p.distal_dvt ? ",true" : ",false";
    out += p.proximal_dvt ? ",true" : ",false";
    out += p.anticoagulant_active ? ",true," : ",false,";
    out += std::to_string(p.followups);
    out += p.assessed ? ",true," : ",false,";
    CsvField(out, p.classification);
    out += ',';
    CsvField(out, p.strategy);
    out += ',';
    CsvField(out, Joined(p.rules));
    out += ',';
    CsvField(out, Joined(p.decisive_unknowns));
    out += ',' + std::to_string(p.unmapped) + "\r\n";
  }
  return out;
}

}  // namespace calfdvt::population
