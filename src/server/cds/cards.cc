#include "server/cds/cards.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "core/json_writer.h"

namespace calfdvt::server::cds {
namespace {

namespace pw = calfdvt::pathway;
// Bump-pointer writer: `out` holds the response after Finish() (called before every return).
using JsonWriter = core::JsonBufferWriter;

constexpr size_t kMaxSummary = 139;  // CDS Hooks: "<140 characters"
constexpr size_t kMaxUnmappedShown = 8;

// Override reasons offered on every card (CDS Hooks 2.0 §"Overridereason").
struct Reason {
  std::string_view code;
  std::string_view display;
};
constexpr Reason kOverrideReasons[] = {
    {"already-managed", "Already managed: the plan is recorded elsewhere"},
    {"patient-declined", "Patient declined after shared decision"},
    {"data-incorrect", "The record data used by calfdvt is wrong or incomplete"},
    {"clinical-judgement", "Clinical judgement: not applicable to this patient"},
};

// UTF-8 aware cut at a word boundary, with an ellipsis.
std::string Shorten(std::string s) {
  if (s.size() <= kMaxSummary) return s;
  size_t cut = kMaxSummary - 3;
  while (cut > 0 && (static_cast<unsigned char>(s[cut]) & 0xC0) == 0x80) --cut;
  const size_t space = s.rfind(' ', cut);
  if (space != std::string::npos && space > kMaxSummary / 2) cut = space;
  s.resize(cut);
  s += "...";
  return s;
}

std::string UrlEncode(std::string_view in) {
  std::string out;
  for (unsigned char c : in) {
    if (std::isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~') {
      out.push_back(static_cast<char>(c));
    } else {
      char buf[4];
      std::snprintf(buf, sizeof buf, "%%%02X", c);
      out += buf;
    }
  }
  return out;
}

std::string FormatNumber(double v) {
  char buf[32];
  if (std::fabs(v - std::round(v)) < 1e-9) std::snprintf(buf, sizeof buf, "%.0f", v);
  else std::snprintf(buf, sizeof buf, "%.3g", v);
  return buf;
}

std::string FeatureValueText(const pw::FeatureResult& f, const pw::FeatureDef& def) {
  if (const double* d = std::get_if<double>(&f.value)) {
    std::string s = FormatNumber(*d);
    if (!def.unit.empty()) s += " " + def.unit;
    return s;
  }
  if (const std::string_view* t = std::get_if<std::string_view>(&f.value)) return std::string(*t);
  return "";
}

std::string SourceLabels(const pw::Knowledge& k, pw::SourceSet s) {
  std::string out;
  for (size_t i = 0; i < k.sources.size(); ++i) {
    if ((s >> i & 1) == 0) continue;
    if (!out.empty()) out += ", ";
    out += k.sources[i].label;
  }
  return out;
}

// The guideline the recommendation rests on: the first of its sources with a URL (guidelines
// carry one; internal sources do not), else the first source.
const pw::SourceDef* CardSource(const pw::Knowledge& k, pw::SourceSet s) {
  const pw::SourceDef* first = nullptr;
  for (size_t i = 0; i < k.sources.size(); ++i) {
    if ((s >> i & 1) == 0) continue;
    if (!k.sources[i].url.empty()) return &k.sources[i];
    if (first == nullptr) first = &k.sources[i];
  }
  return first;
}

// "`Observation/x` (`labs.d_dimer`): reason" with whichever of resource and field is known.
std::string UnmappedText(const fhir::Unmapped& u) {
  std::string out;
  if (!u.resource.empty()) out += "`" + u.resource + "`";
  if (!u.field.empty()) out += out.empty() ? "`" + u.field + "`" : " (`" + u.field + "`)";
  if (!out.empty()) out += ": ";
  return out + u.reason;
}

void Line(std::string& md, std::string_view text) {
  md += "- ";
  md += text;
  md += "\n";
}

std::string Detail(const CardInput& in, const pw::Assessment& a, bool booked, bool treated) {
  const pw::Knowledge& k = *a.knowledge;
  std::string md;
  md += "**Recommendation:** " + k.strategy_labels[static_cast<size_t>(a.strategy)];
  md += " (rule " + std::string(a.strategy_rule);
  if (a.strength) md += ", " + std::string(pw::kStrengthNames.Name(*a.strength));
  if (a.shared_decision) md += ", shared decision";
  md += ")\n\n";

  std::string present, unknown;
  for (const auto& f : a.features) {
    const auto& def = k.features[static_cast<size_t>(f.id)];
    if (!f.counted) continue;
    if (f.status == pw::FeatureStatus::kPresent) {
      const std::string v = FeatureValueText(f, def);
      present += "- " + def.label + (v.empty() ? "" : " (" + v + ")") + " [" + def.rule + "]\n";
    } else if (f.status == pw::FeatureStatus::kUnknown) {
      unknown += "- " + def.label + "\n";
    }
  }
  if (!present.empty()) md += "**High-risk features present**\n\n" + present + "\n";
  if (!a.favouring_imaging.empty()) {
    md += "**Favouring serial imaging**\n\n";
    for (auto f : a.favouring_imaging) Line(md, k.favouring_labels[static_cast<size_t>(f)]);
    md += "\n";
  }
  if (!a.alerts.empty()) {
    md += "**Alerts**\n\n";
    for (const auto& al : a.alerts) {
      std::string t = "**" + std::string(pw::kSeverityNames.Name(al.severity)) + "** " +
                      std::string(al.message);
      if (!al.detail.empty()) t += " (" + al.detail + ")";
      Line(md, t);
    }
    md += "\n";
  }
  if (in.mapped->care.distal_dvt && a.strategy == pw::Strategy::kSerialImaging && !booked && !treated) {
    if (const auto* ea = k.FindEpisodeAlert("untreated_without_followup"))
      md += "**critical:** " + ea->message + "\n\n";
  }
  if (a.surveillance && !a.surveillance->scans.empty()) {
    md += "**Repeat duplex**\n\n";
    for (const auto& s : a.surveillance->scans)
      Line(md, "Day " + std::to_string(s.day) + ": due " + s.due.ToString() + " (window " +
                   s.window_start.ToString() + " to " + s.window_end.ToString() + ")" +
                   (booked ? "" : " - not booked"));
    md += "\n";
  }
  if (a.regimen) {
    md += "**Regimen:** " + k.regimen.agents[static_cast<size_t>(a.regimen->agent)].label + ", at least " +
          std::to_string(a.regimen->minimum_months) + " months";
    if (a.regimen->earliest_stop) md += " (earliest stop " + a.regimen->earliest_stop->ToString() + ")";
    md += "\n\n";
    for (const auto& n : a.regimen->notes) Line(md, n);
    if (!a.regimen->notes.empty()) md += "\n";
  }
  if (!a.notes.empty()) {
    md += "**Notes**\n\n";
    for (const auto& n : a.notes) Line(md, n);
    md += "\n";
  }
  if (!unknown.empty() || !a.decisive_unknowns.empty()) {
    md += "**Not found in the record**\n\n" + unknown;
    for (const auto& d : a.decisive_unknowns) Line(md, "decisive: `" + d + "`");
    md += "\n";
  }
  const auto& unmapped = in.mapped->unmapped;
  if (!unmapped.empty()) {
    md += "**Record data not used**\n\n";
    for (size_t i = 0; i < unmapped.size() && i < kMaxUnmappedShown; ++i)
      Line(md, UnmappedText(unmapped[i]));
    if (unmapped.size() > kMaxUnmappedShown)
      Line(md, std::to_string(unmapped.size() - kMaxUnmappedShown) + " more");
    md += "\n";
  }
  md += "**Sources:** " + SourceLabels(k, a.strategy_sources) + "\n\n";
  md += "_calfdvt knowledge " + k.id + " " + k.version + " (sha256 " + k.sha256.substr(0, 12) +
        "), profile " + (a.profile ? a.profile->id : k.default_profile) + "_";
  return md;
}

struct Suggestion {
  std::string label;
  bool recommended = false;
  std::vector<const fhir::EmittedResource*> resources;
};

void WriteCard(JsonWriter& w, const CardInput& in, std::string_view summary, std::string_view indicator,
               const std::string& detail, const pw::SourceDef* source, std::string_view topic_code,
               std::string_view topic_display, const std::vector<Suggestion>& suggestions) {
  w.BeginObject();
  w.Key("uuid").String(in.uuid());
  w.Key("summary").String(Shorten(std::string(summary)));
  w.Key("indicator").String(indicator);
  if (!detail.empty()) w.Key("detail").String(detail);
  w.Key("source").BeginObject();
  w.Key("label").String(source ? source->label : "calfdvt");
  if (source && !source->url.empty()) w.Key("url").String(source->url);
  w.Key("topic").BeginObject();
  w.Key("system").String(kTopicSystem).Key("code").String(topic_code).Key("display").String(topic_display);
  w.EndObject();
  w.EndObject();
  bool any = false;
  for (const auto& s : suggestions) any = any || !s.resources.empty();
  if (any) {
    w.Key("suggestions").BeginArray();
    for (const auto& s : suggestions) {
      if (s.resources.empty()) continue;
      w.BeginObject();
      w.Key("label").String(Shorten(s.label));
      w.Key("uuid").String(in.uuid());
      w.Key("isRecommended").Bool(s.recommended);
      w.Key("actions").BeginArray();
      for (const auto* r : s.resources) {
        w.BeginObject().Key("type").String("create");
        w.Key("description").String(r->description.empty() ? r->type : r->description);
        w.Key("resource").Raw(r->json);
        w.EndObject();
      }
      w.EndArray();
      w.EndObject();
    }
    w.EndArray();
    w.Key("selectionBehavior").String("at-most-one");
  }
  w.Key("overrideReasons").BeginArray();
  for (const auto& r : kOverrideReasons)
    w.BeginObject().Key("code").String(r.code).Key("system").String(kOverrideSystem).Key("display").String(r.display).EndObject();
  w.EndArray();
  w.Key("links").BeginArray();
  w.BeginObject();
  w.Key("label").String("Open the patient in calfdvt");
  w.Key("url").String(in.app_base + "/#/patient/" + UrlEncode(in.patient_id));  // web/src/main.tsx route
  w.Key("type").String("absolute");
  w.EndObject();
  w.EndArray();
  w.EndObject();
}

std::string_view Indicator(int rank) { return rank == 2 ? "critical" : rank == 1 ? "warning" : "info"; }

}  // namespace

std::string BuildCardsResponse(const CardInput& in) {
  std::string out;
  JsonWriter w(out);
  w.BeginObject().Key("cards").BeginArray();
  const fhir::MappedCase& m = *in.mapped;
  const fhir::CareFacts& care = m.care;
  const bool booked = std::any_of(care.followups.begin(), care.followups.end(),
                                  [](const auto& f) { return !f.completed; }) ||
                      in.drafts.followup;
  const bool treated = care.anticoagulant_active;

  if (in.assessment == nullptr) {
    // A DVT is recorded but the imaging findings could not be mapped onto a case.
    if ((care.distal_dvt || care.proximal_dvt) && in.hook == HookKind::kPatientView) {
      std::string md = "calfdvt could not read the ultrasound findings from the record.\n\n";
      for (size_t i = 0; i < m.unmapped.size() && i < kMaxUnmappedShown; ++i)
        Line(md, UnmappedText(m.unmapped[i]));
      WriteCard(w, in, "calfdvt: DVT recorded, ultrasound findings not readable - assess in calfdvt", "info",
                md, nullptr, "data-incomplete", "Record data incomplete", {});
    }
    w.EndArray().EndObject();
    w.Finish();
    return out;
  }

  const pw::Assessment& a = *in.assessment;
  const pw::Knowledge& k = *a.knowledge;
  const std::string label = k.strategy_labels[static_cast<size_t>(a.strategy)];
  // A DVT in the record, or a venous ultrasound that did not examine the calf veins (the
  // knowledge's calf_veins_not_assessed alert: complete the imaging first).
  const bool in_pathway = care.distal_dvt || care.proximal_dvt ||
                          a.classification == pw::Classification::kIsolatedDistal ||
                          a.classification == pw::Classification::kProximal ||
                          a.strategy == pw::Strategy::kCompleteImagingFirst;
  if (!in_pathway) {
    w.EndArray().EndObject();
    w.Finish();
    return out;
  }

  std::vector<const fhir::EmittedResource*> scans, meds;
  for (const auto& r : in.proposals) {
    if (r.type == "ServiceRequest") scans.push_back(&r);
    else if (r.type == "MedicationRequest") meds.push_back(&r);
  }
  const bool serial = a.strategy == pw::Strategy::kSerialImaging;
  const bool treat = a.strategy == pw::Strategy::kAnticoagulate ||
                     a.strategy == pw::Strategy::kProximalDvtPathway;

  std::string summary = "calfdvt: " + label;
  int rank = 0;
  if (in.hook == HookKind::kOrderSign) {
    if (serial && in.drafts.anticoagulant && !treated) {
      rank = 1;
      summary += " - an anticoagulant is being signed";
    } else if (serial && !in.drafts.anticoagulant && !treated && !booked) {
      rank = 2;
      summary += " - no repeat duplex booked";
    } else {
      w.EndArray().EndObject();
      w.Finish();
      return out;  // order-sign fires only on these two conditions
    }
  } else {
    for (const auto& al : a.alerts) {
      const bool followup = al.code == pw::AlertCode::kFollowupImagingRequired;
      if (followup && (booked || treated)) continue;  // satisfied by the record
      rank = std::max(rank, static_cast<int>(al.severity));
    }
    if (serial && !booked && !treated) {
      rank = 2;
      summary += " - no repeat duplex booked";
    } else if (treat && !treated) {
      rank = std::max(rank, a.strategy == pw::Strategy::kProximalDvtPathway ? 2 : 1);
      summary += " - no anticoagulant on record";
    } else if (serial && treated) {
      summary += " - anticoagulant already on record";
    }
  }

  std::vector<Suggestion> suggestions;
  const std::string& med_label = a.regimen ? k.regimen.agents[static_cast<size_t>(a.regimen->agent)].label
                                           : k.strategy_labels[static_cast<size_t>(pw::Strategy::kAnticoagulate)];
  const std::string& scan_label = k.strategy_labels[static_cast<size_t>(pw::Strategy::kSerialImaging)];
  if (serial && !booked && !treated) suggestions.push_back({scan_label, true, scans});
  if (serial && !treated && a.alternative == pw::Strategy::kAnticoagulate && !in.drafts.anticoagulant)
    suggestions.push_back({med_label, false, meds});
  if (treat && !treated) {
    suggestions.push_back({med_label, true, meds});
    if (a.alternative == pw::Strategy::kSerialImaging && !booked)
      suggestions.push_back({scan_label, false, scans});
  }
  // The guideline behind the recommendation; when it cites none with a URL (e.g. "complete the
  // imaging first"), the one behind the alerts (R1: the SRU consensus).
  const pw::SourceDef* source = CardSource(k, a.strategy_sources);
  if (source == nullptr || source->url.empty()) {
    pw::SourceSet all = a.strategy_sources;
    for (const auto& al : a.alerts) all |= al.sources;
    if (const pw::SourceDef* s = CardSource(k, all)) source = s;
  }
  WriteCard(w, in, summary, Indicator(rank), Detail(in, a, booked, treated), source, pw::kStrategyNames.Name(a.strategy), label, suggestions);
  w.EndArray().EndObject();
  w.Finish();
  return out;
}

}  // namespace calfdvt::server::cds
