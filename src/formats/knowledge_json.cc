#include "formats/knowledge_json.h"

#include <simdjson.h>

#include <array>
#include <cmath>

#include "formats/json_read.h"
#include "formats/sha256.h"
#include "surveillance/episode.h"

namespace calfdvt::formats {

extern const unsigned char kEmbeddedKnowledge[];
extern const std::size_t kEmbeddedKnowledgeSize;

namespace {

namespace pw = calfdvt::pathway;
using internal::element;
using internal::Obj;
using internal::NonEmptyString;
using internal::RequiredBool;
using internal::RequiredInt;
using internal::RequiredNumber;
using internal::RequiredString;

constexpr std::array<std::string_view, 9> kRuleIds = {"R1", "R2", "R3", "R4", "R5",
                                                      "R6", "R7", "R8", "R9"};

class Loader {
 public:
  explicit Loader(core::Errors& errors) : errors_(errors) {}

  void Run(element root, pw::Knowledge& k) {
    Obj o(root, "",
          {"format", "id", "version", "title", "default_profile", "sources", "rules", "veins",
           "features", "profiles", "bleeding", "surveillance", "regimen", "alerts", "episode_alerts", "notes",
           "evidence", "labels"},
          errors_);
    if (!o.valid()) return;
    if (auto f = RequiredString(o, "format"); f && *f != kKnowledgeFormat)
      o.Fail("format", "format", "must be \"calfdvt/knowledge@1\"");
    k.id = RequiredString(o, "id").value_or("");
    k.version = RequiredString(o, "version").value_or("");
    k.title = RequiredString(o, "title").value_or("");
    k.default_profile = RequiredString(o, "default_profile").value_or("");
    if (auto e = o.Require("sources")) Sources(*e, k);
    k_ = &k;
    if (auto e = o.Require("rules")) Rules(*e, k);
    if (auto e = o.Require("veins")) Veins(*e, k);
    if (auto e = o.Require("features")) Features(*e, k);
    if (auto e = o.Require("profiles")) Profiles(*e, k);
    if (auto e = o.Require("bleeding")) BleedingDef(*e, k);
    if (auto e = o.Require("surveillance")) Surveillance(*e, k);
    if (auto e = o.Require("regimen")) Regimen(*e, k);
    if (auto e = o.Require("alerts")) Alerts(*e, k);
    if (auto e = o.Require("episode_alerts")) EpisodeAlerts(*e, k);
    if (auto e = o.Require("notes")) Notes(*e, k);
    if (auto e = o.Require("evidence")) Evidence(*e, k);
    if (auto e = o.Require("labels")) Labels(*e, k);
    if (!k.default_profile.empty() && !k.FindProfile(k.default_profile) && !k.profiles.empty())
      o.Fail("default_profile", "reference",
             "names profile \"" + k.default_profile + "\", which is not defined under profiles");
  }

 private:
  void Fail(std::string path, std::string rule, std::string message) {
    errors_.push_back({std::move(path), std::move(rule), std::move(message)});
  }

  std::string OptionalString(const Obj& o, std::string_view key) {
    auto s = o.String(key);
    return s ? std::string(*s) : std::string();
  }

  // A non-empty list of known source ids.
  pw::SourceSet SourceList(const Obj& o, std::string_view key) {
    auto e = o.Require(key);
    const std::string path = o.PathOf(key);
    if (!e) return 0;
    auto arr = internal::ReadArray(*e, path, errors_);
    if (!arr) return 0;
    pw::SourceSet set = 0;
    size_t i = 0;
    for (element item : *arr) {
      const std::string ipath = internal::IndexPath(path, i++);
      auto s = internal::ReadString(item, ipath, errors_);
      if (!s) continue;
      auto idx = k_ ? k_->FindSource(*s) : std::nullopt;
      if (!idx) {
        Fail(ipath, "reference", "unknown source \"" + std::string(*s) + "\" (not under sources)");
        continue;
      }
      // Beyond the 64 a SourceSet can hold: already a load error at "sources"; never shift by it.
      if (*idx >= 64) continue;
      set |= pw::SourceSet{1} << *idx;
    }
    if (i == 0) Fail(path, "no_source", "must cite at least one source");
    return set;
  }

