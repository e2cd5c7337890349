// Facts -> case: laboratory and status Observations (D-dimer with FEU/DDU conversion, creatinine
// clearance, pregnancy status, expected delivery date).
#include <algorithm>
#include <cstdio>

#include "core/short_number.h"
#include "fhir/mapper.h"

namespace calfdvt::fhir::internal {

namespace pw = calfdvt::pathway;
using core::Date;

namespace {


bool Usable(const Facts& f) {
  return f.status == "final" || f.status == "amended" || f.status == "corrected";
}

// The latest of `list` by date (ties: the first).
const Facts* Latest(const std::vector<std::pair<const Facts*, Date>>& list) {
  const Facts* best = nullptr;
  Date best_date;
  for (auto [f, d] : list)
    if (!best || d > best_date) {
      best = f;
      best_date = d;
    }
  return best;
}

}  // namespace

void Mapper::Observation(const Facts& f) {
  for (const auto& e : m_.observations) {
    if (!Matches(f.code, e)) continue;
    if (!Usable(f)) {
      Report(f, "status", "", "status \"" + std::string(f.status) + "\": not used");
      return;
    }
    using M = ObservationEntry::Meaning;
    switch (e.meaning) {
      case M::kCrcl: {
        auto d = DateOf(f, "patient.crcl_ml_min");
        if (!d || !f.quantity || !f.quantity->value) {
          if (d) Report(f, "valueQuantity", "patient.crcl_ml_min", "no numeric value");
          return;
        }
        const UnitParts u = SplitUnit(*f.quantity);
        auto factor = FactorOf(m_.crcl_units, u.base);
        if (!factor || !f.quantity->comparator.empty() || *f.quantity->value < 0) {
          Report(f, "valueQuantity", "patient.crcl_ml_min",
                 "value " + core::ShortNumber(*f.quantity->value) + " " + u.base +
                     " is not a plain creatinine clearance in a known unit: not used");
          return;
        }
        crcl_.push_back({&f, *d, Clean(*f.quantity->value * *factor)});
        return;
      }
      case M::kEgfr:
        egfr_seen_ = Ref(f);
        return;
      case M::kPregnancyStatus: {
        auto d = DateOf(f, "patient.pregnancy");
        if (!d) return;
        for (const auto& v : m_.pregnancy_values)
          if (Matches(f.concept_value, v)) {
            pregnancy_status_.push_back({&f, *d, v.pregnancy});
            return;
          }
        Report(f, "valueCodeableConcept", "patient.pregnancy",
               "pregnancy status value not in the code map");
        return;
      }
      case M::kExpectedDeliveryDate: {
        if (!f.date_value.date) {
          Report(f, "valueDateTime", "patient.expected_delivery_date",
                 "needs a full valueDateTime");
          return;
        }
        edd_.Set(*f.date_value.date, Ref(f));
        return;
      }
    }
  }
}

void Mapper::ObservationsDone() {
  if (!crcl_.empty()) {
    auto best = std::max_element(crcl_.begin(), crcl_.end(),
                                 [](const auto& a, const auto& b) { return a.date < b.date; });
    out_.c.patient.crcl_ml_min = best->value;
  } else if (!egfr_seen_.empty()) {
    out_.unmapped.push_back({egfr_seen_, "code", "patient.crcl_ml_min",
                             "eGFR is not creatinine clearance (Cockcroft-Gault): not converted; "
                             "creatinine clearance left unknown"});
  }
  if (!pregnancy_status_.empty()) {
    auto best = std::max_element(pregnancy_status_.begin(), pregnancy_status_.end(),
                                 [](const auto& a, const auto& b) { return a.date < b.date; });
    pregnancy_.Set(best->value, Ref(*best->f));
  }
}

// D-dimer: the latest usable result within d_dimer_days of the imaging date (or before as_of).
// Value and cutoff (referenceRange.high) are converted to ng/mL FEU, each from its own unit; a
// DDU result is multiplied by ddu_to_feu. The laboratory's interpretation (H/N...) is the result.
void Mapper::DDimer(const std::vector<const Facts*>& candidates) {
  std::vector<std::pair<const Facts*, Date>> dated;
  for (const Facts* f : candidates) {
    if (!Usable(*f)) {
      Report(*f, "status", "labs.d_dimer", "status \"" + std::string(f->status) + "\": not used");
      continue;
    }
    auto d = DateOf(*f, "labs.d_dimer");
    if (!d) continue;
    const Date anchor = imaging_date_ ? *imaging_date_ : as_of_;
    if (*d < anchor.AddDays(-m_.d_dimer_days) || *d > anchor.AddDays(m_.d_dimer_days)) {
      Report(*f, "effectiveDateTime", "labs.d_dimer",
             "dated " + d->ToString() + ", more than " + std::to_string(m_.d_dimer_days) +
                 " days from the imaging date: not used");
      continue;
    }
    dated.emplace_back(f, *d);
  }
  const Facts* f = Latest(dated);
  if (!f) return;
  for (auto [other, d] : dated)
    if (other != f) Report(*other, "", "labs.d_dimer", "a later D-dimer is used instead");
  const DDimerEntry* entry = nullptr;
  for (const auto& e : m_.d_dimer)
    if (Matches(f->code, e)) entry = &e;
  std::optional<pw::DDimerResult> verdict;
  for (const auto& c : f->interpretation) {
    if (AnyMatch(c, m_.d_dimer_positive)) verdict = pw::DDimerResult::kPositive;
    if (AnyMatch(c, m_.d_dimer_negative)) verdict = pw::DDimerResult::kNegative;
  }
  // Converts a quantity to ng/mL FEU; nullopt (reported) when its unit or basis is unknown.
  auto convert = [&](const Quantity& q, const std::string& path,
                     const UnitParts* fallback) -> std::optional<double> {
    if (!q.value) return std::nullopt;
    UnitParts u = SplitUnit(q);
    if (u.base.empty() && fallback) u = *fallback;
    bool ddu = entry->ddu;
    if (!u.annotation.empty()) {
      if (u.annotation != "FEU" && u.annotation != "DDU") {
        Report(*f, path, "labs.d_dimer",
               "unit annotation \"" + u.annotation + "\" is neither FEU nor DDU: not used");
        return std::nullopt;
      }
      if ((u.annotation == "DDU") != ddu) {
        Report(*f, path, "labs.d_dimer",
               "unit says " + u.annotation + " but the LOINC code is " + (ddu ? "DDU" : "FEU") +
                   ": the basis is ambiguous, not used");
        return std::nullopt;
      }
    }
    auto factor = FactorOf(m_.d_dimer_units, u.base);
    if (!factor) {
      Report(*f, path, "labs.d_dimer",
             "unit \"" + u.base + "\" is not a known D-dimer mass concentration: not used");
      return std::nullopt;
    }
    if (!q.comparator.empty()) {
      Report(*f, path, "labs.d_dimer",
             "value with comparator \"" + std::string(q.comparator) + "\": not used as a number");
      return std::nullopt;
    }
    return Clean(*q.value * *factor * (ddu ? m_.ddu_to_feu : 1.0));
  };
  std::optional<double> value, cutoff;
  UnitParts value_unit;
  if (f->quantity) {
    value_unit = SplitUnit(*f->quantity);
    value = convert(*f->quantity, "valueQuantity", nullptr);
  } else {
    Report(*f, "valueQuantity", "labs.d_dimer", "no valueQuantity");
  }
  if (f->range_high) cutoff = convert(*f->range_high, "referenceRange[0].high", &value_unit);
  if (value && *value < 0) value.reset();
  if (cutoff && !(*cutoff > 0)) cutoff.reset();
  const std::string_view src = Ref(*f);
  auto& labs = out_.c.labs;
  if (value && cutoff) {
    const bool positive = *value >= *cutoff;
    if (verdict && positive != (*verdict == pw::DDimerResult::kPositive)) {
      Report(*f, "interpretation", "labs.d_dimer",
             "the laboratory's interpretation disagrees with value " + core::ShortNumber(*value) + " vs cutoff " +
                 core::ShortNumber(*cutoff) + " " + m_.d_dimer_unit_out +
                 ": the laboratory's interpretation is used");
      labs.d_dimer_result = verdict;
      return;
    }
    labs.d_dimer = pw::DDimer{value, m_.d_dimer_unit_out, cutoff};
    return;
  }
  if (verdict) {
    labs.d_dimer_result = verdict;
    if (value) labs.d_dimer = pw::DDimer{value, m_.d_dimer_unit_out, std::nullopt};
    return;
  }
  if (value) {
    labs.d_dimer = pw::DDimer{value, m_.d_dimer_unit_out, std::nullopt};
    Report(*f, "referenceRange", "labs.d_dimer",
           "no reference range (cutoff) and no interpretation: positivity unknown");
  }
  (void)src;
}

}  // namespace calfdvt::fhir::internal
