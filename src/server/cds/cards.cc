#include "server/cds/cards.h"

#include <algorithm>
#include <charconv>
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

// The overrideReasons array, the same on every card: rendered once.
const std::string& OverrideReasonsJson() {
  static const std::string json = [] {
    std::string out;
    core::JsonWriter w(out);
    w.BeginArray();
    for (const auto& r : kOverrideReasons)
      w.BeginObject().Key("code").String(r.code).Key("system").String(kOverrideSystem).Key("display").String(r.display).EndObject();
    w.EndArray();
    return out;
  }();
  return json;
}

// UTF-8 aware cut at a word boundary, with an ellipsis. Text that fits is returned as it is
// (a view of `s`); otherwise the shortened text is built in `buf` and a view of it returned.
std::string_view Shorten(std::string_view s, std::string& buf) {
  if (s.size() <= kMaxSummary) return s;
  size_t cut = kMaxSummary - 3;
  while (cut > 0 && (static_cast<unsigned char>(s[cut]) & 0xC0) == 0x80) --cut;
  const size_t space = s.rfind(' ', cut);
  if (space != std::string_view::npos && space > kMaxSummary / 2) cut = space;
  buf.assign(s.substr(0, cut)).append("...");
  return buf;
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

// Appends a number as the card shows it: whole numbers without decimals, else 3 significant digits.
void AppendNumber(std::string& out, double v) {
  char buf[32];
  const int n = std::fabs(v - std::round(v)) < 1e-9 ? std::snprintf(buf, sizeof buf, "%.0f", v)
                                                   : std::snprintf(buf, sizeof buf, "%.3g", v);
  if (n > 0) out.append(buf, std::min(static_cast<size_t>(n), sizeof buf - 1));
}

void AppendInt(std::string& out, long long v) {
  char buf[24];
  out.append(buf, std::to_chars(buf, buf + sizeof buf, v).ptr);
}

void AppendDate(std::string& out, core::Date d) {
  char buf[10];
  d.Format(buf);
  out.append(buf, sizeof buf);
}

// Appends a feature's value ("12 mm", "positive"); false (nothing appended) when it has none.
bool AppendFeatureValue(std::string& out, const pw::FeatureResult& f, const pw::FeatureDef& def) {
  if (const double* d = std::get_if<double>(&f.value)) {
    AppendNumber(out, *d);
    if (!def.unit.empty()) out.append(" ").append(def.unit);
    return true;
  }
  if (const std::string_view* t = std::get_if<std::string_view>(&f.value)) {
    if (t->empty()) return false;
    out.append(*t);
    return true;
  }
  return false;
}

void AppendSourceLabels(std::string& out, const pw::Knowledge& k, pw::SourceSet s) {
  bool first = true;
  for (size_t i = 0; i < k.sources.size(); ++i) {
    if ((s >> i & 1) == 0) continue;
    if (!first) out.append(", ");
    out.append(k.sources[i].label);
    first = false;
  }
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

// "- `Observation/x` (`labs.d_dimer`): reason\n" with whichever of resource and field is known.
void UnmappedLine(std::string& md, const fhir::Unmapped& u) {
  md.append("- ");
  if (!u.resource.empty()) md.append("`").append(u.resource).append("`");
  if (!u.field.empty()) {
    md.append(u.resource.empty() ? "`" : " (`").append(u.field);
    md.append(u.resource.empty() ? "`" : "`)");
  }
  if (!u.resource.empty() || !u.field.empty()) md.append(": ");
  md.append(u.reason).append("\n");
}

void Line(std::string& md, std::string_view text) {
  md.append("- ").append(text).append("\n");
}

// The card's markdown detail, appended piece by piece (no temporary strings).
std::string Detail(const CardInput& in, const pw::Assessment& a, bool booked, bool treated) {
  const pw::Knowledge& k = *a.knowledge;
  std::string md;
  md.reserve(4096);
  md.append("**Recommendation:** ").append(k.strategy_labels[static_cast<size_t>(a.strategy)]);
  md.append(" (rule ").append(a.strategy_rule);
  if (a.strength) md.append(", ").append(pw::kStrengthNames.Name(*a.strength));
  if (a.shared_decision) md.append(", shared decision");
  md.append(")\n\n");

  bool any_present = false, any_unknown = false;
  for (const auto& f : a.features) {
    if (!f.counted) continue;
    const auto& def = k.features[static_cast<size_t>(f.id)];
    if (f.status == pw::FeatureStatus::kUnknown) any_unknown = true;
    if (f.status != pw::FeatureStatus::kPresent) continue;
    if (!any_present) md.append("**High-risk features present**\n\n");
    any_present = true;
    md.append("- ").append(def.label);
    const size_t open = md.size();
    md.append(" (");
    if (AppendFeatureValue(md, f, def)) md.append(")");
    else md.resize(open);
    md.append(" [").append(def.rule).append("]\n");
  }
  if (any_present) md.append("\n");
  if (!a.favouring_imaging.empty()) {
    md.append("**Favouring serial imaging**\n\n");
    for (auto f : a.favouring_imaging) Line(md, k.favouring_labels[static_cast<size_t>(f)]);
    md.append("\n");
  }
  if (!a.alerts.empty()) {
    md.append("**Alerts**\n\n");
    for (const auto& al : a.alerts) {
      md.append("- **").append(pw::kSeverityNames.Name(al.severity)).append("** ").append(al.message);
      if (!al.detail.empty()) md.append(" (").append(al.detail).append(")");
      md.append("\n");
    }
    md.append("\n");
  }
  if (in.mapped->care.distal_dvt && a.strategy == pw::Strategy::kSerialImaging && !booked && !treated) {
    if (const auto* ea = k.FindEpisodeAlert("untreated_without_followup"))
      md.append("**critical:** ").append(ea->message).append("\n\n");
  }
  if (a.surveillance && !a.surveillance->scans.empty()) {
    md.append("**Repeat duplex**\n\n");
    for (const auto& s : a.surveillance->scans) {
      md.append("- Day ");
      AppendInt(md, s.day);
      md.append(": due ");
      AppendDate(md, s.due);
      md.append(" (window ");
      AppendDate(md, s.window_start);
      md.append(" to ");
      AppendDate(md, s.window_end);
      md.append(booked ? ")\n" : ") - not booked\n");
    }
    md.append("\n");
  }
  if (a.regimen) {
    md.append("**Regimen:** ").append(k.regimen.agents[static_cast<size_t>(a.regimen->agent)].label);
    md.append(", at least ");
    AppendInt(md, a.regimen->minimum_months);
    md.append(" months");
    if (a.regimen->earliest_stop) {
      md.append(" (earliest stop ");
      AppendDate(md, *a.regimen->earliest_stop);
      md.append(")");
    }
    md.append("\n\n");
    for (const auto& n : a.regimen->notes) Line(md, n);
    if (!a.regimen->notes.empty()) md.append("\n");
  }
  if (!a.notes.empty()) {
    md.append("**Notes**\n\n");
    for (const auto& n : a.notes) Line(md, n);
    md.append("\n");
  }
  if (any_unknown || !a.decisive_unknowns.empty()) {
    md.append("**Not found in the record**\n\n");
    for (const auto& f : a.features)
      if (f.counted && f.status == pw::FeatureStatus::kUnknown)
        Line(md, k.features[static_cast<size_t>(f.id)].label);
    for (const auto& d : a.decisive_unknowns) md.append("- decisive: `").append(d).append("`\n");
    md.append("\n");
  }
  const auto& unmapped = in.mapped->unmapped;
  if (!unmapped.empty()) {
    md.append("**Record data not used**\n\n");
    for (size_t i = 0; i < unmapped.size() && i < kMaxUnmappedShown; ++i) UnmappedLine(md, unmapped[i]);
    if (unmapped.size() > kMaxUnmappedShown) {
      md.append("- ");
      AppendInt(md, static_cast<long long>(unmapped.size() - kMaxUnmappedShown));
      md.append(" more\n");
    }
    md.append("\n");
  }
  md.append("**Sources:** ");
  AppendSourceLabels(md, k, a.strategy_sources);
  md.append("\n\n_calfdvt knowledge ").append(k.id).append(" ").append(k.version);
  md.append(" (sha256 ").append(std::string_view(k.sha256).substr(0, 12)).append("), profile ");
  md.append(a.profile ? std::string_view(a.profile->id) : std::string_view(k.default_profile));
  md.append("_");
  return md;
}

struct Suggestion {
  std::string_view label;  // a knowledge label (outlives the card)
  bool recommended = false;
  std::vector<const fhir::EmittedResource*> resources;
};

void WriteCard(JsonWriter& w, const CardInput& in, std::string_view summary, std::string_view indicator,
               const std::string& detail, const pw::SourceDef* source, std::string_view topic_code,
               std::string_view topic_display, const std::vector<Suggestion>& suggestions) {
  w.BeginObject();
  w.Key("uuid").String(in.uuid());
  std::string shortened;
  w.Key("summary").String(Shorten(summary, shortened));
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
      w.Key("label").String(Shorten(s.label, shortened));
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
  w.Key("overrideReasons").Raw(OverrideReasonsJson());
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
        UnmappedLine(md, m.unmapped[i]);
      WriteCard(w, in, "calfdvt: DVT recorded, ultrasound findings not readable - assess in calfdvt", "info",
                md, nullptr, "data-incomplete", "Record data incomplete", {});
    }
    w.EndArray().EndObject();
    w.Finish();
    return out;
  }

  const pw::Assessment& a = *in.assessment;
  const pw::Knowledge& k = *a.knowledge;
  const std::string& label = k.strategy_labels[static_cast<size_t>(a.strategy)];
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

  std::string summary;
  summary.reserve(160);
  summary.append("calfdvt: ").append(label);
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
