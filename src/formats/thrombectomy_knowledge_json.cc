#include "formats/thrombectomy_knowledge_json.h"

#include <simdjson.h>

#include <algorithm>
#include <array>
#include <cmath>

#include "formats/json_read.h"
#include "formats/sha256.h"

namespace calfdvt::formats {

extern const unsigned char kEmbeddedThrombectomyKnowledge[];
extern const std::size_t kEmbeddedThrombectomyKnowledgeSize;

namespace {

namespace th = calfdvt::thrombectomy;
using internal::element;
using internal::Obj;
using internal::NonEmptyString;
using internal::RequiredBool;
using internal::RequiredInt;
using internal::RequiredNumber;
using internal::RequiredString;
using VeinSet = std::array<bool, core::kVeinCount>;


class Loader {
 public:
  Loader(core::Errors& errors, th::ThrombectomyKnowledge& k) : errors_(errors), k_(k) {}

  void Run(element root) {
    Obj o(root, "",
          {"format", "id", "version", "title", "sources", "eligibility", "isolated_calf_dvt",
           "squeezes", "removal_grades", "statistics", "outcomes", "checks", "published_series"},
          errors_);
    if (!o.valid()) return;
    if (auto f = RequiredString(o, "format"); f && *f != kThrombectomyKnowledgeFormat)
      o.Fail("format", "format", "must be \"calfdvt/thrombectomy-knowledge@1\"");
    k_.id = RequiredString(o, "id").value_or("");
    k_.version = RequiredString(o, "version").value_or("");
    k_.title = RequiredString(o, "title").value_or("");
    if (auto e = o.Require("sources")) Sources(*e);
    if (auto e = o.Require("eligibility")) Eligibility(*e);
    if (auto e = o.Require("isolated_calf_dvt")) IsolatedCalfDvt(*e);
    if (auto e = o.Require("squeezes")) {
      Obj so(*e, "squeezes", {"max_published", "sources"}, errors_);
      k_.max_published_squeezes = RequiredInt(so, "max_published", 1).value_or(0);
      k_.squeezes_sources = SourceList(so, "sources");
    }
    if (auto e = o.Require("removal_grades")) RemovalGrades(*e);
    if (auto e = o.Require("statistics")) {
      Obj so(*e, "statistics", {"confidence", "sources"}, errors_);
      if (auto c = RequiredNumber(so, "confidence")) {
        if (!(*c > 0 && *c < 1))
          so.Fail(so.PathOf("confidence"), "range", "must lie strictly between 0 and 1");
        else k_.confidence = *c;
      }
      k_.statistics_sources = SourceList(so, "sources");
    }
    if (auto e = o.Require("outcomes")) Outcomes(*e);
    if (auto e = o.Require("checks")) Checks(*e);
    if (auto e = o.Require("published_series")) Published(*e);
  }

 private:
  void Fail(std::string path, std::string rule, std::string message) {
    errors_.push_back({std::move(path), std::move(rule), std::move(message)});
  }

  std::optional<double> Proportion(const Obj& o, std::string_view key) {
    auto v = o.Number(key);
    if (v && (*v < 0 || *v > 1)) {
      o.Fail(o.PathOf(key), "range", "must be a proportion between 0 and 1");
      return std::nullopt;
    }
    return v;
  }

  // A required, non-empty list of distinct defined source ids.
  std::vector<std::string> SourceList(const Obj& o, std::string_view key) {
    std::vector<std::string> out;
    auto e = o.Require(key);
    if (!e) return out;
    const std::string path = o.PathOf(key);
    auto arr = internal::ReadArray(*e, path, errors_);
    if (!arr) return out;
    size_t i = 0;
    for (element item : *arr) {
      const std::string ipath = internal::IndexPath(path, i++);
      auto s = internal::ReadString(item, ipath, errors_);
      if (!s) continue;
      if (!k_.FindSource(*s)) {
        Fail(ipath, "reference", "unknown source \"" + std::string(*s) + "\" (not under sources)");
      } else if (std::find(out.begin(), out.end(), *s) != out.end()) {
        Fail(ipath, "duplicate", "source \"" + std::string(*s) + "\" is listed twice");
      } else {
        out.emplace_back(*s);
      }
    }
    if (i == 0) Fail(path, "no_source", "must cite at least one source");
    return out;
  }

