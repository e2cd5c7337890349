#include "formats/assessment_text.h"

#include <cstdio>

#include "core/short_number.h"

namespace calfdvt::formats {

namespace pw = calfdvt::pathway;

namespace {


std::string Tags(const pw::Knowledge& k, pw::SourceSet s) {
  std::string out;
  for (size_t i = 0; i < k.sources.size(); ++i) {
    if (!(s & (pw::SourceSet{1} << i))) continue;
    const auto& src = k.sources[i];
    const std::string name = src.tag == "literature" ? src.label : src.tag;
    if (out.find(name) != std::string::npos) continue;
    if (!out.empty()) out += ", ";
    out += name;
  }
  return out;
}

std::string Basis(const pw::Knowledge& k, std::string_view rule, pw::SourceSet s) {
  return "  [" + std::string(rule) + (s ? "; " + Tags(k, s) : "") + "]";
}

std::string Value(const pw::FeatureValue& v) {
  if (const double* d = std::get_if<double>(&v)) return core::ShortNumber(*d);
  if (const bool* b = std::get_if<bool>(&v)) return *b ? "yes" : "no";
  if (const auto* s = std::get_if<std::string_view>(&v)) return std::string(*s);
  return "not reported";
}

void Pad(std::string& s, size_t width) {
  if (s.size() < width) s.append(width - s.size(), ' ');
}

}  // namespace

std::string AssessmentText(const pw::Assessment& a) {
  const pw::Knowledge& k = *a.knowledge;
  std::string o;
  o += "calfdvt: isolated distal DVT assessment (decision support)\n";
  o += "Case " + a.case_id.value_or("(no id)") + " | as of " + a.as_of.ToString() +
       " | knowledge " + k.id + " " + k.version + ", profile " + a.profile->id + ", sha256 " +
       k.sha256.substr(0, 12) + "\n\n";

  o += "RECOMMENDATION\n";
  o += "  " + k.strategy_labels[static_cast<size_t>(a.strategy)];
  o += Basis(k, a.strategy_rule, a.strategy_sources) + "\n";
  std::string meta = "  strategy " + std::string(pw::kStrategyNames.Name(a.strategy));
  if (a.strength) meta += ", strength " + std::string(pw::kStrengthNames.Name(*a.strength));
  if (a.shared_decision)
    meta += ", SHARED DECISION (alternative: " + std::string(pw::kStrategyNames.Name(*a.alternative)) + ")";
  o += meta + "\n";
  o += "  classification " + std::string(pw::kClassificationNames.Name(a.classification));
  if (a.pattern) o += ", pattern " + std::string(pw::kPatternNames.Name(*a.pattern));
  o += "\n\n";

  if (!a.alerts.empty()) {
    o += "ALERTS\n";
    for (const auto& al : a.alerts) {
      std::string sev(pw::kSeverityNames.Name(al.severity));
      for (char& ch : sev) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
      o += "  " + sev + " " + std::string(pw::kAlertCodeNames.Name(al.code)) + ": " +
           std::string(al.message);
      if (!al.detail.empty()) o += " " + al.detail;
      o += Basis(k, al.rule, al.sources) + "\n";
    }
    o += "\n";
  }

  o += "WHY\n";
  if (!a.features.empty()) {
    o += "  High-risk features (any counted feature present -> anticoagulation indicated)" +
         Basis(k, "R3", k.FindRule("R3") ? k.FindRule("R3")->sources : 0) + "\n";
    for (const auto& f : a.features) {
      const auto& def = k.features[static_cast<size_t>(f.id)];
      std::string line = "    " + std::string(pw::kFeatureStatusNames.Name(f.status));
      Pad(line, 13);
      line += def.label;
      Pad(line, 80);
      line += Value(f.value);
      if (f.threshold) line += " (threshold " + core::ShortNumber(*f.threshold) + (def.unit.empty() ? "" : " " + def.unit) + ")";
      if (!f.counted) line += " [not counted under profile " + a.profile->id + "]";
      o += line + "  [" + Tags(k, f.sources) + "]\n";
    }
  }
  if (!a.favouring_imaging.empty()) {
    o += "  Favouring serial imaging:";
    for (size_t i = 0; i < a.favouring_imaging.size(); ++i)
      o += std::string(i ? ";" : "") + " " + k.favouring_labels[static_cast<size_t>(a.favouring_imaging[i])];
    o += Basis(k, "R4", k.FindRule("R4") ? k.FindRule("R4")->sources : 0) + "\n";
  }
  o += "  Bleeding risk: " + std::string(pw::kBleedingCategoryNames.Name(a.bleeding.category));
  if (a.bleeding.points)
    o += " (" + std::to_string(*a.bleeding.points) + (*a.bleeding.points == 1 ? " point)" : " points)");
  if (a.bleeding.major_bleeding_3mo)
    o += ", estimated 3-month major bleeding on anticoagulation " + core::ShortNumber(*a.bleeding.major_bleeding_3mo * 100) + "%";
  o += "  [" + Tags(k, k.bleeding.sources) + "]\n";
  if (!a.decisive_unknowns.empty()) {
    o += "  Decisive unknowns (a value could change the strategy):";
    for (const auto& u : a.decisive_unknowns) o += " " + u;
    o += "\n";
  }
  if (!a.unknowns.empty()) {
    o += "  Not reported (unknown, never assumed false):";
    for (const auto& u : a.unknowns) o += " " + u;
    o += "\n";
  }
  o += "\n";

  o += "NEXT STEPS\n";
  if (a.regimen) {
    const auto& r = *a.regimen;
    o += "  Agent: " + k.regimen.agents[static_cast<size_t>(r.agent)].label +
         Basis(k, "R7", r.sources | k.regimen.agents[static_cast<size_t>(r.agent)].sources) + "\n";
    o += "  Duration: at least " + std::to_string(r.minimum_months) + " months" +
         (r.extended ? ", extended therapy considered" : "") + "; " +
         (r.extended ? "first review " : "earliest stop ") +
         (r.earliest_stop ? r.earliest_stop->ToString() : std::string("unknown")) + "\n";
    for (const auto& n : r.notes) o += "    - " + n + "\n";
  }
  if (a.surveillance) {
    for (const auto& s : a.surveillance->scans)
      o += "  Repeat whole-leg duplex, day " + std::to_string(s.day) + ": due " + s.due.ToString() +
           " (window " + s.window_start.ToString() + " to " + s.window_end.ToString() + ")" +
           Basis(k, "R8", k.surveillance.sources) + "\n";
    o += "  On extension: " + std::string(pw::kOnExtensionNames.Name(a.surveillance->on_extension)) + "\n";
  }
  for (const auto& n : a.notes) o += "  - " + n + "\n";
  o += "\n";

  if (a.show_evidence) {
    o += "EVIDENCE" + Basis(k, "R9", k.FindRule("R9") ? k.FindRule("R9")->sources : 0) + "\n";
    for (const auto& e : k.evidence)
      o += "  - " + e.claim + " (" + k.sources[static_cast<size_t>(e.source)].label + ")\n";
    o += "  - " + k.evidence_conclusion + "\n\n";
  }

  o += "TRACE\n";
  for (const auto& t : a.trace) o += "  " + t + "\n";
  return o;
}

}  // namespace calfdvt::formats
