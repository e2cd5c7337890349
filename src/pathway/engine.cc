// Assembles the assessment: runs the decision phase, then adds decisive unknowns, regimen (R7),
// surveillance (R8), modifiers (R6), alerts, notes, evidence (R9) and the trace.
#include "pathway/engine.h"

#include <algorithm>
#include <cstring>

#include "core/short_number.h"
#include "pathway/decide.h"
#include "pathway/regimen.h"
#include "pathway/string_list.h"

namespace calfdvt::pathway {
namespace {

using internal::Decision;
using internal::Input;
using internal::InputRef;

// Appends pieces to `out` without intermediate strings (trace lines are built per assessment).
struct DateText {
  char buf[10];
  explicit DateText(core::Date d) { d.Format(buf); }
  operator std::string_view() const { return {buf, 10}; }  // NOLINT(google-explicit-constructor)
};
template <class... Parts>
void Append(std::string& out, const Parts&... parts) {
  (out.append(std::string_view(parts)), ...);
}

// Room reserved for a trace line built by appending (most are under 128 bytes), so that a fresh
// assessment's lines do not grow piecewise; a recycled one's lines already have it.
constexpr size_t kTraceLineCapacity = 128;

class Builder {
 public:
  // Writes into `out`, which is default-constructed or Recycle()d (its string lists may hold
  // spare strings, which the StringLists overwrite or drop).
  Builder(const Case& c, const Knowledge& k, const ProfileDef& p, Assessment& out)
      : c_(c), k_(k), p_(p), a_(out) {}

  void Run() {
    d_ = internal::Decide(c_, k_, p_);
    // Typical sizes, so the vectors grow once instead of several times per assessment.
    a_.features.reserve(kFeatureCount);
    a_.trace.reserve(12);
    a_.notes.reserve(8);
    a_.alerts.reserve(6);
    a_.unknowns.reserve(12);
    a_.rules_fired.reserve(9);
    a_.case_id = c_.id;
    a_.as_of = c_.as_of;
    a_.knowledge = &k_;
    a_.profile = &p_;
    a_.classification = d_.classification;
    a_.pattern = d_.pattern;
    a_.strategy = d_.outcome.strategy;
    a_.strength = d_.outcome.strength;
    a_.shared_decision = d_.outcome.shared_decision;
    a_.alternative = d_.outcome.alternative;
    a_.strategy_rule = d_.outcome.rule;
    a_.bleeding = d_.bleeding;
    a_.show_evidence = a_.strategy != Strategy::kOutOfScope;

    Classify();
    if (d_.classification == Classification::kIsolatedDistal) IsolatedDistal();
    if (d_.classification == Classification::kProximal) Proximal();
    if (a_.strategy == Strategy::kAnticoagulate || a_.strategy == Strategy::kProximalDvtPathway)
      Regimen();
    if (a_.strategy == Strategy::kSerialImaging) Surveillance();
    if (d_.bleeding.category == BleedingCategory::kHigh &&
        (d_.classification == Classification::kIsolatedDistal ||
         d_.classification == Classification::kProximal)) {
      Alert(AlertCode::kBleedingRiskHigh, BleedingDetail());
    }
    Decisive();
    if (a_.show_evidence) {
      Fire("R9");
      std::string& line = trace_.Next(kTraceLineCapacity);
      line += "R9: evidence shown (";
      for (size_t i = 0; i < k_.evidence.size(); ++i) {
        if (i) line += ", ";
        line += k_.sources[static_cast<size_t>(k_.evidence[i].source)].label;
      }
      line += ')';
    }
    AddNote(Note::kDecisionSupport);
    trace_.Finish();
    notes_.Finish();
    unknowns_.Finish();
    decisive_unknowns_.Finish();
    std::stable_sort(
        a_.alerts.begin(), a_.alerts.end(),
        [](const AlertResult& x, const AlertResult& y) { return x.severity > y.severity; });
  }