  // A required list of distinct vein ids; `non_empty` makes [] an error.
  VeinSet VeinList(const Obj& o, std::string_view key, bool non_empty) {
    VeinSet set{};
    auto e = o.Require(key);
    if (!e) return set;
    const std::string path = o.PathOf(key);
    auto arr = internal::ReadArray(*e, path, errors_);
    if (!arr) return set;
    size_t i = 0;
    for (element item : *arr) {
      const std::string ipath = internal::IndexPath(path, i++);
      auto s = internal::ReadString(item, ipath, errors_);
      if (!s) continue;
      auto v = core::kVeinNames.Parse(*s);
      if (!v) Fail(ipath, "enum", "unknown vein \"" + std::string(*s) + "\"");
      else if (set[static_cast<size_t>(*v)])
        Fail(ipath, "duplicate", "vein \"" + std::string(*s) + "\" is listed twice");
      else set[static_cast<size_t>(*v)] = true;
    }
    if (non_empty && i == 0) Fail(path, "empty", "must name at least one vein");
    return set;
  }

  void Sources(element e) {
    auto arr = internal::ReadArray(e, "sources", errors_);
    if (!arr) return;
    size_t i = 0;
    for (element item : *arr) {
      const std::string path = internal::IndexPath("sources", i++);
      Obj o(item, path, {"id", "tag", "label", "citation", "url", "to_confirm"}, errors_);
      if (!o.valid()) continue;
      th::SourceDef s;
      s.id = RequiredString(o, "id").value_or("");
      s.tag = RequiredString(o, "tag").value_or("");
      s.label = RequiredString(o, "label").value_or("");
      s.citation = RequiredString(o, "citation").value_or("");
      if (auto url = o.String("url")) s.url = std::string(*url);
      s.to_confirm = NonEmptyString(o, "to_confirm").value_or("");
      internal::CheckProvenanceTag(o, "tag", s.tag);
      if (!s.id.empty() && k_.FindSource(s.id))
        o.Fail(o.PathOf("id"), "duplicate", "source \"" + s.id + "\" is defined twice");
      k_.sources.push_back(std::move(s));
    }
    if (i == 0) Fail("sources", "required", "at least one source is required");
  }

  void Eligibility(element e) {
    Obj o(e, "eligibility", {"residual_thrombus_veins", "vein_levels", "sources"}, errors_);
    if (!o.valid()) return;
    k_.eligible_veins = VeinList(o, "residual_thrombus_veins", true);
    bool levels_read = false;
    VeinSet invalid{};  // levels already reported as errors
    if (auto lv = o.Require("vein_levels")) levels_read = VeinLevels(*lv, invalid);
    k_.eligibility_sources = SourceList(o, "sources");
    if (!levels_read) return;
    for (size_t i = 0; i < core::kVeinCount; ++i)
      if (k_.eligible_veins[i] && !k_.vein_levels[i] && !invalid[i])
        Fail("eligibility.vein_levels." + std::string(core::kVeinNames.names[i]), "consistency",
             "an eligible vein needs a level (below the access site is decided by levels)");
  }

  // Every vein of the vocabulary must be present: a whole number 0..100, or null (no level).
  // Veins whose level is missing or invalid are marked in `invalid`.
  bool VeinLevels(element e, VeinSet& invalid) {
    const std::string path = "eligibility.vein_levels";
    std::initializer_list<std::string_view> names = {
        "anterior_tibial", "posterior_tibial", "peroneal", "tibioperoneal_trunk",
        "gastrocnemius_medial", "gastrocnemius_lateral", "soleal", "popliteal", "femoral",
        "deep_femoral", "common_femoral", "external_iliac", "common_iliac",
        "inferior_vena_cava", "great_saphenous", "small_saphenous"};
    Obj o(e, path, names, errors_);
    if (!o.valid()) return false;
    simdjson::dom::object obj;
    if (e.get(obj) != simdjson::SUCCESS) return false;  // Obj already reported it
    for (size_t i = 0; i < core::kVeinCount; ++i) {
      const std::string_view name = core::kVeinNames.names[i];
      element value;
      if (obj.at_key(name).get(value) != simdjson::SUCCESS) {
        o.Fail(o.PathOf(name), "required", "is required (a whole number, or null for no level)");
        invalid[i] = true;
        continue;
      }
      if (value.is_null()) continue;
      auto level = internal::ReadNumber(value, o.PathOf(name), errors_);
      if (!level) {
        invalid[i] = true;
        continue;
      }
      if (*level != std::floor(*level) || *level < 0 || *level > 100) {
        o.Fail(o.PathOf(name), "range", "must be a whole number from 0 to 100, or null");
        invalid[i] = true;
        continue;
      }
      k_.vein_levels[i] = static_cast<int>(*level);
    }
    return true;
  }