  std::string RuleRef(const Obj& o) {
    auto r = RequiredString(o, "rule");
    if (!r) return {};
    if (std::find(kRuleIds.begin(), kRuleIds.end(), *r) == kRuleIds.end())
      o.Fail(o.PathOf("rule"), "reference", "unknown rule \"" + *r + "\" (R1..R9)");
    return *r;
  }

  void Sources(element e, pw::Knowledge& k) {
    auto arr = internal::ReadArray(e, "sources", errors_);
    if (!arr) return;
    size_t i = 0;
    for (element item : *arr) {
      const std::string path = internal::IndexPath("sources", i++);
      Obj o(item, path, {"id", "tag", "label", "citation", "url"}, errors_);
      if (!o.valid()) continue;
      pw::SourceDef s;
      s.id = RequiredString(o, "id").value_or("");
      s.tag = RequiredString(o, "tag").value_or("");
      s.label = RequiredString(o, "label").value_or("");
      s.citation = RequiredString(o, "citation").value_or("");
      s.url = OptionalString(o, "url");
      internal::CheckProvenanceTag(o, "tag", s.tag);
      if (!s.id.empty() && k.FindSource(s.id))
        o.Fail(o.PathOf("id"), "duplicate", "source \"" + s.id + "\" is defined twice");
      k.sources.push_back(std::move(s));
    }
    if (k.sources.size() > 64) Fail("sources", "range", "at most 64 sources");
  }

  void Rules(element e, pw::Knowledge& k) {
    Obj o(e, "rules", {"R1", "R2", "R3", "R4", "R5", "R6", "R7", "R8", "R9"}, errors_);
    if (!o.valid()) return;
    for (std::string_view id : kRuleIds) {
      auto r = o.Require(id);
      if (!r) continue;
      Obj ro(*r, o.PathOf(id), {"title", "sources"}, errors_);
      pw::RuleDef def;
      def.id = std::string(id);
      def.title = RequiredString(ro, "title").value_or("");
      def.sources = SourceList(ro, "sources");
      k.rules.push_back(std::move(def));
    }
  }

  void Veins(element e, pw::Knowledge& k) {
    Obj o(e, "veins",
          {"anterior_tibial", "posterior_tibial", "peroneal", "tibioperoneal_trunk",
           "gastrocnemius_medial", "gastrocnemius_lateral", "soleal", "popliteal", "femoral",
           "deep_femoral", "common_femoral", "external_iliac", "common_iliac",
           "inferior_vena_cava", "great_saphenous", "small_saphenous"},
          errors_);
    if (!o.valid()) return;
    for (size_t i = 0; i < core::kVeinCount; ++i) {
      const std::string_view id = core::kVeinNames.names[i];
      auto v = o.Require(id);
      if (!v) continue;
      Obj vo(*v, o.PathOf(id), {"class", "kind", "close_to_proximal", "group", "label"}, errors_);
      pw::VeinDef& def = k.veins[i];
      // Both checked before giving up, so a vein lacking both reports both.
      const bool has_class = vo.Require("class").has_value();
      const bool has_kind = vo.Require("kind").has_value();
      if (!has_class || !has_kind) continue;
      def.vein_class = vo.Enum("class", pw::kVeinClassNames).value_or(pw::VeinClass::kDistal);
      def.kind = vo.Enum("kind", pw::kVeinKindNames).value_or(pw::VeinKind::kNone);
      def.close_to_proximal = RequiredBool(vo, "close_to_proximal").value_or(false);
      def.group = RequiredString(vo, "group").value_or(std::string(id));
      def.label = RequiredString(vo, "label").value_or(std::string(id));
      const bool distal = def.vein_class == pw::VeinClass::kDistal;
      if (distal == (def.kind == pw::VeinKind::kNone))
        vo.Fail(vo.PathOf("kind"), "consistency",
                "distal veins must be axial or muscular; other veins must be none");
    }
  }

