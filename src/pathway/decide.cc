// Classification (R1, R2), high-risk features (R3), bleeding category and the R5 strategy.
#include "pathway/decide.h"

#include <algorithm>

namespace calfdvt::pathway::internal {
namespace {

SourceSet FeatureSources(const Knowledge& k, Feature f) {
  return k.features[static_cast<size_t>(f)].sources;
}

FeatureResult& Slot(Decision& d, Feature f) { return d.features[static_cast<size_t>(f)]; }

// Present / absent / unknown from an optional flag.
void FlagFeature(Decision& d, const Knowledge& k, Feature f, std::optional<bool> flag, Input input) {
  FeatureResult& r = Slot(d, f);
  r.sources = FeatureSources(k, f);
  if (!flag) {
    r.status = FeatureStatus::kUnknown;
    d.feature_unknowns.push_back({input, -1, f});
    return;
  }
  r.status = *flag ? FeatureStatus::kPresent : FeatureStatus::kAbsent;
  r.value = *flag;
}

// Numeric per-thrombus feature: present when any known value compares true against the threshold.
template <class Get, class Compare>
void NumericFeature(Decision& d, const Knowledge& k, Feature f, const std::vector<const Thrombus*>& ts,
                    const std::vector<int>& idx, Input input, Get get, Compare hit, bool want_max) {
  FeatureResult& r = Slot(d, f);
  const FeatureDef& def = k.features[static_cast<size_t>(f)];
  r.sources = def.sources;
  r.threshold = def.threshold;
  const double threshold = def.threshold.value_or(0);
  bool present = false;
  std::optional<double> extreme;
  std::vector<InputRef> unknown;
  for (size_t i = 0; i < ts.size(); ++i) {
    const std::optional<double> v = get(*ts[i]);
    if (!v) {
      unknown.push_back({input, idx[i], f});
      continue;
    }
    if (hit(*v, threshold)) present = true;
    if (!extreme || (want_max ? *v > *extreme : *v < *extreme)) extreme = *v;
  }
  if (extreme) r.value = *extreme;
  if (present) {
    r.status = FeatureStatus::kPresent;
  } else if (!unknown.empty()) {
    r.status = FeatureStatus::kUnknown;
    d.feature_unknowns.insert(d.feature_unknowns.end(), unknown.begin(), unknown.end());
  } else {
    r.status = FeatureStatus::kAbsent;
  }
}

void MultipleVeins(Decision& d, const Knowledge& k, const Case& c,
                   const std::vector<const Thrombus*>& ts, const std::vector<int>& idx) {
  const Feature f = Feature::kMultipleVeins;
  FeatureResult& r = Slot(d, f);
  r.sources = FeatureSources(k, f);
  r.threshold = k.features[static_cast<size_t>(f)].threshold;
  std::optional<Side> study_side;
  if (c.imaging.side && *c.imaging.side != Side::kBilateral) study_side = c.imaging.side;
  // Per vein group: which legs are known to be involved, and how many thrombi have no known leg.
  struct Group {
    std::string_view name;
    bool left = false, right = false;
    std::vector<int> unknown_side;
  };
  std::vector<Group> groups;
  for (size_t i = 0; i < ts.size(); ++i) {
    std::string_view name = k.veins[static_cast<size_t>(ts[i]->vein)].group;
    auto it = std::find_if(groups.begin(), groups.end(), [&](const Group& g) { return g.name == name; });
    if (it == groups.end()) {
      groups.push_back(Group{name});
      it = groups.end() - 1;
    }
    const std::optional<Side> side = ts[i]->side ? ts[i]->side : study_side;
    if (!side) it->unknown_side.push_back(idx[i]);
    else if (*side == Side::kLeft) it->left = true;
    else it->right = true;
  }
  int min_count = 0, max_count = 0;
  std::vector<InputRef> unknown;
  for (const Group& g : groups) {
    const int known = (g.left ? 1 : 0) + (g.right ? 1 : 0);
    const int u = static_cast<int>(g.unknown_side.size());
    const int lo = known > 0 ? known : (u > 0 ? 1 : 0);
    const int hi = std::min(2, known + u);
    min_count += lo;
    max_count += hi;
    if (hi > lo)
      for (int i : g.unknown_side) unknown.push_back({Input::kThrombusSide, i, f});
  }
  const double threshold = r.threshold.value_or(2);
  r.value = static_cast<double>(min_count);
  if (min_count >= threshold) {
    r.status = FeatureStatus::kPresent;
  } else if (max_count >= threshold) {
    r.status = FeatureStatus::kUnknown;
    d.feature_unknowns.insert(d.feature_unknowns.end(), unknown.begin(), unknown.end());
  } else {
    r.status = FeatureStatus::kAbsent;
  }
}

void NearProximal(Decision& d, const Knowledge& k, const std::vector<const Thrombus*>& ts,
                  const std::vector<int>& idx) {
  NumericFeature(
      d, k, Feature::kNearProximalVeins, ts, idx, Input::kThrombusDistance,
      [](const Thrombus& t) { return t.distance_to_popliteal_cm; },
      [](double v, double thr) { return v <= thr; }, /*want_max=*/false);
  FeatureResult& r = Slot(d, Feature::kNearProximalVeins);
  for (const Thrombus* t : ts) {
    if (k.veins[static_cast<size_t>(t->vein)].close_to_proximal) {
      if (r.status == FeatureStatus::kUnknown) {
        // Resolved by the vein itself: its unknown distances no longer matter.
        std::erase_if(d.feature_unknowns,
                      [](const InputRef& u) { return u.feature == Feature::kNearProximalVeins; });
      }
      r.status = FeatureStatus::kPresent;
      r.value = core::kVeinNames.Name(t->vein);
      return;
    }
  }
}

void DDimerFeature(Decision& d, const Knowledge& k, const Case& c) {
  const Feature f = Feature::kDDimerPositive;
  FeatureResult& r = Slot(d, f);
  r.sources = FeatureSources(k, f);
  const auto& dd = c.labs.d_dimer;
  if (dd && dd->value && dd->cutoff) {
    r.value = *dd->value;
    r.threshold = *dd->cutoff;
    r.status = *dd->value >= *dd->cutoff ? FeatureStatus::kPresent : FeatureStatus::kAbsent;
    return;
  }
  if (c.labs.d_dimer_result) {
    r.value = kDDimerResultNames.Name(*c.labs.d_dimer_result);
    r.status = *c.labs.d_dimer_result == DDimerResult::kPositive ? FeatureStatus::kPresent
                                                                 : FeatureStatus::kAbsent;
    return;
  }
  if (dd) d.d_dimer_incomplete = true;
  r.status = FeatureStatus::kUnknown;
  d.feature_unknowns.push_back({Input::kDDimer, -1, f});
}

void Unprovoked(Decision& d, const Knowledge& k, const ProfileDef& p, const Case& c) {
  const Feature f = Feature::kUnprovoked;
  FeatureResult& r = Slot(d, f);
  r.sources = FeatureSources(k, f);
  const auto& prov = c.history.provocation;
  if (!prov) {
    r.status = FeatureStatus::kUnknown;
    d.feature_unknowns.push_back({Input::kProvocation, -1, f});
    return;
  }
  r.value = kProvocationNames.Name(*prov);
  const bool present = *prov == Provocation::kUnprovoked ||
                       (*prov == Provocation::kPersistent && p.persistent_is_unprovoked);
  r.status = present ? FeatureStatus::kPresent : FeatureStatus::kAbsent;
}

void Hospitalization(Decision& d, const Knowledge& k, const ProfileDef& p, const Case& c) {
  const Feature f = Feature::kInpatientOrRecentHospitalization;
  FeatureResult& r = Slot(d, f);
  const FeatureDef& def = k.features[static_cast<size_t>(f)];
  r.sources = def.sources;
  const auto& inp = c.history.inpatient;
  const auto& rec = c.history.recent_hospitalization;
  if (inp == true) {
    r.status = FeatureStatus::kPresent;
    r.value = std::string_view("inpatient");
    return;
  }
  if (p.recent_hospitalization_counts && rec == true) {
    r.status = FeatureStatus::kPresent;
    r.value = std::string_view("recent_hospitalization");
    r.sources = def.secondary_sources;
    return;
  }
  if (!p.recent_hospitalization_counts && rec == true) d.recent_hospitalization_not_counted = true;
  const bool inp_unknown = !inp;
  const bool rec_unknown = p.recent_hospitalization_counts && !rec;
  if (inp_unknown || rec_unknown) {
    r.status = FeatureStatus::kUnknown;
    if (inp_unknown) d.feature_unknowns.push_back({Input::kInpatient, -1, f});
    if (rec_unknown) d.feature_unknowns.push_back({Input::kRecentHospitalization, -1, f});
    return;
  }
  r.status = FeatureStatus::kAbsent;
  r.value = false;
}

void EvaluateFeatures(Decision& d, const Knowledge& k, const ProfileDef& p, const Case& c,
                      const std::vector<const Thrombus*>& ts, const std::vector<int>& idx) {
  for (size_t i = 0; i < kFeatureCount; ++i) {
    d.features[i].id = static_cast<Feature>(i);
    d.features[i].counted = p.counted[i];
  }
  NumericFeature(
      d, k, Feature::kLengthOver5cm, ts, idx, Input::kThrombusLength,
      [](const Thrombus& t) { return t.length_cm; }, [](double v, double thr) { return v > thr; },
      true);
  MultipleVeins(d, k, c, ts, idx);
  NumericFeature(
      d, k, Feature::kDiameterOver7mm, ts, idx, Input::kThrombusDiameter,
      [](const Thrombus& t) { return t.max_diameter_mm; },
      [](double v, double thr) { return v > thr; }, true);
  NearProximal(d, k, ts, idx);
  DDimerFeature(d, k, c);
  Unprovoked(d, k, p, c);
  FlagFeature(d, k, Feature::kActiveCancer, c.history.active_cancer, Input::kActiveCancer);
  FlagFeature(d, k, Feature::kPriorVte, c.history.prior_vte, Input::kPriorVte);
  Hospitalization(d, k, p, c);
  FlagFeature(d, k, Feature::kRecentSurgery, c.history.recent_surgery, Input::kRecentSurgery);
  FlagFeature(d, k, Feature::kSevereSymptoms, c.history.severe_symptoms, Input::kSevereSymptoms);
  FlagFeature(d, k, Feature::kCovid19, c.history.covid19, Input::kCovid19);
  for (const FeatureResult& r : d.features)
    if (r.counted && r.status == FeatureStatus::kPresent) d.any_counted_present = true;
}

Pattern PatternOf(bool axial, bool muscular) {
  if (axial && muscular) return Pattern::kMixed;
  return muscular ? Pattern::kMuscularOnly : Pattern::kAxial;
}

}  // namespace

BleedingResult EvaluateBleeding(const Bleeding& b, const Knowledge& k) {
  BleedingResult r;
  auto from_category = [&](BleedingCategory cat) {
    r.category = cat;
    r.major_bleeding_3mo = k.bleeding.categories[static_cast<size_t>(cat)].major_bleeding_3mo;
  };
  if (b.factors) {
    std::array<bool, kBleedingFactorCount> has{};
    for (BleedingFactor f : *b.factors) has[static_cast<size_t>(f)] = true;
    int points = 0;
    for (size_t i = 0; i < kBleedingFactorCount; ++i)
      if (has[i]) points += k.bleeding.points[i];
    for (const auto& [lower, higher] : k.bleeding.nested)
      if (has[static_cast<size_t>(lower)] && has[static_cast<size_t>(higher)])
        points -= k.bleeding.points[static_cast<size_t>(lower)];
    BleedingCategory cat = BleedingCategory::kLow;
    for (size_t i = 0; i < 3; ++i)
      if (points >= k.bleeding.categories[i].min_points) cat = static_cast<BleedingCategory>(i);
    from_category(cat);
    r.points = points;
    r.basis = "factors";
  } else if (b.risk) {
    from_category(static_cast<BleedingCategory>(*b.risk));
    r.basis = "risk";
  } else {
    r.basis = "unknown";
  }
  return r;
}

StrategyOutcome IsolatedDistalStrategy(std::optional<bool> contraindicated, bool any_counted_present,
                                       BleedingCategory bleeding,
                                       std::optional<Preference> preference) {
  StrategyOutcome o;
  o.strength = Strength::kWeak;
  if (contraindicated == true) {
    o.strategy = Strategy::kSerialImaging;
    o.rule = "R5.1";
    o.note = Note::kContraindicatedSerialImaging;
    return o;
  }
  if (any_counted_present) {
    o.rule = "R5.2";
    if (bleeding == BleedingCategory::kHigh || preference == Preference::kAvoid) {
      o.strategy = Strategy::kSerialImaging;
      o.shared_decision = true;
      o.alternative = Strategy::kAnticoagulate;
      o.note = Note::kSharedDecisionImaging;
    } else if (bleeding == BleedingCategory::kModerate) {
      o.strategy = Strategy::kAnticoagulate;
      o.shared_decision = true;
      o.alternative = Strategy::kSerialImaging;
      o.note = Note::kSharedDecisionAnticoagulate;
    } else {
      o.strategy = Strategy::kAnticoagulate;
    }
    return o;
  }
  o.rule = "R5.3";
  o.strategy = Strategy::kSerialImaging;
  if (preference == Preference::kPrefer) {
    o.shared_decision = true;
    o.alternative = Strategy::kAnticoagulate;
    o.note = Note::kSharedDecisionPreferAnticoagulation;
  }
  return o;
}

Decision Decide(const Case& c, const Knowledge& k, const ProfileDef& profile, int as_chronic) {
  Decision d;
  d.bleeding = EvaluateBleeding(c.bleeding, k);
  d.limited_protocol = c.imaging.protocol != Protocol::kWholeLegDuplex;
  auto set = [&](Classification cls, Strategy s, std::optional<Strength> st, std::string_view rule) {
    d.classification = cls;
    d.outcome.strategy = s;
    d.outcome.strength = st;
    d.outcome.rule = rule;
  };
  if (!c.imaging.thrombi) {
    d.thrombi_missing = true;
    set(Classification::kNotClassifiable, Strategy::kCompleteImagingFirst, Strength::kStrong, "R1");
    return d;
  }
  const auto& thrombi = *c.imaging.thrombi;
  std::vector<const Thrombus*> distal;
  std::vector<int> distal_idx;
  distal.reserve(thrombi.size());
  distal_idx.reserve(thrombi.size());
  d.veins_seen.reserve(thrombi.size());
  bool proximal = false, axial = false, muscular = false;
  int superficial = 0;
  for (size_t i = 0; i < thrombi.size(); ++i) {
    const Thrombus& t = thrombi[i];
    if (t.acute == false || static_cast<int>(i) == as_chronic) {
      ++d.chronic;
      continue;
    }
    if (!t.acute) d.acuity_unknown.push_back(static_cast<int>(i));
    const VeinDef& v = k.veins[static_cast<size_t>(t.vein)];
    switch (v.vein_class) {
      case VeinClass::kSuperficial: ++superficial; continue;
      case VeinClass::kProximal: proximal = true; break;
      case VeinClass::kDistal:
        distal.push_back(&t);
        distal_idx.push_back(static_cast<int>(i));
        (v.kind == VeinKind::kMuscular ? muscular : axial) = true;
        break;
    }
    const std::string_view name = core::kVeinNames.Name(t.vein);
    if (std::find(d.veins_seen.begin(), d.veins_seen.end(), name) == d.veins_seen.end())
      d.veins_seen.push_back(name);
  }
  const bool deep = proximal || !distal.empty();
  if (deep) d.superficial_ignored = superficial;
  if (proximal) {
    set(Classification::kProximal, Strategy::kProximalDvtPathway, Strength::kStrong, "R2");
    d.outcome.note = Note::kProximalPathway;
    return d;
  }
  if (d.limited_protocol) {
    d.distal_on_limited_protocol = !distal.empty();
    set(Classification::kNotClassifiable, Strategy::kCompleteImagingFirst, Strength::kStrong, "R1");
    return d;
  }
  if (distal.empty()) {
    if (superficial > 0) {
      set(Classification::kSuperficialOnly, Strategy::kOutOfScope, std::nullopt, "R2");
    } else {
      set(Classification::kNoThrombus, Strategy::kOutOfScope, std::nullopt, "R2");
      d.outcome.note = d.chronic > 0 ? Note::kChronicOnly : Note::kNoThrombus;
    }
    return d;
  }
  d.classification = Classification::kIsolatedDistal;
  d.pattern = PatternOf(axial, muscular);
  d.feature_unknowns.reserve(8);
  EvaluateFeatures(d, k, profile, c, distal, distal_idx);
  d.outcome = IsolatedDistalStrategy(c.bleeding.anticoagulation_contraindicated,
                                     d.any_counted_present, d.bleeding.category,
                                     c.preferences.anticoagulation);
  return d;
}

}  // namespace calfdvt::pathway::internal
