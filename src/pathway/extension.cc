#include "pathway/extension.h"

#include <algorithm>

#include "pathway/engine.h"
#include "pathway/regimen.h"

namespace calfdvt::pathway {

Assessment AssessExtension(const Case& index, const ExtensionFinding& finding, const Knowledge& k,
                           const ProfileDef& profile) {
  Case c = index;
  c.as_of = finding.date;
  c.imaging.date = finding.date;
  c.imaging.protocol = Protocol::kWholeLegDuplex;
  if (finding.findings) c.imaging.thrombi = finding.findings;
  Assessment a = Assess(c, k, profile);

  const std::string kind = finding.proximal ? "extended_proximal" : "extended_distal";
  const AlertDef& def = k.alerts[static_cast<size_t>(AlertCode::kExtensionDetected)];
  AlertResult alert;
  alert.code = AlertCode::kExtensionDetected;
  alert.severity = def.severity;
  alert.message = def.message;
  alert.rule = def.rule;
  alert.sources = def.sources;
  alert.detail = "Day-" + std::to_string(finding.scan_day) + " scan on " + finding.date.ToString() +
                 ": " + kind + ".";

  const bool contraindicated = c.bleeding.anticoagulation_contraindicated == true;
  if (contraindicated) {
    alert.detail += " " + k.notes[static_cast<size_t>(Note::kSurveillanceSpecialistReview)].text;
    a.trace.push_back("R8: " + kind + " on follow-up, anticoagulation contraindicated -> specialist review");
  } else if (a.strategy != Strategy::kAnticoagulate && a.strategy != Strategy::kProximalDvtPathway) {
    // The follow-up result overrides the index stratification: treat now.
    const Classification cls = finding.proximal ? Classification::kProximal : Classification::kIsolatedDistal;
    if (finding.proximal) {
      // Proximal extension reported without itemised findings: the study is proximal now.
      a.classification = Classification::kProximal;
      a.pattern.reset();
      a.features.clear();
      a.favouring_imaging.clear();
    }
    a.strategy = finding.proximal ? Strategy::kProximalDvtPathway : Strategy::kAnticoagulate;
    a.strength = finding.proximal ? Strength::kStrong : Strength::kWeak;
    a.shared_decision = false;
    a.alternative.reset();
    a.strategy_rule = "R8";
    a.strategy_sources = def.sources;
    a.surveillance.reset();
    std::erase_if(a.alerts, [](const AlertResult& r) {
      return r.code == AlertCode::kFollowupImagingRequired || r.code == AlertCode::kFollowupOverdue;
    });
    internal::RegimenOutput r = internal::ComputeRegimen(c, k, profile, cls);
    if (r.pregnancy_lmwh_only) {
      const AlertDef& p = k.alerts[static_cast<size_t>(AlertCode::kPregnancyLmwhOnly)];
      a.alerts.push_back({AlertCode::kPregnancyLmwhOnly, p.severity, p.message, {}, p.rule, p.sources});
    }
    if (r.cancer_extended_therapy) {
      const AlertDef& p = k.alerts[static_cast<size_t>(AlertCode::kCancerExtendedTherapy)];
      a.alerts.push_back({AlertCode::kCancerExtendedTherapy, p.severity, p.message, {}, p.rule, p.sources});
    }
    a.regimen = std::move(r.regimen);
    if (std::find(a.rules_fired.begin(), a.rules_fired.end(), "R7") == a.rules_fired.end())
      a.rules_fired.push_back("R7");
    a.trace.push_back("R8: " + kind + " on the day-" + std::to_string(finding.scan_day) +
                      " scan -> " + std::string(kStrategyNames.Name(a.strategy)) + " now");
  } else {
    a.trace.push_back("R8: " + kind + " on follow-up; the re-assessment already treats");
  }
  a.alerts.insert(a.alerts.begin(), std::move(alert));
  std::stable_sort(a.alerts.begin(), a.alerts.end(),
                   [](const AlertResult& x, const AlertResult& y) { return x.severity > y.severity; });
  return a;
}

}  // namespace calfdvt::pathway