  void IsolatedCalfDvt(element e) {
    Obj o(e, "isolated_calf_dvt", {"calf_veins", "ignored_veins", "sources"}, errors_);
    if (!o.valid()) return;
    k_.calf_veins = VeinList(o, "calf_veins", true);
    k_.ignored_veins = VeinList(o, "ignored_veins", false);
    k_.isolated_calf_dvt_sources = SourceList(o, "sources");
    for (size_t i = 0; i < core::kVeinCount; ++i)
      if (k_.calf_veins[i] && k_.ignored_veins[i])
        Fail("isolated_calf_dvt.ignored_veins", "consistency",
             "vein \"" + std::string(core::kVeinNames.names[i]) +
                 "\" cannot be both a calf vein and ignored");
  }

  void RemovalGrades(element e) {
    Obj o(e, "removal_grades",
          {"grade_ii_min_removal_percent", "grade_iii_min_removal_percent", "sources"}, errors_);
    if (!o.valid()) return;
    // NaN marks "absent or invalid" (a JSON number is never NaN).
    const double nan = std::nan("");
    double ii = RequiredNumber(o, "grade_ii_min_removal_percent").value_or(nan);
    double iii = RequiredNumber(o, "grade_iii_min_removal_percent").value_or(nan);
    if (!std::isnan(ii) && !(ii > 0 && ii < 100)) {
      o.Fail(o.PathOf("grade_ii_min_removal_percent"), "range", "must lie between 0 and 100");
      ii = nan;
    }
    if (!std::isnan(iii) && !(iii > 0 && iii <= 100)) {
      o.Fail(o.PathOf("grade_iii_min_removal_percent"), "range", "must lie above 0, at most 100");
      iii = nan;
    }
    if (!std::isnan(ii) && !std::isnan(iii) && ii >= iii)
      o.Fail(o.PathOf("grade_iii_min_removal_percent"), "order",
             "must be greater than grade_ii_min_removal_percent");
    if (!std::isnan(ii)) k_.grade_ii_min_removal_percent = ii;
    if (!std::isnan(iii)) k_.grade_iii_min_removal_percent = iii;
    k_.removal_grade_sources = SourceList(o, "sources");
  }

  void Outcomes(element e) {
    Obj o(e, "outcomes",
          {"squeeze_count", "migration", "removal_grade", "recanalization", "complication",
           "major_complication"},
          errors_);
    if (!o.valid()) return;
    for (size_t i = 0; i < th::kOutcomeCount; ++i) {
      const std::string_view name = th::kOutcomeIdNames.names[i];
      auto d = o.Require(name);
      if (!d) continue;
      Obj od(*d, o.PathOf(name), {"label", "definition", "sources"}, errors_);
      th::OutcomeDef& def = k_.outcomes[i];
      def.label = RequiredString(od, "label").value_or("");
      def.definition = RequiredString(od, "definition").value_or("");
      def.sources = SourceList(od, "sources");
    }
  }

  void Checks(element e) {
    Obj o(e, "checks",
          {"outside_eligibility", "no_embolic_protection", "squeezes_beyond_published",
           "squeeze_without_aspiration", "isolated_calf_dvt_indication"},
          errors_);
    if (!o.valid()) return;
    for (size_t i = 0; i < th::kCheckCount; ++i) {
      const std::string_view name = th::kCheckIdNames.names[i];
      auto c = o.Require(name);
      if (!c) continue;
      Obj co(*c, o.PathOf(name), {"severity", "title", "message", "basis", "sources"}, errors_);
      th::CheckDef& def = k_.checks[i];
      if (co.Require("severity"))
        def.severity = co.Enum("severity", th::kSeverityNames).value_or(th::Severity::kCritical);
      def.title = RequiredString(co, "title").value_or("");
      def.message = RequiredString(co, "message").value_or("");
      def.basis = RequiredString(co, "basis").value_or("");
      def.sources = SourceList(co, "sources");
    }
  }