  void Features(element e, pw::Knowledge& k) {
    Obj o(e, "features",
          {"length_over_5cm", "multiple_veins", "diameter_over_7mm", "near_proximal_veins",
           "d_dimer_positive", "unprovoked", "active_cancer", "prior_vte",
           "inpatient_or_recent_hospitalization", "recent_surgery", "severe_symptoms", "covid19"},
          errors_);
    if (!o.valid()) return;
    for (size_t i = 0; i < pw::kFeatureCount; ++i) {
      const auto id = static_cast<pw::Feature>(i);
      const std::string_view name = pw::kFeatureNames.names[i];
      auto f = o.Require(name);
      if (!f) continue;
      const bool numeric = id == pw::Feature::kLengthOver5cm || id == pw::Feature::kMultipleVeins ||
                           id == pw::Feature::kDiameterOver7mm ||
                           id == pw::Feature::kNearProximalVeins;
      const bool hospital = id == pw::Feature::kInpatientOrRecentHospitalization;
      Obj fo(*f, o.PathOf(name),
             {"label", "rule", "sources", "threshold", "unit", "prompt",
              "recent_hospitalization_sources"},
             errors_);
      pw::FeatureDef& def = k.features[i];
      def.label = RequiredString(fo, "label").value_or("");
      def.rule = RuleRef(fo);
      def.sources = SourceList(fo, "sources");
      def.unit = OptionalString(fo, "unit");
      def.prompt = OptionalString(fo, "prompt");
      if (numeric) {
        def.threshold = RequiredNumber(fo, "threshold");
        if (def.threshold && !(*def.threshold > 0))
          fo.Fail(fo.PathOf("threshold"), "range", "must be greater than 0");
      } else if (fo.Find("threshold")) {
        fo.Fail(fo.PathOf("threshold"), "unknown_field", "this feature has no threshold");
      }
      if (hospital) def.secondary_sources = SourceList(fo, "recent_hospitalization_sources");
      else if (fo.Find("recent_hospitalization_sources"))
        fo.Fail(fo.PathOf("recent_hospitalization_sources"), "unknown_field",
                "only inpatient_or_recent_hospitalization has recent_hospitalization_sources");
    }
  }

  void Profiles(element e, pw::Knowledge& k) {
    simdjson::dom::object obj;
    if (e.get(obj) != simdjson::SUCCESS) {
      Fail("profiles", "type", "must be an object");
      return;
    }
    std::vector<std::string_view> seen;
    for (auto [key, value] : obj) {
      const std::string path = internal::JoinPath("profiles", key);
      if (std::find(seen.begin(), seen.end(), key) != seen.end()) {
        Fail(path, "duplicate_key", "malformed JSON: duplicate key \"" + std::string(key) + "\"");
        continue;
      }
      seen.push_back(key);
      Obj o(value, path,
            {"label", "description", "sources", "counted_features", "persistent_is_unprovoked",
             "recent_hospitalization_counts", "cancer_agent", "cancer_agent_sources",
             "flag_features_without_source"},
            errors_);
      if (!o.valid()) continue;
      pw::ProfileDef p;
      p.id = std::string(key);
      p.label = RequiredString(o, "label").value_or("");
      p.description = RequiredString(o, "description").value_or("");
      p.sources = SourceList(o, "sources");
      if (auto cf = o.Require("counted_features")) {
        const std::string cpath = o.PathOf("counted_features");
        if (auto arr = internal::ReadArray(*cf, cpath, errors_)) {
          size_t i = 0;
          for (element item : *arr) {
            const std::string ipath = internal::IndexPath(cpath, i++);
            auto s = internal::ReadString(item, ipath, errors_);
            if (!s) continue;
            auto f = pw::kFeatureNames.Parse(*s);
            if (!f) Fail(ipath, "enum", "unknown feature \"" + std::string(*s) + "\"");
            else if (p.counted[static_cast<size_t>(*f)])
              Fail(ipath, "duplicate", "feature \"" + std::string(*s) + "\" is listed twice");
            else p.counted[static_cast<size_t>(*f)] = true;
          }
        }
      }
      p.persistent_is_unprovoked = RequiredBool(o, "persistent_is_unprovoked").value_or(false);
      p.recent_hospitalization_counts =
          RequiredBool(o, "recent_hospitalization_counts").value_or(false);
      if (o.Require("cancer_agent"))
        p.cancer_agent = o.Enum("cancer_agent", pw::kAgentNames).value_or(pw::Agent::kLmwh);
      p.cancer_agent_sources = SourceList(o, "cancer_agent_sources");
      if (auto s = o.String("flag_features_without_source")) {
        p.flag_features_without_source = k.FindSource(*s);
        if (!p.flag_features_without_source)
          o.Fail(o.PathOf("flag_features_without_source"), "reference",
                 "unknown source \"" + std::string(*s) + "\"");
      }
      k.profiles.push_back(std::move(p));
    }
    if (k.profiles.empty()) Fail("profiles", "required", "at least one profile is required");
  }