 private:
  void Fire(std::string_view rule) {
    // Rule ids are short and often the same literal: pointer identity first, then the bytes.
    for (std::string_view fired : a_.rules_fired)
      if (fired.size() == rule.size() &&
          (fired.data() == rule.data() || std::memcmp(fired.data(), rule.data(), rule.size()) == 0))
        return;
    a_.rules_fired.push_back(rule);
  }
  void AddNote(Note n) { notes_.Push(k_.notes[static_cast<size_t>(n)].text); }
  void Alert(AlertCode code, std::string detail = {}, bool proximal = false) {
    const AlertDef& def = k_.alerts[static_cast<size_t>(code)];
    AlertResult r;
    r.code = code;
    r.severity = proximal && def.severity_proximal ? *def.severity_proximal : def.severity;
    r.message = proximal && !def.message_proximal.empty() ? def.message_proximal : def.message;
    r.detail = std::move(detail);
    r.rule = def.rule;
    r.sources = def.sources;
    a_.alerts.push_back(std::move(r));
    Fire(def.rule);
  }
  static void AddInput(internal::StringList& list, const InputRef& ref) {
    internal::AppendInputPath(list.Next(), ref);
    list.DropLastIfRepeated();
  }
  void Unknown(const InputRef& ref) { AddInput(unknowns_, ref); }
  void DecisiveUnknown(const InputRef& ref) { AddInput(decisive_unknowns_, ref); }
  std::string BleedingDetail() const {
    std::string s;
    s.reserve(112);
    Append(s, "Bleeding category ", kBleedingCategoryNames.Name(d_.bleeding.category));
    if (d_.bleeding.points) Append(s, " (", std::to_string(*d_.bleeding.points), " points)");
    if (d_.bleeding.major_bleeding_3mo)
      Append(s, "; estimated 3-month major bleeding on anticoagulation ",
             core::ShortNumber(*d_.bleeding.major_bleeding_3mo * 100), "%");
    s += '.';
    return s;
  }

  void Classify() {
    const std::string_view protocol = kProtocolNames.Name(c_.imaging.protocol);
    Fire("R1");
    if (d_.limited_protocol) {
      Append(trace_.Next(kTraceLineCapacity), "R1: ", protocol, " does not examine the calf veins");
    } else {
      Append(trace_.Next(kTraceLineCapacity), "R1: ", protocol, " examines the calf veins");
    }
    if (d_.thrombi_missing) {
      trace_.Push("R1: imaging.thrombi not reported -> complete_imaging_first");
      AddNote(Note::kThrombiNotReported);
      Unknown({Input::kThrombi});
      if (d_.limited_protocol) Alert(AlertCode::kCalfVeinsNotAssessed);
      return;
    }
    for (int i : d_.acuity_unknown) Unknown({Input::kThrombusAcute, i});
    if (!d_.acuity_unknown.empty()) AddNote(Note::kAcuityUnknown);
    if (d_.chronic > 0 && d_.classification != Classification::kNoThrombus)
      AddNote(Note::kChronicIgnored);
    if (d_.superficial_ignored > 0) AddNote(Note::kSuperficialIgnored);
    if (d_.classification == Classification::kNotClassifiable) {
      trace_.Push(
          "R1: no proximal thrombus on a limited protocol -> not_classifiable, "
          "complete_imaging_first");
      Alert(AlertCode::kCalfVeinsNotAssessed);
      if (d_.distal_on_limited_protocol) AddNote(Note::kLimitedProtocolDistalThrombus);
      return;
    }
    Fire("R2");
    std::string& line = trace_.Next(kTraceLineCapacity);
    Append(line, "R2: ", kClassificationNames.Name(d_.classification));
    if (d_.pattern) Append(line, ", pattern ", kPatternNames.Name(*d_.pattern));
    if (!d_.veins_seen.empty()) {
      line += " (acute deep veins: ";
      for (size_t i = 0; i < d_.veins_seen.size(); ++i) {
        if (i) line += ", ";
        line += d_.veins_seen[i];
      }
      line += ")";
    }
    if (d_.classification == Classification::kSuperficialOnly ||
        d_.classification == Classification::kNoThrombus)
      line += " -> out_of_scope";
    if (d_.classification == Classification::kSuperficialOnly) Alert(AlertCode::kSuperficialOnly);
    // Isolated distal and proximal outcomes add their notes with their own rules.
    if (d_.outcome.note && (d_.classification == Classification::kSuperficialOnly ||
                            d_.classification == Classification::kNoThrombus))
      AddNote(*d_.outcome.note);
  }

