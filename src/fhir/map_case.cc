// Facts -> case: patient, conditions, medications, encounters, procedures, observations
// (attestations, D-dimer, CrCl, pregnancy), and the final resolution of every field.
#include <algorithm>
#include <array>
#include <cmath>
#include <math.h>

#include "fhir/mapper.h"

namespace calfdvt::fhir::internal {

namespace pw = calfdvt::pathway;
using core::Date;

namespace {

// ASCII lower case: what std::tolower does in the "C" locale (calfdvt never sets another).
constexpr std::array<char, 256> kLower = [] {
  std::array<char, 256> t{};
  for (int i = 0; i < 256; ++i)
    t[static_cast<size_t>(i)] = static_cast<char>(i >= 'A' && i <= 'Z' ? i - 'A' + 'a' : i);
  return t;
}();
char LowerChar(char ch) { return kLower[static_cast<unsigned char>(ch)]; }

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& ch : out) ch = LowerChar(ch);
  return out;
}

// Lower(a) == Lower(b), without building them.
bool SameIgnoringCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i)
    if (LowerChar(a[i]) != LowerChar(b[i])) return false;
  return true;
}

// 10^e for e in [kMinPow10, kMaxPow10], each computed once at run time with the C library's pow:
// the same doubles as the pow calls they replace. The call goes through a volatile pointer so the
// compiler cannot fold it at build time: folding rounds correctly, the library need not (10^23 is
// a tie between two doubles; glibc's pow picks the upper one).
constexpr int kMinPow10 = -32, kMaxPow10 = 32;
const std::array<double, kMaxPow10 - kMinPow10 + 1>& Pow10Table() {
  static const auto kTable = [] {
    double (*volatile library_pow)(double, double) = &::pow;
    std::array<double, kMaxPow10 - kMinPow10 + 1> t{};
    for (int e = kMinPow10; e <= kMaxPow10; ++e)
      t[static_cast<size_t>(e - kMinPow10)] = library_pow(10.0, static_cast<double>(e));
    return t;
  }();
  return kTable;
}

std::string Trim(std::string_view s) {
  while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
  while (!s.empty() && s.back() == ' ') s.remove_suffix(1);
  return std::string(s);
}

const std::string kUcum = "http://unitsofmeasure.org";

}  // namespace

UnitParts SplitUnit(const Quantity& q) {
  std::string u(!q.code.empty() && (q.system.empty() || q.system == kUcum) ? q.code : q.unit);
  UnitParts p;
  if (auto open = u.find('{'); open != std::string::npos) {
    auto close = u.find('}', open);
    p.annotation =
        u.substr(open + 1, close == std::string::npos ? std::string::npos : close - open - 1);
    u.erase(open, close == std::string::npos ? std::string::npos : close - open + 1);
  } else if (auto sp = u.find(' '); sp != std::string::npos) {
    p.annotation = Trim(u.substr(sp + 1));
    u.erase(sp);
  }
  p.base = Trim(u);
  for (char& ch : p.annotation)
    ch = ch >= 'a' && ch <= 'z' ? static_cast<char>(ch - 'a' + 'A') : ch;  // toupper, "C" locale
  return p;
}

std::optional<double> FactorOf(const std::vector<UnitFactor>& units, std::string_view base) {
  for (const auto& u : units)
    if (SameIgnoringCase(u.unit, base)) return u.factor;
  return std::nullopt;
}

bool Matches(const Concept& c, const CodeEntry& e) {
  for (const auto& cd : c.codings)
    if (e.Matches(cd.system, cd.code)) return true;
  return false;
}

bool AnyMatch(const Concept& c, const std::vector<CodeEntry>& list) {
  for (const auto& e : list)
    if (Matches(c, e)) return true;
  return false;
}

double Clean(double v) {
  if (v == 0) return 0;
  const double a = std::fabs(v);
  int k = 0;  // ceil(log10(a)), found with the table where it cannot differ from log10's
  bool exact = a >= 1e-20 && a <= 1e20;  // false for NaN and infinities too
  if (exact) {
    const auto& p = Pow10Table();
    auto pow10 = [&p](int e) { return p[static_cast<size_t>(e - kMinPow10)]; };
    while (a > pow10(k)) ++k;
    while (a <= pow10(k - 1)) --k;
    // Now 10^(k-1) < a <= 10^k. Within 1e-6 (relative) of either bound log10's rounding could
    // decide (log10 errs by far less): those values take the original path.
    exact = a > pow10(k - 1) * (1 + 1e-6) && a < pow10(k) * (1 - 1e-6);
    if (exact) {
      const double scale = pow10(9 - k);
      return std::round(v * scale) / scale;
    }
  }
  const double scale = std::pow(10.0, 9 - std::ceil(std::log10(a)));
  return std::round(v * scale) / scale;
}

