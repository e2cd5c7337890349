#include "thrombectomy/registry.h"

#include <algorithm>
#include <map>

#include "thrombectomy/checks.h"
#include "thrombectomy/outcomes.h"

namespace calfdvt::thrombectomy {

core::Status ValidateFilter(const RegistryFilter& f) {
  core::Errors errors;
  if (f.from && f.to && *f.from > *f.to)
    errors.push_back({"filter.to", "range",
                      "the end date " + f.to->ToString() + " is before the start date " +
                          f.from->ToString()});
  if (f.side == core::Side::kBilateral)
    errors.push_back({"filter.side", "enum", "must be left | right (a procedure treats one leg)"});
  if (f.operator_name && f.operator_name->empty())
    errors.push_back({"filter.operator", "empty", "must not be empty"});
  if (!errors.empty()) return core::Status(core::ErrorKind::kInvalidInput, std::move(errors));
  return core::OkStatus();
}

bool Matches(const Procedure& p, const RegistryFilter& f) {
  if (f.from && p.date < *f.from) return false;
  if (f.to && p.date > *f.to) return false;
  if (f.operator_name && p.operator_name != f.operator_name) return false;
  if (f.side && p.side != *f.side) return false;
  if (f.iliac_obstruction &&
      (!p.indication || p.indication->iliac_obstruction != f.iliac_obstruction))
    return false;
  if (f.thrombosed_vein) {
    if (!p.indication || !p.indication->thrombosed_veins) return false;
    const auto& veins = *p.indication->thrombosed_veins;
    if (std::find(veins.begin(), veins.end(), *f.thrombosed_vein) == veins.end()) return false;
  }
  return true;
}

Proportion MakeProportion(int k, int n, int unknown, double confidence) {
  Proportion p;
  p.k = k;
  p.n = n;
  p.unknown = unknown;
  if (n == 0) return p;
  p.estimate = static_cast<double>(k) / n;
  if (auto ci = ClopperPearson(k, n, confidence); ci.ok()) p.exact = *ci;
  if (auto ci = Wilson(k, n, NormalQuantile(1 - (1 - confidence) / 2)); ci.ok()) p.wilson = *ci;
  return p;
}

namespace {

// Counts of a binary outcome over procedures: true, false, unknown.
struct Tally {
  int yes = 0;
  int no = 0;
  int unknown = 0;
  void Add(const std::optional<bool>& v) {
    if (!v) ++unknown;
    else if (*v) ++yes;
    else ++no;
  }
  Proportion Make(double confidence) const {
    return MakeProportion(yes, yes + no, unknown, confidence);
  }
};

ProportionComparison Compare(const PublishedProportion& pub, const Proportion& local,
                             double confidence) {
  ProportionComparison c;
  c.published = pub;
  if (pub.stated_low && pub.stated_high) {
    c.published_interval = {*pub.stated_low, *pub.stated_high};
    c.published_interval_stated = true;
  } else if (auto ci = ClopperPearson(pub.k, pub.n, confidence); ci.ok()) {
    c.published_interval = *ci;
  }
  if (local.exact) c.overlap = Overlaps(*local.exact, c.published_interval);
  return c;
}

void AddVeins(const Procedure& p, std::map<core::Vein, VeinOutcome>& veins) {
  std::vector<core::Vein> seen;
  for (const Squeeze& s : p.squeezes) {
    for (core::Vein v : s.target_veins) {
      VeinOutcome& o = veins[v];
      o.vein = v;
      if (std::find(seen.begin(), seen.end(), v) == seen.end()) {
        seen.push_back(v);
        ++o.procedures;
      }
      ++o.squeezes;
      if (!s.migration_observed) ++o.migration_unknown;
      else if (*s.migration_observed) ++o.migration_observed;
      if (!s.thrombus_aspirated) ++o.aspirated_unknown;
      else if (*s.thrombus_aspirated) ++o.aspirated;
    }
  }
}

}  // namespace

core::Result<RegistryReport> Registry(std::span<const Procedure> records,
                                      const RegistryFilter& filter,
                                      const ThrombectomyKnowledge& k) {
  if (auto s = ValidateFilter(filter); !s.ok())
    return core::Result<RegistryReport>(s.kind(), s.errors());
  RegistryReport r;
  r.knowledge_id = k.id;
  r.knowledge_version = k.version;
  r.knowledge_sha256 = k.sha256;
  r.confidence = k.confidence;
  r.filter = filter;
  r.records = static_cast<int>(records.size());
  for (size_t i = 0; i < kCheckCount; ++i) {
    const auto id = static_cast<CheckId>(i);
    r.checks.push_back({id, k.Check(id).severity, 0, 0});
  }

  std::vector<double> counts;
  std::map<int, int> distribution;
  std::map<core::Vein, VeinOutcome> veins;
  Tally migration, recanalization, complication, major;
  for (const Procedure& p : records) {
    if (!Matches(p, filter)) continue;
    ++r.procedures;
    const Outcomes o = ComputeOutcomes(p, k);
    counts.push_back(o.squeeze_count);
    ++distribution[o.squeeze_count];
    r.squeezes.total += o.squeeze_count;
    if (o.squeeze_count > 0) {
      ++r.procedures_with_squeeze;
      migration.Add(o.migration);
    }
    recanalization.Add(o.recanalization);
    complication.Add(o.complication);
    major.Add(o.major_complication);
    if (o.removal_grade) ++r.removal_grades[static_cast<size_t>(*o.removal_grade)];
    else ++r.removal_grade_unknown;
    AddVeins(p, veins);
    for (const CheckResult& c : ProtocolChecks(p, k)) {
      CheckCount& cc = r.checks[static_cast<size_t>(c.id)];
      if (c.status == CheckStatus::kFired) ++cc.fired;
      else if (c.status == CheckStatus::kUnknown) ++cc.unknown;
    }
  }
  r.squeezes.summary = Summarize(counts);
  r.squeezes.distribution.assign(distribution.begin(), distribution.end());
  for (const auto& [vein, outcome] : veins) r.veins.push_back(outcome);
  r.migration = migration.Make(k.confidence);
  r.recanalization = recanalization.Make(k.confidence);
  r.complications = complication.Make(k.confidence);
  r.major_complications = major.Make(k.confidence);

  const PublishedSeries& pub = k.published;
  PublishedComparison& c = r.published;
  c.source = pub.source;
  c.label = pub.label;
  c.population = pub.population;
  c.procedures = pub.procedures;
  c.squeezes_mean = pub.squeezes_mean;
  c.squeezes_min = pub.squeezes_min;
  c.squeezes_max = pub.squeezes_max;
  if (r.squeezes.summary.min && r.squeezes.summary.max)
    c.squeezes_range_within = *r.squeezes.summary.min >= pub.squeezes_min &&
                              *r.squeezes.summary.max <= pub.squeezes_max;
  c.migration = Compare(pub.migration, r.migration, k.confidence);
  c.recanalization = Compare(pub.recanalization, r.recanalization, k.confidence);
  c.complications = Compare(pub.complications, r.complications, k.confidence);
  return r;
}

}  // namespace calfdvt::thrombectomy