  void IsolatedDistal() {
    Fire("R3");
    Fire("R4");
    Fire("R5");
    // Both branches must be views: a std::string temporary here would dangle.
    const std::string_view flag_source =
        p_.flag_features_without_source
            ? std::string_view(k_.sources[static_cast<size_t>(*p_.flag_features_without_source)].id)
            : std::string_view();
    // "R3 [profile]: present: a, b; unknown: c" (or "none"), written into the trace line directly.
    std::string& r3 = trace_.Next(kTraceLineCapacity);
    Append(r3, "R3 [", p_.id, "]: present: ");
    const auto names = [&](FeatureStatus status) {
      const size_t start = r3.size();
      for (const FeatureResult& f : d_.features) {
        if (f.status != status || !f.counted) continue;
        if (r3.size() != start) r3 += ", ";
        r3 += kFeatureNames.Name(f.id);
      }
      if (r3.size() == start) r3 += "none";
    };
    names(FeatureStatus::kPresent);
    r3 += "; unknown: ";
    names(FeatureStatus::kUnknown);
    bool seed_only = false;
    for (const FeatureResult& f : d_.features) {
      a_.features.push_back(f);
      if (f.status == FeatureStatus::kPresent && f.counted && p_.flag_features_without_source &&
          !(f.sources & (SourceSet{1} << *p_.flag_features_without_source)))
        seed_only = true;
    }
    if (seed_only) Alert(AlertCode::kSeedOnlyCriterion, "Not in the " + std::string(flag_source) + " list.");
    if (d_.d_dimer_incomplete) AddNote(Note::kDDimerIncomplete);
    if (d_.recent_hospitalization_not_counted) AddNote(Note::kRecentHospitalizationNotCounted);
    for (const InputRef& u : d_.feature_unknowns) Unknown(u);

    // R4: factors favouring serial imaging (reported; they act only through R5).
    auto& fav = a_.favouring_imaging;
    if (d_.pattern == Pattern::kMuscularOnly) fav.push_back(Favouring::kMuscularOnly);
    if (d_.bleeding.category == BleedingCategory::kHigh) fav.push_back(Favouring::kBleedingRiskHigh);
    if (d_.bleeding.category == BleedingCategory::kModerate)
      fav.push_back(Favouring::kBleedingRiskModerate);
    if (!d_.any_counted_present) fav.push_back(Favouring::kNoExtensionRiskFactors);
    if (c_.preferences.anticoagulation == Preference::kAvoid) fav.push_back(Favouring::kPreferenceAvoid);
    if (!fav.empty()) {
      std::string& line = trace_.Next(kTraceLineCapacity);
      line += "R4: favouring serial imaging: ";
      for (size_t i = 0; i < fav.size(); ++i) {
        if (i) line += ", ";
        line += kFavouringNames.Name(fav[i]);
      }
    }
    if (d_.bleeding.category == BleedingCategory::kUnknown) Unknown({Input::kBleedingRisk});
    if (!c_.preferences.anticoagulation) Unknown({Input::kPreference});
    if (!c_.bleeding.anticoagulation_contraindicated) Unknown({Input::kContraindicated});

    // R5.
    a_.strategy_sources = k_.FindRule("R5") ? k_.FindRule("R5")->sources : 0;
    std::string& r5 = trace_.Next(kTraceLineCapacity);
    Append(r5, d_.outcome.rule, ": ");
    if (d_.outcome.rule == "R5.1") r5 += "anticoagulation contraindicated";
    else if (d_.outcome.rule == "R5.2")
      Append(r5, "high-risk feature present, bleeding ",
             kBleedingCategoryNames.Name(d_.bleeding.category));
    else r5 += "no counted high-risk feature present";
    Append(r5, " -> ", kStrategyNames.Name(a_.strategy));
    if (a_.shared_decision)
      Append(r5, " (shared decision; alternative ", kStrategyNames.Name(*a_.alternative), ")");
    if (d_.outcome.note) AddNote(*d_.outcome.note);
    if (d_.outcome.rule == "R5.3" && d_.pattern == Pattern::kMuscularOnly)
      AddNote(Note::kMuscularOnlyLowerRisk);
    if (c_.bleeding.anticoagulation_contraindicated == true)
      Alert(AlertCode::kAnticoagulationContraindicated);

    // R6 modifiers.
    const bool esrd = c_.history.end_stage_renal_disease == true;
    const bool stroke = c_.history.stroke == true;
    if (esrd || stroke) {
      Fire("R6");
      std::string what = esrd && stroke ? "end-stage renal disease and stroke"
                                        : (esrd ? "end-stage renal disease" : "stroke");
      Append(trace_.Next(kTraceLineCapacity), "R6: ", what, " -> closer_monitoring");
      Alert(AlertCode::kCloserMonitoring, "Present: " + what + ".");
    }
    if (!c_.history.end_stage_renal_disease) Unknown({Input::kEsrd});
    if (!c_.history.stroke) Unknown({Input::kStroke});
  }