  void PublishedProportion(const Obj& parent, std::string_view key, int procedures,
                           th::PublishedProportion& out) {
    auto e = parent.Require(key);
    if (!e) return;
    Obj o(*e, parent.PathOf(key), {"k", "n", "ci_low", "ci_high"}, errors_);
    if (!o.valid()) return;
    auto k = RequiredInt(o, "k", 0);
    auto n = RequiredInt(o, "n", 1);
    if (k && n && *k > *n) o.Fail(o.PathOf("k"), "range", "must not exceed n");
    if (n && procedures > 0 && *n > procedures)
      o.Fail(o.PathOf("n"), "range", "must not exceed published_series.procedures");
    out.k = k.value_or(0);
    out.n = n.value_or(1);
    out.stated_low = Proportion(o, "ci_low");
    out.stated_high = Proportion(o, "ci_high");
    if (o.Find("ci_low").has_value() != o.Find("ci_high").has_value())
      o.Fail(o.PathOf(o.Find("ci_low") ? "ci_high" : "ci_low"), "required",
             "ci_low and ci_high are given together");
    else if (out.stated_low && out.stated_high && *out.stated_low > *out.stated_high)
      o.Fail(o.PathOf("ci_high"), "order", "must not be below ci_low");
  }

  void Published(element e) {
    Obj o(e, "published_series",
          {"source", "label", "population", "procedures", "squeezes", "migration",
           "recanalization", "complications"},
          errors_);
    if (!o.valid()) return;
    th::PublishedSeries& p = k_.published;
    if (auto s = RequiredString(o, "source")) {
      if (!k_.FindSource(*s))
        o.Fail(o.PathOf("source"), "reference", "unknown source \"" + *s + "\" (not under sources)");
      p.source = *s;
    }
    p.label = RequiredString(o, "label").value_or("");
    p.population = RequiredString(o, "population").value_or("");
    p.procedures = RequiredInt(o, "procedures", 1).value_or(0);
    if (auto s = o.Require("squeezes")) {
      Obj so(*s, o.PathOf("squeezes"), {"mean", "min", "max"}, errors_);
      auto mean = RequiredNumber(so, "mean");
      auto min = RequiredInt(so, "min", 0);
      auto max = RequiredInt(so, "max", 0);
      if (min && max && *min > *max) so.Fail(so.PathOf("max"), "order", "must not be below min");
      else if (mean && min && max && (*mean < *min || *mean > *max))
        so.Fail(so.PathOf("mean"), "range", "must lie between min and max");
      p.squeezes_mean = mean.value_or(0);
      p.squeezes_min = min.value_or(0);
      p.squeezes_max = max.value_or(0);
    }
    PublishedProportion(o, "migration", p.procedures, p.migration);
    PublishedProportion(o, "recanalization", p.procedures, p.recanalization);
    PublishedProportion(o, "complications", p.procedures, p.complications);
  }

  core::Errors& errors_;
  th::ThrombectomyKnowledge& k_;
};

}  // namespace

core::Result<th::ThrombectomyKnowledge> LoadThrombectomyKnowledge(std::string_view bytes) {
  simdjson::dom::parser parser;
  element root;
  if (auto err = parser.parse(bytes.data(), bytes.size(), true).get(root))
    return core::Result<th::ThrombectomyKnowledge>(core::ErrorKind::kInvalidInput,
                                                   {internal::ParseError(err)});
  core::Errors errors;
  th::ThrombectomyKnowledge k;
  Loader(errors, k).Run(root);
  if (!errors.empty())
    return core::Result<th::ThrombectomyKnowledge>(core::ErrorKind::kInvalidInput,
                                                   std::move(errors));
  k.sha256 = Sha256Hex(bytes);
  return k;
}

std::string_view EmbeddedThrombectomyKnowledgeBytes() {
  return std::string_view(reinterpret_cast<const char*>(kEmbeddedThrombectomyKnowledge),
                          kEmbeddedThrombectomyKnowledgeSize);
}

core::Result<th::ThrombectomyKnowledge> LoadEmbeddedThrombectomyKnowledge() {
  auto r = LoadThrombectomyKnowledge(EmbeddedThrombectomyKnowledgeBytes());
  if (!r.ok())
    return core::Result<th::ThrombectomyKnowledge>(core::ErrorKind::kInternal, r.errors());
  return r;
}

}  // namespace calfdvt::formats