  void BleedingDef(element e, pw::Knowledge& k) {
    Obj o(e, "bleeding", {"sources", "points", "nested", "categories"}, errors_);
    if (!o.valid()) return;
    k.bleeding.sources = SourceList(o, "sources");
    if (auto pts = o.Require("points")) {
      std::initializer_list<std::string_view> names = {
          "age_over_65", "age_over_75", "previous_bleeding", "cancer", "metastatic_cancer",
          "renal_failure", "liver_failure", "thrombocytopenia", "previous_stroke", "diabetes",
          "anemia", "antiplatelet_therapy", "poor_anticoagulant_control",
          "comorbidity_reduced_function", "recent_surgery", "frequent_falls", "alcohol_abuse"};
      Obj po(*pts, "bleeding.points", names, errors_);
      for (size_t i = 0; i < pw::kBleedingFactorCount; ++i)
        k.bleeding.points[i] = RequiredInt(po, pw::kBleedingFactorNames.names[i], 0).value_or(0);
    }
    if (auto nested = o.Require("nested")) {
      if (auto arr = internal::ReadArray(*nested, "bleeding.nested", errors_)) {
        size_t i = 0;
        for (element pair : *arr) {
          const std::string path = internal::IndexPath("bleeding.nested", i++);
          auto pa = internal::ReadArray(pair, path, errors_);
          if (!pa) continue;
          std::vector<pw::BleedingFactor> fs;
          size_t j = 0;
          for (element item : *pa) {
            const std::string ipath = internal::IndexPath(path, j++);
            auto s = internal::ReadString(item, ipath, errors_);
            if (!s) continue;
            if (auto f = pw::kBleedingFactorNames.Parse(*s)) fs.push_back(*f);
            else Fail(ipath, "enum", "unknown bleeding risk factor \"" + std::string(*s) + "\"");
          }
          if (j != 2) Fail(path, "shape", "must be a pair [lower, higher]");
          else if (fs.size() == 2 && fs[0] == fs[1])
            // Scoring subtracts the lower member when both are given: a self-pair would cancel it.
            Fail(path, "consistency", "must name two different bleeding risk factors");
          else if (fs.size() == 2) k.bleeding.nested.emplace_back(fs[0], fs[1]);
        }
      }
    }
    if (auto cats = o.Require("categories")) {
      Obj co(*cats, "bleeding.categories", {"low", "moderate", "high"}, errors_);
      int previous = -1;
      for (size_t i = 0; i < 3; ++i) {
        const std::string_view name = pw::kBleedingCategoryNames.names[i];
        auto c = co.Require(name);
        if (!c) continue;
        Obj cat(*c, co.PathOf(name), {"min_points", "major_bleeding_3mo"}, errors_);
        auto min = RequiredInt(cat, "min_points", 0);
        auto risk = RequiredNumber(cat, "major_bleeding_3mo");
        if (min) {
          if (i == 0 && *min != 0) cat.Fail(cat.PathOf("min_points"), "range", "low must start at 0 points");
          if (*min <= previous)
            cat.Fail(cat.PathOf("min_points"), "order", "must be greater than the previous category's");
          previous = *min;
          k.bleeding.categories[i].min_points = *min;
        }
        if (risk) {
          if (*risk < 0 || *risk > 1)
            cat.Fail(cat.PathOf("major_bleeding_3mo"), "range", "must be a proportion between 0 and 1");
          k.bleeding.categories[i].major_bleeding_3mo = *risk;
        }
      }
    }
  }