  void Proximal() {
    a_.strategy_sources = k_.notes[static_cast<size_t>(Note::kProximalPathway)].sources;
    AddNote(Note::kProximalPathway);
    trace_.Push("R2: proximal thrombus -> proximal_dvt_pathway (never surveillance)");
    if (c_.bleeding.anticoagulation_contraindicated == true)
      Alert(AlertCode::kAnticoagulationContraindicated, {}, /*proximal=*/true);
    else if (!c_.bleeding.anticoagulation_contraindicated)
      Unknown({Input::kContraindicated});
  }

  void Regimen() {
    Fire("R7");
    internal::RegimenOutput r = internal::ComputeRegimen(c_, k_, p_, d_.classification);
    if (r.pregnancy_lmwh_only) Alert(AlertCode::kPregnancyLmwhOnly);
    if (r.cancer_extended_therapy) Alert(AlertCode::kCancerExtendedTherapy);
    for (const InputRef& u : r.unknowns) Unknown(u);
    std::string& line = trace_.Next(kTraceLineCapacity);
    Append(line, "R7: ", kAgentNames.Name(r.regimen.agent), ", at least ",
           std::to_string(r.regimen.minimum_months), " months");
    if (r.regimen.extended) line += ", extended therapy considered";
    if (r.regimen.earliest_stop)
      Append(line, ", earliest stop ", DateText(*r.regimen.earliest_stop));
    else
      line += ", earliest stop unknown";
    a_.regimen = std::move(r.regimen);
  }

  void Surveillance() {
    Fire("R8");
    SurveillanceResult s;
    s.on_extension = c_.bleeding.anticoagulation_contraindicated == true
                         ? OnExtension::kSpecialistReview
                         : OnExtension::kAnticoagulate;
    std::string& line = trace_.Next(64 + 72 * k_.surveillance.scans.size());
    line += "R8:";
    core::Date latest_overdue;
    bool overdue = false;
    for (const ScanDef& def : k_.surveillance.scans) {
      ScanPlan plan;
      plan.day = def.day;
      plan.due = c_.imaging.date.AddDays(def.day);
      plan.window_start = plan.due.AddDays(-def.window_before_days);
      plan.window_end = plan.due.AddDays(def.window_after_days);
      Append(line, " day ", std::to_string(def.day), " due ", DateText(plan.due), " (window ",
             DateText(plan.window_start), " to ", DateText(plan.window_end), ");");
      if (plan.window_end < c_.as_of) {
        overdue = true;
        latest_overdue = plan.window_end;
      }
      s.scans.push_back(plan);
    }
    Append(line, " on extension: ", kOnExtensionNames.Name(s.on_extension));
    Alert(AlertCode::kFollowupImagingRequired);
    if (overdue)
      Alert(AlertCode::kFollowupOverdue,
            "A scan window ended on " + latest_overdue.ToString() + ", before " +
                c_.as_of.ToString() + ", and no result is recorded with this assessment.");
    AddNote(Note::kSurveillanceWorsening);
    AddNote(s.on_extension == OnExtension::kAnticoagulate ? Note::kSurveillanceOnExtension
                                                          : Note::kSurveillanceSpecialistReview);
    a_.surveillance = std::move(s);
  }