std::optional<Date> Mapper::DateOf(const Facts& f, std::string_view field) {
  When w = f.when.present ? f.when : f.recorded;
  const char* path = f.when.present ? "effective" : "issued/recordedDate";
  if (!w.present) {
    Report(f, path, std::string(field), "no date: not used");
    return std::nullopt;
  }
  if (!w.date) {
    Report(f, path, std::string(field),
           w.partial ? "date without a day: not used" : "unreadable date: not used");
    return std::nullopt;
  }
  if (*w.date > as_of_) {
    Report(f, path, std::string(field),
           "dated " + w.date->ToString() + ", after as_of " + as_of_.ToString() + ": not used");
    return std::nullopt;
  }
  return w.date;
}

void Mapper::AddFactor(pw::BleedingFactor bf) {
  auto& v = out_.bleeding_factors_found;
  if (std::find(v.begin(), v.end(), bf) == v.end()) v.push_back(bf);
}

void Mapper::PatientFacts(const Facts& f) {
  if (f.gender == "female")
    out_.c.patient.sex = pw::Sex::kFemale;
  else if (f.gender == "male")
    out_.c.patient.sex = pw::Sex::kMale;
  else if (f.gender == "other")
    out_.c.patient.sex = pw::Sex::kOther;
  else if (f.gender == "unknown")
    out_.c.patient.sex = pw::Sex::kUnknown;
  else if (!f.gender.empty())
    Report(f, "gender", "patient.sex", "unknown gender \"" + std::string(f.gender) + "\"");
  if (!f.birth_date.present) return;
  if (!f.birth_date.date) {
    Report(f, "birthDate", "patient.age", "birth date without a full day: age left unknown");
    return;
  }
  const Date b = *f.birth_date.date;
  if (b > as_of_) {
    Report(f, "birthDate", "patient.age", "birth date after as_of");
    return;
  }
  int age = as_of_.year() - b.year();
  if (as_of_.month() < b.month() || (as_of_.month() == b.month() && as_of_.day() < b.day())) --age;
  if (age > 120) {
    Report(f, "birthDate", "patient.age", "age " + std::to_string(age) + " is over 120: not used");
    return;
  }
  out_.c.patient.age = age;
  // CHEST bleeding factors "age > 65" / "age > 75", on the age in full years as the case
  // carries it (75 years and 11 months is 75: not over 75), as a clinician filling the case would.
  if (age > 65) AddFactor(pw::BleedingFactor::kAgeOver65);
  if (age > 75) AddFactor(pw::BleedingFactor::kAgeOver75);
}

void Mapper::Condition(const Facts& f) {
  // Find every entry any coding matches (C78 is both cancer and metastatic cancer).
  std::vector<std::pair<const ConditionEntry*, const Coding*>> hits;
  for (const auto& cd : f.code.codings)
    for (const auto& e : m_.conditions)
      if (e.Matches(cd.system, cd.code)) hits.emplace_back(&e, &cd);
  if (hits.empty()) return;
  // An exclusion (C44: skin carcinoma) cancels the active-cancer meaning of the same coding.
  auto ex = std::find_if(hits.begin(), hits.end(), [](const auto& h) {
    return h.first->meaning == ConditionMeaning::kNotActiveCancer;
  });
  if (ex != hits.end()) {
    const auto [entry, coding] = *ex;
    Report(f, "code", "history.active_cancer",
           "\"" + std::string(coding->code) + "\" (" + entry->display + "): active cancer left unknown");
    std::erase_if(hits, [coding = coding](const auto& h) {
      return h.second == coding && h.first->meaning == ConditionMeaning::kActiveCancer;
    });
  }
  const std::string_view vs = f.verification;
  if (vs == "entered-in-error" || vs == "refuted" || vs == "unconfirmed" || vs == "provisional" ||
      vs == "differential") {
    Report(f, "verificationStatus", "", "verification status \"" + std::string(vs) + "\": not used");
    return;
  }
  const std::string_view cs = f.status;
  const bool active = cs == "active" || cs == "recurrence" || cs == "relapse";
  const bool inactive = cs == "inactive" || cs == "remission" || cs == "resolved";
  std::optional<Date> onset = f.when.date ? f.when.date : f.recorded.date;
  if (onset && *onset > as_of_) {
    Report(f, "onsetDateTime", "", "onset " + onset->ToString() + " is after as_of: not used");
    return;
  }
  for (auto [e, cd] : hits) {
    if (!active && !inactive && !e->any_status) {
      Report(f, "clinicalStatus", "",
             "\"" + std::string(cd->code) + "\" (" + e->display + ") has " +
                 (cs.empty() ? std::string("no clinicalStatus") : "clinicalStatus \"" + std::string(cs) + "\"") +
                 ": whether it is current is unknown, not used");
      continue;
    }
    ConditionMeaningApply(f, *e, *cd, active, onset);
  }
}