  void Surveillance(element e, pw::Knowledge& k) {
    Obj o(e, "surveillance", {"sources", "scans"}, errors_);
    if (!o.valid()) return;
    k.surveillance.sources = SourceList(o, "sources");
    auto scans = o.Require("scans");
    if (!scans) return;
    auto arr = internal::ReadArray(*scans, "surveillance.scans", errors_);
    if (!arr) return;
    size_t i = 0;
    int previous_day = 0;
    for (element item : *arr) {
      const std::string path = internal::IndexPath("surveillance.scans", i++);
      Obj so(item, path, {"day", "window_before_days", "window_after_days"}, errors_);
      pw::ScanDef s;
      s.day = RequiredInt(so, "day", 1).value_or(0);
      s.window_before_days = RequiredInt(so, "window_before_days", 0).value_or(0);
      s.window_after_days = RequiredInt(so, "window_after_days", 0).value_or(0);
      if (s.day && s.day <= previous_day)
        so.Fail(so.PathOf("day"), "order", "scan days must increase");
      if (s.day && s.window_before_days >= s.day)
        so.Fail(so.PathOf("window_before_days"), "range", "the window must start after day 0");
      previous_day = s.day;
      k.surveillance.scans.push_back(s);
    }
    if (i == 0) Fail("surveillance.scans", "required", "at least one scan is required");
  }

  void Regimen(element e, pw::Knowledge& k) {
    Obj o(e, "regimen",
          {"sources", "isolated_distal_minimum_months", "proximal_minimum_months",
           "cancer_minimum_months", "pregnancy_minimum_months", "postpartum_minimum_weeks",
           "pregnancy_check_max_age", "vka_if", "agents"},
          errors_);
    if (!o.valid()) return;
    auto& r = k.regimen;
    r.sources = SourceList(o, "sources");
    r.isolated_distal_minimum_months = RequiredInt(o, "isolated_distal_minimum_months", 1).value_or(3);
    r.proximal_minimum_months = RequiredInt(o, "proximal_minimum_months", 1).value_or(3);
    r.cancer_minimum_months = RequiredInt(o, "cancer_minimum_months", 1).value_or(3);
    r.pregnancy_minimum_months = RequiredInt(o, "pregnancy_minimum_months", 1).value_or(3);
    r.postpartum_minimum_weeks = RequiredInt(o, "postpartum_minimum_weeks", 1).value_or(6);
    r.pregnancy_check_max_age = RequiredInt(o, "pregnancy_check_max_age", 0).value_or(55);
    if (auto v = o.Require("vka_if")) {
      Obj vo(*v, "regimen.vka_if", {"crcl_below_ml_min", "severe_liver_disease", "antiphospholipid_syndrome"}, errors_);
      auto crcl = RequiredNumber(vo, "crcl_below_ml_min");
      if (crcl && *crcl < 0) vo.Fail(vo.PathOf("crcl_below_ml_min"), "range", "must not be negative");
      r.vka_if_crcl_below_ml_min = crcl.value_or(30);
      r.vka_if_severe_liver_disease = RequiredBool(vo, "severe_liver_disease").value_or(true);
      r.vka_if_antiphospholipid_syndrome = RequiredBool(vo, "antiphospholipid_syndrome").value_or(true);
    }
    if (auto a = o.Require("agents")) {
      Obj ao(*a, "regimen.agents", {"doac", "lmwh", "vka", "oral_xa_inhibitor"}, errors_);
      for (size_t i = 0; i < 4; ++i) {
        const std::string_view name = pw::kAgentNames.names[i];
        auto ag = ao.Require(name);
        if (!ag) continue;
        Obj go(*ag, ao.PathOf(name), {"label", "sources"}, errors_);
        r.agents[i].label = RequiredString(go, "label").value_or("");
        r.agents[i].sources = SourceList(go, "sources");
      }
    }
  }