  // Counterfactual decisive unknowns (§5.1): an unknown input is decisive when some admissible
  // value of it, all else fixed, changes the strategy.
  void Decisive() {
    const Strategy current = a_.strategy;
    for (int i : d_.acuity_unknown) {
      if (internal::Decide(c_, k_, p_, i).outcome.strategy != current)
        DecisiveUnknown({Input::kThrombusAcute, i});
    }
    if (d_.thrombi_missing) DecisiveUnknown({Input::kThrombi});
    if (d_.classification != Classification::kIsolatedDistal) return;
    const auto contra = c_.bleeding.anticoagulation_contraindicated;
    const auto pref = c_.preferences.anticoagulation;
    const auto bleed = d_.bleeding.category;
    auto differs = [&](std::optional<bool> ct, bool any, BleedingCategory b, std::optional<Preference> pr) {
      return internal::IsolatedDistalStrategy(ct, any, b, pr).strategy != current;
    };
    for (const InputRef& u : d_.feature_unknowns) {
      if (!d_.features[static_cast<size_t>(*u.feature)].counted) continue;
      if (differs(contra, true, bleed, pref)) DecisiveUnknown(u);
    }
    if (bleed == BleedingCategory::kUnknown) {
      for (auto b : {BleedingCategory::kLow, BleedingCategory::kModerate, BleedingCategory::kHigh})
        if (differs(contra, d_.any_counted_present, b, pref)) {
          DecisiveUnknown({Input::kBleedingRisk});
          break;
        }
    }
    if (!pref) {
      for (auto pr : {Preference::kNoPreference, Preference::kAvoid, Preference::kPrefer})
        if (differs(contra, d_.any_counted_present, bleed, pr)) {
          DecisiveUnknown({Input::kPreference});
          break;
        }
    }
    if (!contra) {
      for (bool ct : {true, false})
        if (differs(ct, d_.any_counted_present, bleed, pref)) {
          DecisiveUnknown({Input::kContraindicated});
          break;
        }
    }
  }

  const Case& c_;
  const Knowledge& k_;
  const ProfileDef& p_;
  Decision d_;
  Assessment& a_;
  // The assessment's string lists, filled in order (declared after a_, which they refer to).
  internal::StringList trace_{a_.trace}, notes_{a_.notes}, unknowns_{a_.unknowns},
      decisive_unknowns_{a_.decisive_unknowns};
};

// Resets `a` to a default-constructed Assessment, keeping the capacity of its vectors; the
// strings of its string lists stay as spares for the Builder's StringLists to overwrite.
void Recycle(Assessment& a) {
  auto features = std::move(a.features);
  auto favouring = std::move(a.favouring_imaging);
  auto alerts = std::move(a.alerts);
  auto rules = std::move(a.rules_fired);
  auto notes = std::move(a.notes);
  auto unknowns = std::move(a.unknowns);
  auto decisive = std::move(a.decisive_unknowns);
  auto trace = std::move(a.trace);
  a = Assessment{};
  const auto clear_into = [](auto& from, auto& to) {
    from.clear();
    to = std::move(from);
  };
  clear_into(features, a.features);
  clear_into(favouring, a.favouring_imaging);
  clear_into(alerts, a.alerts);
  clear_into(rules, a.rules_fired);
  a.notes = std::move(notes);
  a.unknowns = std::move(unknowns);
  a.decisive_unknowns = std::move(decisive);
  a.trace = std::move(trace);
}

}  // namespace

Assessment Assess(const Case& c, const Knowledge& knowledge, const ProfileDef& profile) {
  Assessment a;
  Builder(c, knowledge, profile, a).Run();
  return a;
}

void Assess(const Case& c, const Knowledge& knowledge, const ProfileDef& profile, Assessment& out) {
  Recycle(out);
  Builder(c, knowledge, profile, out).Run();
}

}  // namespace calfdvt::pathway