void Mapper::ConditionMeaningApply(const Facts& f, const ConditionEntry& e, const Coding& cd,
                                   bool active, std::optional<Date> onset) {
  using M = ConditionMeaning;
  const std::string_view src = Ref(f);
  const bool active_or_any = active || e.any_status;
  const std::string what = "\"" + std::string(cd.code) + "\" (" + e.display + ")";
  if (e.bleeding_factor && (active || e.any_status)) AddFactor(*e.bleeding_factor);
  switch (e.meaning) {
    case M::kDistalDvt:
    case M::kProximalDvt:
    case M::kPulmonaryEmbolism:
    case M::kDvtUnspecifiedLevel:
      if (active) {
        if (e.meaning == M::kDistalDvt) out_.care.distal_dvt = true;
        if (e.meaning == M::kProximalDvt) {
          out_.care.proximal_dvt = true;
          std::optional<core::Side> side;
          if (e.side_from_last_character && !cd.code.empty()) {
            const char last = cd.code.back();
            if (last == '1') side = core::Side::kRight;
            if (last == '2') side = core::Side::kLeft;
          }
          proximal_conditions_.push_back({std::string(src), *e.vein, side});
        }
        if (e.meaning != M::kPulmonaryEmbolism && onset &&
            (!dvt_condition_onset_ || *onset > *dvt_condition_onset_))
          dvt_condition_onset_ = onset;
        if (e.meaning == M::kPulmonaryEmbolism)
          Report(f, "code", "",
                 "active pulmonary embolism " + what +
                     ": outside the isolated distal DVT pathway; treat as PE");
        if (e.meaning == M::kDvtUnspecifiedLevel)
          Report(f, "code", "",
                 "acute DVT " + what +
                     " without a coded level (distal or proximal): the imaging findings decide");
      } else if (onset && onset->AddDays(m_.prior_vte_min_days) <= as_of_) {
        prior_vte_.Set(true, src);
      } else {
        Report(f, "clinicalStatus", "history.prior_vte",
               "inactive VTE " + what +
                   (onset ? " with onset within " + std::to_string(m_.prior_vte_min_days) +
                                " days of as_of (possibly this episode)"
                          : " without an onset date") +
                   ": not counted as prior VTE");
      }
      return;
    case M::kChronicDvt:
      // I82.5-: chronic, not acute; it documents an earlier DVT.
      prior_vte_.Set(true, src);
      return;
    case M::kPriorVte:
      prior_vte_.Set(true, src);
      return;
    case M::kActiveCancer:
      if (active)
        active_cancer_.Set(true, src);
      else
        Report(
            f, "clinicalStatus", "history.active_cancer",
            "cancer " + what + " is \"" + std::string(f.status) + "\", not active: active cancer left unknown");
      return;
    case M::kNotActiveCancer:
      return;  // handled in Condition()
    case M::kCancerHistory:
      Report(f, "code", "history.active_cancer",
             what + " is a history of cancer, not active cancer: active cancer left unknown");
      return;
    case M::kPregnancy:
      if (active)
        pregnancy_.Set(pw::Pregnancy::kPregnant, src);
      else
        Report(f, "clinicalStatus", "patient.pregnancy",
               "pregnancy " + what + " is not active: not used");
      return;
    case M::kPostpartum:
      if (active) pregnancy_.Set(pw::Pregnancy::kPostpartum, src);
      return;
    case M::kCovid19:
      if (active) covid19_.Set(true, src);
      return;
    case M::kEndStageRenalDisease:
      if (active) esrd_.Set(true, src);
      return;
    case M::kStroke:
      if (active_or_any) stroke_.Set(true, src);
      return;
    case M::kSevereLiverDisease:
      if (active) liver_.Set(true, src);
      return;
    case M::kAntiphospholipidSyndrome:
      if (active_or_any) aps_.Set(true, src);
      return;
    case M::kBleedingFactor:
      return;
  }
}

void Mapper::Medication(const Facts& f, const std::vector<Facts>& all) {
  Concept code = f.code;
  if (!f.medication_ref.empty())
    for (const auto& m : all)
      if (m.kind == MappedType::kMedication && m.id == f.medication_ref) code = m.code;
  const MedicationEntry* hit = nullptr;
  std::string text = Lower(code.text);  // the same for every entry: built once
  for (const auto& cd : code.codings) text += " " + Lower(cd.display);
  for (const auto& e : m_.medications) {
    if (Matches(code, e)) hit = &e;
    if (!hit && !e.name.empty() && text.find(Lower(e.name)) != std::string::npos) hit = &e;
    if (hit) break;
  }
  if (!hit) return;
  const std::string_view s = f.status;
  const bool current = s == "active" || s == "intended" || s == "on-hold" || s == "in-progress";
  if (!hit->antiplatelet) {
    if (current || s == "completed") out_.care.anticoagulant_active = true;
    if (s == "draft") out_.care.anticoagulant_draft = true;
  } else if (current) {
    AddFactor(pw::BleedingFactor::kAntiplateletTherapy);
  }
}