  void Alerts(element e, pw::Knowledge& k) {
    Obj o(e, "alerts",
          {"calf_veins_not_assessed", "followup_imaging_required", "followup_overdue",
           "extension_detected", "closer_monitoring", "pregnancy_lmwh_only", "bleeding_risk_high",
           "anticoagulation_contraindicated", "cancer_extended_therapy", "seed_only_criterion",
           "superficial_only"},
          errors_);
    if (!o.valid()) return;
    for (size_t i = 0; i < pw::kAlertCodeCount; ++i) {
      const std::string_view name = pw::kAlertCodeNames.names[i];
      auto a = o.Require(name);
      if (!a) continue;
      Obj ao(*a, o.PathOf(name),
             {"severity", "severity_proximal", "rule", "sources", "message", "message_proximal"},
             errors_);
      pw::AlertDef& def = k.alerts[i];
      if (ao.Require("severity"))
        def.severity = ao.Enum("severity", pw::kSeverityNames).value_or(pw::Severity::kInfo);
      def.severity_proximal = ao.Enum("severity_proximal", pw::kSeverityNames);
      def.rule = RuleRef(ao);
      def.sources = SourceList(ao, "sources");
      def.message = RequiredString(ao, "message").value_or("");
      def.message_proximal = OptionalString(ao, "message_proximal");
    }
  }

  void EpisodeAlerts(element e, pw::Knowledge& k) {
    Obj o(e, "episode_alerts",
          {"untreated_without_followup", "followup_overdue", "scan_cancelled_untreated",
           "extension_untreated"},
          errors_);
    if (!o.valid()) return;
    for (const auto& name : surveillance::kSafetyCodeNames.names) {
      auto a = o.Require(name);
      if (!a) continue;
      Obj ao(*a, o.PathOf(name), {"severity", "rule", "sources", "message"}, errors_);
      pw::AlertDef def;
      if (ao.Require("severity"))
        def.severity = ao.Enum("severity", pw::kSeverityNames).value_or(pw::Severity::kCritical);
      def.rule = RuleRef(ao);
      def.sources = SourceList(ao, "sources");
      def.message = RequiredString(ao, "message").value_or("");
      k.episode_alerts.emplace_back(std::string(name), std::move(def));
    }
  }

  void Notes(element e, pw::Knowledge& k) {
    simdjson::dom::object obj;
    if (e.get(obj) != simdjson::SUCCESS) {
      Fail("notes", "type", "must be an object");
      return;
    }
    std::array<bool, pw::kNoteCount> seen{};
    for (auto [key, value] : obj) {
      const std::string path = internal::JoinPath("notes", key);
      auto n = pw::kNoteNames.Parse(key);
      if (!n) {
        Fail(path, "unknown_field", "unknown note \"" + std::string(key) + "\"");
        continue;
      }
      const size_t i = static_cast<size_t>(*n);
      if (seen[i]) {
        Fail(path, "duplicate_key", "malformed JSON: duplicate key \"" + std::string(key) + "\"");
        continue;
      }
      seen[i] = true;
      Obj no(value, path, {"rule", "sources", "text"}, errors_);
      k.notes[i].rule = RuleRef(no);
      k.notes[i].sources = SourceList(no, "sources");
      k.notes[i].text = RequiredString(no, "text").value_or("");
    }
    for (size_t i = 0; i < pw::kNoteCount; ++i)
      if (!seen[i])
        Fail(internal::JoinPath("notes", pw::kNoteNames.names[i]), "required", "is required");
  }

