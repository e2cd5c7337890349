// Assessment -> FHIR R4 proposals (fhir/emit.h; docs/fhir.md "Proposals").
// ServiceRequest: http://hl7.org/fhir/R4/servicerequest.html; MedicationRequest:
// http://hl7.org/fhir/R4/medicationrequest.html; DetectedIssue:
// http://hl7.org/fhir/R4/detectedissue.html
#include "fhir/emit.h"

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

// The first 16 hex digits of SHA-256(seed "|" kind).
std::string IdHash(std::string_view seed, std::string_view kind) {
  std::string text;
  text.reserve(seed.size() + 1 + kind.size());
  text.append(seed).append("|").append(kind);
  return formats::Sha256Hex(text).substr(0, 16);
}

struct Ctx {
  const pw::Assessment& a;
  std::string_view patient_ref;
  std::string calfdvt_system;
  std::string seed;  // what the deterministic ids hash
  // Built once per call (the same text in every resource): see Knowledge() and Basis().
  std::string version, tag_display, basis;
  std::string meta_json, extension_json;  // the meta object; the knowledge extension object
};

std::string Id(const Ctx& c, std::string_view kind) {
  return "calfdvt-" + std::string(kind) + "-" + IdHash(c.seed, kind);
}

// meta.tag and the knowledge extension (plus the due-date extension of a scan proposal).
// A Bundle is not a DomainResource (no `extension`): `tag_only` writes meta.tag alone. The meta
// object and the knowledge extension are the same in every resource of a call: rendered once by
// Prepare() and copied.
void Knowledge(const Ctx& c, JsonWriter& w, std::optional<core::Date> due = std::nullopt,
               bool tag_only = false) {
  w.Key("meta").Raw(c.meta_json);
  if (tag_only) return;
  w.Key("extension").BeginArray().Raw(c.extension_json);
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

std::string BasisText(const Ctx& c) {
  const pw::Knowledge* k = c.a.knowledge;
  std::string s = "calfdvt decision support, not a decision (rule " +
                  std::string(c.a.strategy_rule) + "; knowledge ";
  s += k ? k->id + " " + k->version + ", sha256 " + k->sha256 : std::string("unknown");
  if (c.a.profile) s += ", profile " + c.a.profile->id;
  return s + ").";
}

// Fills the per-call texts of `c` (knowledge version, tag display, basis sentence).
void Prepare(Ctx& c) {
  const pw::Knowledge* k = c.a.knowledge;
  c.version = k ? k->id + "@" + k->version : std::string("unknown");
  c.tag_display = "calfdvt knowledge " + c.version + (k ? " sha256 " + k->sha256 : "");
  c.basis = BasisText(c);
  JsonWriter m(c.meta_json);
  m.BeginObject().Key("tag").BeginArray();
  m.BeginObject().Key("system").String(kKnowledgeTagSystem).Key("code").String(c.version);
  m.Key("display").String(c.tag_display).EndObject();
  m.EndArray().EndObject();
  m.Finish();
  JsonWriter w(c.extension_json);
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
  if (c.a.profile) sub("profile", c.a.profile->id);
  w.EndArray().EndObject();
  w.Finish();
}

const std::string& Basis(const Ctx& c) { return c.basis; }

EmittedResource Scan(const Ctx& c, const pw::ScanPlan& scan) {
  EmittedResource r;
  r.type = "ServiceRequest";
  r.id = Id(c, "duplex-day" + std::to_string(scan.day));
  r.description = "Propose a repeat whole-leg venous duplex on day " + std::to_string(scan.day) +
                  " (due " + scan.due.ToString() + ", window " + scan.window_start.ToString() +
                  " to " + scan.window_end.ToString() + ").";
  JsonWriter w(r.json);
  w.BeginObject().Key("resourceType").String("ServiceRequest").Key("id").String(r.id);
  Knowledge(c, w, scan.due);  // the due day itself; the window is occurrencePeriod
  w.Key("status")
      .String("draft")
      .Key("intent")
      .String("proposal")
      .Key("priority")
      .String("routine");
  w.Key("category").BeginArray().BeginObject().Key("coding").BeginArray().BeginObject();
  w.Key("system").String(kSnomed).Key("code").String("363679005").Key("display").String("Imaging");
  w.EndObject().EndArray().EndObject().EndArray();
  w.Key("code").BeginObject().Key("coding").BeginArray();
  w.BeginObject().Key("system").String(kLoinc).Key("code").String("46363-8");
  w.Key("display").String("US Lower extremity vein").EndObject();
  w.BeginObject().Key("system").String(c.calfdvt_system).Key("code").String("whole-leg-duplex");
  w.Key("display")
      .String("Complete duplex, inguinal ligament to ankle, calf veins included")
      .EndObject();
  w.EndArray()
      .Key("text")
      .String("Repeat whole-leg venous duplex, day " + std::to_string(scan.day))
      .EndObject();
  Subject(c, w, "subject");
  w.Key("occurrencePeriod").BeginObject().Key("start").DateValue(scan.window_start);
  w.Key("end").DateValue(scan.window_end).EndObject();
  w.Key("authoredOn").DateValue(c.a.as_of);
  w.Key("reasonCode").BeginArray().BeginObject();
  w.Key("text")
      .String(
          "Serial imaging surveillance of isolated distal DVT instead of anticoagulation; "
          "repeat at once if symptoms worsen")
      .EndObject()
      .EndArray();
  w.Key("note")
      .BeginArray()
      .BeginObject()
      .Key("text")
      .String(r.description + " " + Basis(c))
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
  Ctx c{a, patient_ref, DefaultCodeMap().calfdvt_system, "", "", "", "", "", ""};
  c.seed = (a.knowledge ? a.knowledge->sha256 : std::string()) + "|" +
           (a.profile ? a.profile->id : "") + "|" + a.case_id.value_or("") + "|" +
           a.as_of.ToString() + "|" + std::string(patient_ref);
  Prepare(c);
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
  Ctx c{a, patient_ref, DefaultCodeMap().calfdvt_system, "", "", "", "", "", ""};
  c.seed = (a.knowledge ? a.knowledge->sha256 : std::string()) + "|" + a.case_id.value_or("") +
           "|" + a.as_of.ToString() + "|" + std::string(patient_ref);
  Prepare(c);
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