void Mapper::Encounter(const Facts& f) {
  const EncounterEntry* hit = nullptr;
  for (const auto& e : m_.encounters)
    if (Matches(f.code, e)) hit = &e;
  if (!hit) {
    if (!f.code.codings.empty() && f.status == "in-progress")
      Report(f, "class", "history.inpatient",
             "encounter class \"" + std::string(f.code.codings.front().code) +
                 "\" is not in the code map: setting unknown");
    return;
  }
  const std::string_view s = f.status;
  const bool ongoing = s == "in-progress" || s == "arrived" || s == "triaged" || s == "onleave";
  // An ongoing status with no period start still counts (the status says it is under way).
  const bool started = f.when.date ? *f.when.date <= as_of_ : !f.when.partial;
  const bool not_ended = !f.when_end.date || *f.when_end.date >= as_of_;
  if (ongoing && started && not_ended) {
    if (hit->inpatient) {
      current_inpatient_ = true;
      inpatient_.Set(true, Ref(f));
    } else {
      current_outpatient_ = true;
      current_outpatient_source_ = Ref(f);
    }
    return;
  }
  if (hit->inpatient && s == "finished" && f.when_end.date && *f.when_end.date <= as_of_ &&
      f.when_end.date->AddDays(m_.recent_hospitalization_days) >= as_of_)
    recent_hosp_.Set(true, Ref(f));
}

void Mapper::Procedure(const Facts& f) {
  bool surgical = AnyMatch(f.code, m_.surgery);
  for (const auto& c : f.categories) surgical = surgical || AnyMatch(c, m_.surgery);
  if (!surgical || f.status != "completed") return;
  std::optional<Date> d = f.when_end.date ? f.when_end.date : f.when.date;
  if (!d) {
    Report(f, "performed[x]", "history.recent_surgery",
           "surgery without a performed date: not used");
    return;
  }
  if (*d <= as_of_ && d->AddDays(m_.recent_surgery_days) >= as_of_) {
    recent_surgery_.Set(true, Ref(f));
    AddFactor(pw::BleedingFactor::kRecentSurgery);
  }
}

void Mapper::Attestation(const Facts& f, const AttestationEntry& e) {
  const std::string_view src = Ref(f);
  const std::string& field = e.field;
  const std::string_view name = field;  // compared below: sizes first, no strlen
  auto token = [&]() -> std::string {
    for (const auto& cd : f.concept_value.codings)
      if (cd.system == m_.calfdvt_system) return std::string(cd.code);
    return {};
  };
  auto boolean = [&](Fact<bool>& fact) {
    if (f.boolean_value)
      fact.Set(*f.boolean_value, src);
    else
      Report(f, "valueBoolean", field, "an attestation of " + field + " needs valueBoolean");
  };
  auto choice = [&](auto& fact, const auto& names) {
    const std::string t = token();
    if (auto v = names.Parse(t))
      fact.Set(*v, src);
    else
      Report(f, "valueCodeableConcept", field,
             "needs a " + m_.calfdvt_system + " code, one of " + names.Choices());
  };
  if (name == "history.severe_symptoms")
    boolean(severe_symptoms_);
  else if (name == "history.provocation")
    choice(provocation_, pw::kProvocationNames);
  else if (name == "history.active_cancer")
    boolean(active_cancer_);
  else if (name == "history.prior_vte")
    boolean(prior_vte_);
  else if (name == "history.inpatient")
    boolean(inpatient_);
  else if (name == "history.recent_hospitalization")
    boolean(recent_hosp_);
  else if (name == "history.recent_surgery")
    boolean(recent_surgery_);
  else if (name == "history.covid19")
    boolean(covid19_);
  else if (name == "history.end_stage_renal_disease")
    boolean(esrd_);
  else if (name == "history.stroke")
    boolean(stroke_);
  else if (name == "patient.pregnancy")
    choice(pregnancy_, pw::kPregnancyNames);
  else if (name == "patient.breastfeeding")
    boolean(breastfeeding_);
  else if (name == "patient.severe_liver_disease")
    boolean(liver_);
  else if (name == "patient.antiphospholipid_syndrome")
    boolean(aps_);
  else if (name == "bleeding.risk")
    choice(bleeding_risk_, pw::kBleedingRiskNames);
  else if (name == "bleeding.anticoagulation_contraindicated")
    boolean(contraindicated_);
  else if (name == "preferences.anticoagulation")
    choice(preference_, pw::kPreferenceNames);
}

}  // namespace calfdvt::fhir::internal
