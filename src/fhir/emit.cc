// Assessment -> FHIR R4 proposals (fhir/emit.h; docs/fhir.md "Proposals").
// ServiceRequest: http://hl7.org/fhir/R4/servicerequest.html; MedicationRequest:
// http://hl7.org/fhir/R4/medicationrequest.html; DetectedIssue:
// http://hl7.org/fhir/R4/detectedissue.html
#include "fhir/emit.h"

#include <cstdio>
#include <charconv>
#include <cstring>
#include <optional>

#include "core/json_writer.h"
#include "fhir/code_map.h"
#include "formats/sha256.h"

namespace calfdvt::fhir {

namespace pw = calfdvt::pathway;
// Bump-pointer writer into the thread's scratch: `out` holds the document after Finish(). Every
// writer here finishes before the next one starts (a nested one would need a scratch of its own).
using JsonWriter = core::JsonBufferWriter;

namespace {

constexpr std::string_view kKnowledgeTagSystem = "https://calfdvt.org/fhir/CodeSystem/knowledge";
constexpr std::string_view kKnowledgeExtension =
    "https://calfdvt.org/fhir/StructureDefinition/knowledge";
constexpr std::string_view kDueExtension = "https://calfdvt.org/fhir/StructureDefinition/due-date";
constexpr std::string_view kLoinc = "http://loinc.org";
constexpr std::string_view kSnomed = "http://snomed.info/sct";

// Appends the first 16 hex digits of SHA-256(seed "|" kind) to `out`.
void AppendIdHash(std::string& out, std::string_view seed, std::string_view kind) {
  char text[512];
  std::string owned;
  std::string_view hashed;
  if (seed.size() + 1 + kind.size() <= sizeof text) {
    std::memcpy(text, seed.data(), seed.size());
    text[seed.size()] = '|';
    std::memcpy(text + seed.size() + 1, kind.data(), kind.size());
    hashed = std::string_view(text, seed.size() + 1 + kind.size());
  } else {
    owned.append(seed).append("|").append(kind);
    hashed = owned;
  }
  out.append(std::string_view(formats::Sha256Hex(hashed)).substr(0, 16));
}

// The texts that depend only on the knowledge and the profile (the same in every resource of
// every call with them): rendered once per thread and kept while the knowledge (by its SHA-256)
// and the profile stay the same.
struct Stamp {
  const pw::Knowledge* k = nullptr;
  const pw::ProfileDef* profile = nullptr;
  std::string sha256, profile_id;  // what the cached texts were rendered for
  std::string version, tag_display;
  std::string meta_json, extension_json;  // the meta object; the knowledge extension object
  std::string calfdvt_system;             // of the code map the scan parts were rendered with
  // The members of a scan ServiceRequest that never change, as BasicJsonWriter::RawPart and
  // RawObjectHead pieces (see Scan()).
  std::string scan_members, scan_code_head, scan_reason;
};

// `"status":"draft", ... ,"code":` / `{"coding":[...],"text":` / `"reasonCode":[...],"note":`.
void RenderScanParts(Stamp& s) {
  std::string members;
  core::JsonWriter m(members);
  m.BeginObject().Key("status").String("draft").Key("intent").String("proposal");
  m.Key("priority").String("routine");
  m.Key("category").BeginArray().BeginObject().Key("coding").BeginArray().BeginObject();
  m.Key("system").String(kSnomed).Key("code").String("363679005").Key("display").String("Imaging");
  m.EndObject().EndArray().EndObject().EndArray();
  m.Key("code");
  s.scan_members = members.substr(1);  // without the '{'
  s.scan_code_head.clear();
  core::JsonWriter h(s.scan_code_head);
  h.BeginObject().Key("coding").BeginArray();
  h.BeginObject().Key("system").String(kLoinc).Key("code").String("46363-8");
  h.Key("display").String("US Lower extremity vein").EndObject();
  h.BeginObject().Key("system").String(s.calfdvt_system).Key("code").String("whole-leg-duplex");
  h.Key("display").String("Complete duplex, inguinal ligament to ankle, calf veins included");
  h.EndObject().EndArray().Key("text");
  std::string reason;
  core::JsonWriter r(reason);
  r.BeginObject().Key("reasonCode").BeginArray().BeginObject();
  r.Key("text").String(
      "Serial imaging surveillance of isolated distal DVT instead of anticoagulation; "
      "repeat at once if symptoms worsen");
  r.EndObject().EndArray().Key("note");
  s.scan_reason = reason.substr(1);
}

void Render(Stamp& s) {
  const pw::Knowledge* k = s.k;
  s.version = k ? k->id + "@" + k->version : std::string("unknown");
  s.tag_display = "calfdvt knowledge " + s.version + (k ? " sha256 " + k->sha256 : "");
  s.meta_json.clear();
  JsonWriter m(s.meta_json);
  m.BeginObject().Key("tag").BeginArray();
  m.BeginObject().Key("system").String(kKnowledgeTagSystem).Key("code").String(s.version);
  m.Key("display").String(s.tag_display).EndObject();
  m.EndArray().EndObject();
  m.Finish();
  s.extension_json.clear();
  JsonWriter w(s.extension_json);
  w.BeginObject().Key("url").String(kKnowledgeExtension);
  w.Key("extension").BeginArray();
  auto sub = [&](std::string_view url, std::string_view v) {
    w.BeginObject().Key("url").String(url).Key("valueString").String(v).EndObject();
  };
  if (k) {
    sub("id", k->id);
    sub("version", k->version);
    sub("sha256", k->sha256);
  }
  if (s.profile) sub("profile", s.profile->id);
  w.EndArray().EndObject();
  w.Finish();
}

// The thread's stamp for this assessment's knowledge, profile and code map, re-rendered when they
// change. A Ctx holds the reference for one EmitProposals/EmitBundle call; nothing in a call asks
// for another stamp while it is held.
const Stamp& StampFor(const pw::Assessment& a, std::string_view calfdvt_system) {
  thread_local Stamp s;
  const std::string_view sha = a.knowledge ? std::string_view(a.knowledge->sha256) : "";
  const std::string_view profile = a.profile ? std::string_view(a.profile->id) : "";
  const bool same = s.k == a.knowledge && s.profile == a.profile && s.sha256 == sha &&
                    s.profile_id == profile && s.calfdvt_system == calfdvt_system &&
                    !s.version.empty();
  if (!same) {
    s.k = a.knowledge;
    s.profile = a.profile;
    s.sha256.assign(sha);
    s.profile_id.assign(profile);
    s.calfdvt_system.assign(calfdvt_system);
    Render(s);
    RenderScanParts(s);
  }
  return s;
}

struct Ctx {
  const pw::Assessment& a;
  std::string_view patient_ref;
  std::string_view calfdvt_system;
  const Stamp& stamp;
  std::string seed;   // what the deterministic ids hash
  std::string basis;  // the closing sentence of every note (Basis())
};

std::string Id(const Ctx& c, std::string_view kind) {
  std::string id;
  id.reserve(8 + kind.size() + 1 + 16);
  id.append("calfdvt-").append(kind).append("-");
  AppendIdHash(id, c.seed, kind);
  return id;
}

// meta.tag and the knowledge extension (plus the due-date extension of a scan proposal).
// A Bundle is not a DomainResource (no `extension`): `tag_only` writes meta.tag alone. The meta
// object and the knowledge extension are the same in every resource: rendered once (Stamp) and
// copied.
void Knowledge(const Ctx& c, JsonWriter& w, std::optional<core::Date> due = std::nullopt,
               bool tag_only = false) {
  w.Key("meta").Raw(c.stamp.meta_json);
  if (tag_only) return;
  w.Key("extension").BeginArray().Raw(c.stamp.extension_json);
  if (due)
    w.BeginObject().Key("url").String(kDueExtension).Key("valueDate").DateValue(*due).EndObject();
  w.EndArray();
}

void Subject(const Ctx& c, JsonWriter& w, std::string_view key) {
  w.Key(key).BeginObject();
  if (!c.patient_ref.empty())
    w.Key("reference").String(c.patient_ref);
  else
    w.Key("display").String(c.a.case_id ? "case " + *c.a.case_id
                                        : std::string("patient of the assessed case"));
  w.EndObject();
}

std::string BasisText(const pw::Assessment& a) {
  const pw::Knowledge* k = a.knowledge;
  std::string s;
  s.reserve(200);
  s.append("calfdvt decision support, not a decision (rule ").append(a.strategy_rule);
  s.append("; knowledge ");
  if (k) s.append(k->id).append(" ").append(k->version).append(", sha256 ").append(k->sha256);
  else s.append("unknown");
  if (a.profile) s.append(", profile ").append(a.profile->id);
  return s.append(").");
}

// The seed of the deterministic ids: knowledge sha256 | [profile |] case id | as-of | patient.
std::string Seed(const pw::Assessment& a, std::string_view patient_ref, bool with_profile) {
  char date[10];
  a.as_of.Format(date);
  const std::string_view as_of(date, sizeof date);
  std::string s;
  s.reserve(160);
  if (a.knowledge) s.append(a.knowledge->sha256);
  s.append("|");
  if (with_profile) s.append(a.profile ? std::string_view(a.profile->id) : "").append("|");
  s.append(a.case_id ? std::string_view(*a.case_id) : "").append("|");
  return s.append(as_of).append("|").append(patient_ref);
}

const std::string& Basis(const Ctx& c) { return c.basis; }

EmittedResource Scan(const Ctx& c, const pw::ScanPlan& scan) {
  EmittedResource r;
  r.type = "ServiceRequest";
  char day[12];
  const std::string_view day_text(day, std::to_chars(day, day + sizeof day, scan.day).ptr - day);
  char kind[32] = "duplex-day";
  std::memcpy(kind + 10, day_text.data(), day_text.size());
  r.id = Id(c, std::string_view(kind, 10 + day_text.size()));
  char due[10], from[10], to[10];
  scan.due.Format(due);
  scan.window_start.Format(from);
  scan.window_end.Format(to);
  r.description.reserve(112);
  r.description.append("Propose a repeat whole-leg venous duplex on day ").append(day_text);
  r.description.append(" (due ").append(due, 10).append(", window ").append(from, 10);
  r.description.append(" to ").append(to, 10).append(").");
  JsonWriter w(r.json);
  w.BeginObject().Key("resourceType").String("ServiceRequest").Key("id").String(r.id);
  Knowledge(c, w, scan.due);  // the due day itself; the window is occurrencePeriod
  w.RawPart(c.stamp.scan_members, /*ends_with_key=*/true);  // status ... "code":
  w.RawObjectHead(c.stamp.scan_code_head);                  // {"coding":[...],"text":
  w.String(std::string("Repeat whole-leg venous duplex, day ").append(day_text)).EndObject();
  Subject(c, w, "subject");
  w.Key("occurrencePeriod").BeginObject().Key("start").DateValue(scan.window_start);
  w.Key("end").DateValue(scan.window_end).EndObject();
  w.Key("authoredOn").DateValue(c.a.as_of);
  w.RawPart(c.stamp.scan_reason, /*ends_with_key=*/true);  // "reasonCode":[...],"note":
  w.BeginArray()
      .BeginObject()
      .Key("text")
      .String(std::string(r.description).append(" ").append(Basis(c)))
      .EndObject()
      .EndArray();
  w.EndObject();
  w.Finish();
  return r;
}

std::string_view AgentText(pw::Agent agent) {
  switch (agent) {
    case pw::Agent::kDoac:
      return "Direct oral anticoagulant (apixaban, rivaroxaban, edoxaban or dabigatran)";
    case pw::Agent::kLmwh:
      return "Low-molecular-weight heparin";
    case pw::Agent::kVka:
      return "Vitamin K antagonist (INR 2-3)";
    case pw::Agent::kOralXaInhibitor:
      return "Oral factor Xa inhibitor (apixaban, edoxaban or rivaroxaban)";
  }
  return "anticoagulant";
}

EmittedResource Regimen(const Ctx& c, const pw::RegimenResult& g) {
  EmittedResource r;
  r.type = "MedicationRequest";
  r.id = Id(c, "regimen");
  const std::string agent(pw::kAgentNames.Name(g.agent));
  std::string dose = "Anticoagulation for at least " + std::to_string(g.minimum_months) + " months";
  if (g.earliest_stop)
    dose += (g.extended ? "; first review " : "; earliest stop ") + g.earliest_stop->ToString();
  if (g.extended) dose += "; extended therapy considered while the cancer is active";
  r.description = "Propose " + std::string(AgentText(g.agent)) + ": " + dose + ".";
  JsonWriter w(r.json);
  w.BeginObject().Key("resourceType").String("MedicationRequest").Key("id").String(r.id);
  Knowledge(c, w);
  w.Key("status").String("draft").Key("intent").String("proposal");
  w.Key("medicationCodeableConcept").BeginObject().Key("coding").BeginArray().BeginObject();
  w.Key("system").String(c.calfdvt_system).Key("code").String("agent-" + agent);
  w.Key("display").String(AgentText(g.agent)).EndObject().EndArray();
  w.Key("text").String(AgentText(g.agent)).EndObject();
  Subject(c, w, "subject");
  w.Key("authoredOn").DateValue(c.a.as_of);
  w.Key("reasonCode")
      .BeginArray()
      .BeginObject()
      .Key("text")
      .String(c.a.strategy == pw::Strategy::kProximalDvtPathway
                  ? "Proximal deep vein thrombosis"
                  : "Isolated distal deep vein thrombosis");
  w.EndObject().EndArray();
  w.Key("dosageInstruction").BeginArray().BeginObject().Key("text").String(dose);
  if (g.earliest_stop) {
    w.Key("timing").BeginObject().Key("repeat").BeginObject().Key("boundsPeriod").BeginObject();
    w.Key("start")
        .DateValue(c.a.as_of)
        .Key("end")
        .DateValue(*g.earliest_stop)
        .EndObject()
        .EndObject()
        .EndObject();
  }
  w.EndObject().EndArray();
  w.Key("dispenseRequest").BeginObject().Key("expectedSupplyDuration").BeginObject();
  w.Key("value").Int(g.minimum_months).Key("unit").String("months");
  w.Key("system")
      .String("http://unitsofmeasure.org")
      .Key("code")
      .String("mo")
      .EndObject()
      .EndObject();
  w.Key("note").BeginArray();
  for (const auto& n : g.notes) w.BeginObject().Key("text").String(n).EndObject();
  w.BeginObject().Key("text").String(Basis(c)).EndObject();
  w.EndArray().EndObject();
  w.Finish();
  return r;
}

EmittedResource Issue(const Ctx& c, const pw::AlertResult& alert,
                      const std::vector<std::string>& scan_ids) {
  EmittedResource r;
  r.type = "DetectedIssue";
  const std::string code(pw::kAlertCodeNames.Name(alert.code));
  r.id = Id(c, "issue-" + code);
  std::string detail(alert.message);
  if (!alert.detail.empty()) detail += " " + alert.detail;
  r.description = "Critical: " + detail;
  JsonWriter w(r.json);
  w.BeginObject().Key("resourceType").String("DetectedIssue").Key("id").String(r.id);
  Knowledge(c, w);
  w.Key("status").String("preliminary");
  w.Key("code").BeginObject().Key("coding").BeginArray().BeginObject();
  w.Key("system").String(c.calfdvt_system).Key("code").String(code).EndObject().EndArray();
  w.Key("text").String(code).EndObject();
  w.Key("severity").String("high");
  Subject(c, w, "patient");
  w.Key("identifiedDateTime").DateValue(c.a.as_of);
  if (alert.code == pw::AlertCode::kFollowupImagingRequired && !scan_ids.empty()) {
    w.Key("implicated").BeginArray();
    for (const auto& id : scan_ids)
      w.BeginObject().Key("reference").String("ServiceRequest/" + id).EndObject();
    w.EndArray();
  }
  w.Key("detail").String(detail + " " + Basis(c));
  w.EndObject();
  w.Finish();
  return r;
}

bool HasAlert(const pw::Assessment& a, pw::AlertCode code) {
  for (const auto& al : a.alerts)
    if (al.code == code) return true;
  return false;
}

}  // namespace

std::vector<EmittedResource> EmitProposals(const pw::Assessment& a, std::string_view patient_ref,
                                           ProposalKinds kinds) {
  const std::string_view system = DefaultCodeMap().calfdvt_system;
  const Ctx c{a, patient_ref, system, StampFor(a, system),
              Seed(a, patient_ref, /*with_profile=*/true), BasisText(a)};
  std::vector<EmittedResource> out;
  if (a.surveillance)
    for (const auto& scan : a.surveillance->scans) out.push_back(Scan(c, scan));
  const size_t scan_count = out.size();
  // No anticoagulant proposal when anticoagulation is recorded as contraindicated (the critical
  // alert carries it), nor a DOAC/VKA alongside the pregnancy alert (defensive: R7 gives LMWH).
  if (a.regimen && !HasAlert(a, pw::AlertCode::kAnticoagulationContraindicated) &&
      !(HasAlert(a, pw::AlertCode::kPregnancyLmwhOnly) && a.regimen->agent != pw::Agent::kLmwh))
    out.push_back(Regimen(c, *a.regimen));
  if (kinds == ProposalKinds::kAll) {
    std::vector<std::string> scan_ids;  // what a follow-up DetectedIssue implicates
    for (size_t i = 0; i < scan_count; ++i) scan_ids.push_back(out[i].id);
    for (const auto& alert : a.alerts)
      if (alert.severity == pw::Severity::kCritical) out.push_back(Issue(c, alert, scan_ids));
  }
  return out;
}

std::string EmitBundle(const pw::Assessment& a, std::string_view patient_ref) {
  const auto resources = EmitProposals(a, patient_ref);
  std::string out;
  const std::string_view system = DefaultCodeMap().calfdvt_system;
  const Ctx c{a, patient_ref, system, StampFor(a, system),
              Seed(a, patient_ref, /*with_profile=*/false), BasisText(a)};
  JsonWriter w(out);
  w.BeginObject().Key("resourceType").String("Bundle").Key("id").String(Id(c, "proposals"));
  Knowledge(c, w, std::nullopt, /*tag_only=*/true);
  w.Key("type").String("collection").Key("entry").BeginArray();
  for (const auto& r : resources) w.BeginObject().Key("resource").Raw(r.json).EndObject();
  w.EndArray().EndObject();
  w.Finish();
  return out;
}

}  // namespace calfdvt::fhir