  void Evidence(element e, pw::Knowledge& k) {
    Obj o(e, "evidence", {"items", "conclusion"}, errors_);
    if (!o.valid()) return;
    if (auto c = o.Require("conclusion")) {
      Obj co(*c, "evidence.conclusion", {"source", "claim"}, errors_);
      k.evidence_conclusion = RequiredString(co, "claim").value_or("");
      if (auto s = RequiredString(co, "source")) {
        auto idx = k.FindSource(*s);
        if (!idx) co.Fail(co.PathOf("source"), "reference", "unknown source \"" + *s + "\"");
        else k.evidence_conclusion_source = *idx;
      }
    }
    auto items = o.Require("items");
    if (!items) return;
    auto arr = internal::ReadArray(*items, "evidence.items", errors_);
    if (!arr) return;
    size_t i = 0;
    for (element item : *arr) {
      const std::string path = internal::IndexPath("evidence.items", i++);
      Obj io(item, path, {"id", "source", "claim"}, errors_);
      pw::EvidenceDef ev;
      ev.id = RequiredString(io, "id").value_or("");
      ev.claim = RequiredString(io, "claim").value_or("");
      if (auto s = RequiredString(io, "source")) {
        auto idx = k.FindSource(*s);
        if (!idx) io.Fail(io.PathOf("source"), "reference", "unknown source \"" + *s + "\"");
        else ev.source = *idx;
      }
      k.evidence.push_back(std::move(ev));
    }
    if (i == 0) Fail("evidence.items", "required", "at least one evidence item is required");
  }

  void Labels(element e, pw::Knowledge& k) {
    Obj o(e, "labels", {"strategies", "favouring_imaging"}, errors_);
    if (!o.valid()) return;
    if (auto s = o.Require("strategies")) {
      Obj so(*s, "labels.strategies",
             {"anticoagulate", "serial_imaging", "proximal_dvt_pathway", "complete_imaging_first",
              "out_of_scope"},
             errors_);
      for (size_t i = 0; i < 5; ++i)
        k.strategy_labels[i] = RequiredString(so, pw::kStrategyNames.names[i]).value_or("");
    }
    if (auto f = o.Require("favouring_imaging")) {
      Obj fo(*f, "labels.favouring_imaging",
             {"muscular_only", "bleeding_risk_high", "bleeding_risk_moderate",
              "no_extension_risk_factors", "preference_avoid"},
             errors_);
      for (size_t i = 0; i < 5; ++i)
        k.favouring_labels[i] = RequiredString(fo, pw::kFavouringNames.names[i]).value_or("");
    }
  }

  core::Errors& errors_;
  const pw::Knowledge* k_ = nullptr;
};

}  // namespace

core::Result<pw::Knowledge> LoadKnowledge(std::string_view bytes) {
  simdjson::dom::parser parser;
  simdjson::dom::element root;
  if (auto err = parser.parse(bytes.data(), bytes.size(), true).get(root))
    return core::Result<pw::Knowledge>(core::ErrorKind::kInvalidInput, {internal::ParseError(err)});
  core::Errors errors;
  pw::Knowledge k;
  Loader(errors).Run(root, k);
  if (!errors.empty()) return core::Result<pw::Knowledge>(core::ErrorKind::kInvalidInput, std::move(errors));
  k.sha256 = Sha256Hex(bytes);
  return k;
}

std::string_view EmbeddedKnowledgeBytes() {
  return std::string_view(reinterpret_cast<const char*>(kEmbeddedKnowledge), kEmbeddedKnowledgeSize);
}

core::Result<pw::Knowledge> LoadEmbeddedKnowledge() {
  auto r = LoadKnowledge(EmbeddedKnowledgeBytes());
  if (!r.ok()) return core::Result<pw::Knowledge>(core::ErrorKind::kInternal, r.errors());
  return r;
}

}  // namespace calfdvt::formats
