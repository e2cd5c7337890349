// Strict loader of knowledge/fhir-map.json: unknown keys, wrong types, unknown enum values,
// duplicates and missing entries are load errors naming the JSON path (formats-style).
#include "fhir/code_map.h"

#include <simdjson.h>

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <cstdlib>

#include "formats/json_read.h"
#include "formats/sha256.h"

namespace calfdvt::fhir {

extern const unsigned char kEmbeddedCodeMap[];
extern const std::size_t kEmbeddedCodeMapSize;

namespace {

using formats::internal::element;
using formats::internal::Obj;
namespace in = formats::internal;

// ICD-10-CM codes are compared without dots, upper case.
std::string Normalise(std::string_view system, std::string_view code) {
  std::string out;
  out.reserve(code.size());
  const bool icd = system == kIcd10CmSystem;
  for (char ch : code) {
    if (icd && ch == '.') continue;
    out.push_back(icd ? static_cast<char>(std::toupper(static_cast<unsigned char>(ch))) : ch);
  }
  return out;
}

class Loader {
 public:
  explicit Loader(core::Errors& errors) : errors_(errors) {}

  void Run(element root, CodeMap& m) {
    Obj o(root, "",
          {"format", "id", "version", "title", "calfdvt_system", "finding_profile", "windows",
           "conditions", "veins", "imaging", "d_dimer", "observations", "crcl_units",
           "pregnancy_values", "medications", "encounters", "surgery", "attestations"},
          errors_);
    if (!o.valid()) return;
    if (auto f = in::RequiredString(o, "format"); f && *f != kCodeMapFormat)
      o.Fail("format", "format", "must be \"calfdvt/fhir-map@1\"");
    m.id = in::RequiredString(o, "id").value_or("");
    m.version = in::RequiredString(o, "version").value_or("");
    m.title = in::RequiredString(o, "title").value_or("");
    m.calfdvt_system = in::RequiredString(o, "calfdvt_system").value_or("");
    m.finding_profile = in::RequiredString(o, "finding_profile").value_or("");
    if (auto w = o.Require("windows")) {
      Obj wo(*w, "windows",
             {"recent_hospitalization_days", "recent_surgery_days", "prior_vte_min_days",
              "d_dimer_days"},
             errors_);
      m.recent_hospitalization_days =
          in::RequiredInt(wo, "recent_hospitalization_days", 0).value_or(0);
      m.recent_surgery_days = in::RequiredInt(wo, "recent_surgery_days", 0).value_or(0);
      m.prior_vte_min_days = in::RequiredInt(wo, "prior_vte_min_days", 0).value_or(0);
      m.d_dimer_days = in::RequiredInt(wo, "d_dimer_days", 0).value_or(0);
    }
    List(o, "conditions", m.conditions,
         {"meaning", "status", "vein", "side_from_last_character", "bleeding_factor"},
         [&](const Obj& e, ConditionEntry& c) { Condition(e, c); });
    List(o, "veins", m.veins, {"vein", "note"}, [&](const Obj& e, VeinEntry& v) {
      if (e.Require("vein"))
        if (auto vein = e.Enum("vein", core::kVeinNames)) v.vein = *vein;
      if (auto n = e.String("note")) v.note = std::string(*n);
    });
    if (auto im = o.Require("imaging")) Imaging(*im, m);
    if (auto dd = o.Require("d_dimer")) DDimer(*dd, m);
    List(o, "observations", m.observations, {"meaning"}, [&](const Obj& e, ObservationEntry& x) {
      if (!e.Require("meaning")) return;
      static constexpr core::EnumNames<ObservationEntry::Meaning, 4> kNames{
          {"crcl", "egfr", "pregnancy_status", "expected_delivery_date"}};
      if (auto v = e.Enum("meaning", kNames)) x.meaning = *v;
    });
    Units(o, "crcl_units", m.crcl_units);
    List(o, "pregnancy_values", m.pregnancy_values, {"pregnancy"},
         [&](const Obj& e, PregnancyValueEntry& x) {
           if (e.Require("pregnancy"))
             if (auto v = e.Enum("pregnancy", pathway::kPregnancyNames)) x.pregnancy = *v;
         });
    List(o, "medications", m.medications, {"meaning", "name"},
         [&](const Obj& e, MedicationEntry& x) {
           static constexpr core::EnumNames<bool, 2> kNames{{"anticoagulant", "antiplatelet"}};
           if (e.Require("meaning"))
             if (auto v = e.Enum("meaning", kNames)) x.antiplatelet = *v;
           x.name = in::RequiredString(e, "name").value_or("");
           if (x.display.empty()) x.display = x.name;
         });
    List(o, "encounters", m.encounters, {"setting"}, [&](const Obj& e, EncounterEntry& x) {
      static constexpr core::EnumNames<bool, 2> kNames{{"outpatient", "inpatient"}};
      if (e.Require("setting"))
        if (auto v = e.Enum("setting", kNames)) x.inpatient = *v;
    });
    List(o, "surgery", m.surgery, {}, [](const Obj&, CodeEntry&) {});
    List(o, "attestations", m.attestations, {"field"}, [&](const Obj& e, AttestationEntry& x) {
      x.field = in::RequiredString(e, "field").value_or("");
      const auto& fields = AttestableFields();
      if (!x.field.empty() && std::find(fields.begin(), fields.end(), x.field) == fields.end())
        e.Fail(e.PathOf("field"), "enum", "\"" + x.field + "\" is not an attestable case field");
    });
  }

 private:
  // Reads the common entry keys; `extra` are the section's own keys.
  void Entry(const Obj& o, CodeEntry& c) {
    c.system = in::RequiredString(o, "system").value_or("");
    const std::string code = in::RequiredString(o, "code").value_or("");
    c.code = Normalise(c.system, code);
    if (auto d = o.String("display")) c.display = std::string(*d);
    c.verify = o.Bool("verify").value_or(false);
    static constexpr core::EnumNames<CodeEntry::Match, 3> kMatch{{"exact", "prefix", "range"}};
    c.match = o.Enum("match", kMatch).value_or(CodeEntry::Match::kExact);
    if (auto to = o.String("to")) c.to = Normalise(c.system, *to);
    if (c.match == CodeEntry::Match::kRange &&
        (c.to.empty() || c.to.size() != c.code.size() || c.to < c.code))
      o.Fail(o.PathOf("to"), "range",
             "a range needs \"to\" of the same length as \"code\", not before it");
    if (c.match != CodeEntry::Match::kRange && !c.to.empty())
      o.Fail(o.PathOf("to"), "unknown_field", "\"to\" is only allowed with \"match\": \"range\"");
  }

  template <class E, class F>
  void List(const Obj& parent, std::string_view key, std::vector<E>& out,
            std::initializer_list<std::string_view> extra, F&& read) {
    auto e = parent.Require(key);
    if (!e) return;
    const std::string path = parent.PathOf(key);
    auto arr = in::ReadArray(*e, path, errors_);
    if (!arr) return;
    std::vector<std::string_view> allowed = {"system", "code", "match", "to", "display", "verify"};
    allowed.insert(allowed.end(), extra.begin(), extra.end());
    size_t i = 0;
    for (element item : *arr) {
      const std::string ipath = in::IndexPath(path, i++);
      CheckKeys(item, ipath, allowed);
      // The union of every section's keys: CheckKeys above holds each section to its own.
      Obj eo(item, ipath,
             {"system",          "code",      "match",    "to",      "display",
              "verify",          "meaning",   "status",   "vein",    "side_from_last_character",
              "bleeding_factor", "note",      "protocol", "side",    "limited",
              "basis",           "pregnancy", "name",     "setting", "field"},
             errors_);
      if (!eo.valid()) continue;
      E entry;
      Entry(eo, entry);
      read(eo, entry);
      for (const E& prev : out)
        if (prev.system == entry.system && prev.code == entry.code && prev.match == entry.match)
          errors_.push_back(
              {ipath + ".code", "duplicate", "code \"" + entry.code + "\" is listed twice"});
      out.push_back(std::move(entry));
    }
    if (i == 0) errors_.push_back({path, "empty", "must list at least one code"});
  }

  void CheckKeys(element item, const std::string& path,
                 const std::vector<std::string_view>& allowed) {
    simdjson::dom::object obj;
    if (item.get(obj) != simdjson::SUCCESS) return;
    for (auto [k, v] : obj) {
      (void)v;
      if (std::find(allowed.begin(), allowed.end(), k) == allowed.end())
        errors_.push_back({in::JoinPath(path, k), "unknown_field",
                           "unknown field \"" + std::string(k) + "\" in this section"});
    }
  }

  void Condition(const Obj& e, ConditionEntry& c) {
    static constexpr core::EnumNames<ConditionMeaning, 17> kNames{
        {"distal_dvt", "proximal_dvt", "dvt_unspecified_level", "chronic_dvt", "pulmonary_embolism",
         "prior_vte", "active_cancer", "cancer_history", "not_active_cancer", "pregnancy",
         "postpartum", "covid19", "end_stage_renal_disease", "stroke", "severe_liver_disease",
         "antiphospholipid_syndrome", "bleeding_factor"}};
    if (e.Require("meaning"))
      if (auto v = e.Enum("meaning", kNames)) c.meaning = *v;
    static constexpr core::EnumNames<bool, 2> kStatus{{"active", "any"}};
    c.any_status = e.Enum("status", kStatus).value_or(false);
    c.vein = e.Enum("vein", core::kVeinNames);
    c.side_from_last_character = e.Bool("side_from_last_character").value_or(false);
    c.bleeding_factor = e.Enum("bleeding_factor", pathway::kBleedingFactorNames);
    if (c.meaning == ConditionMeaning::kProximalDvt && !c.vein)
      e.Fail(e.PathOf("vein"), "required",
             "a proximal_dvt entry names the vein placed on the case");
    if (c.meaning == ConditionMeaning::kBleedingFactor && !c.bleeding_factor)
      e.Fail(e.PathOf("bleeding_factor"), "required", "a bleeding_factor entry names the factor");
  }

  CodeEntry One(const Obj& o, std::string_view key) {
    CodeEntry c;
    if (auto e = o.Require(key)) {
      Obj eo(*e, o.PathOf(key), {"system", "code", "display", "verify"}, errors_);
      if (eo.valid()) Entry(eo, c);
    }
    return c;
  }

  template <class E>
  void Plain(const Obj& o, std::string_view key, std::vector<E>& out) {
    List(o, key, out, {}, [](const Obj&, E&) {});
  }

  void Units(const Obj& o, std::string_view key, std::vector<UnitFactor>& out) {
    auto e = o.Require(key);
    if (!e) return;
    const std::string path = o.PathOf(key);
    auto arr = in::ReadArray(*e, path, errors_);
    if (!arr) return;
    size_t i = 0;
    for (element item : *arr) {
      Obj u(item, in::IndexPath(path, i++), {"unit", "factor"}, errors_);
      UnitFactor f;
      f.unit = in::RequiredString(u, "unit").value_or("");
      f.factor = in::RequiredNumber(u, "factor").value_or(0);
      if (!(f.factor > 0)) u.Fail(u.PathOf("factor"), "range", "must be greater than 0");
      out.push_back(std::move(f));
    }
    if (i == 0) errors_.push_back({path, "empty", "must list at least one unit"});
  }

  void Imaging(element e, CodeMap& m) {
    Obj o(e, "imaging",
          {"reports", "finding", "length", "diameter", "distance", "acuity", "laterality",
           "present", "absent", "acute", "chronic", "left", "right", "no_thrombus", "length_units",
           "diameter_units"},
          errors_);
    if (!o.valid()) return;
    List(o, "reports", m.reports, {"protocol", "side", "limited"},
         [&](const Obj& x, ReportEntry& r) {
           r.protocol = x.Enum("protocol", pathway::kProtocolNames);
           r.side = x.Enum("side", core::kSideNames);
           r.limited = x.Bool("limited").value_or(false);
         });
    m.finding = One(o, "finding");
    m.length = One(o, "length");
    m.diameter = One(o, "diameter");
    m.distance = One(o, "distance");
    m.acuity = One(o, "acuity");
    m.laterality = One(o, "laterality");
    Plain(o, "present", m.present);
    Plain(o, "absent", m.absent);
    Plain(o, "acute", m.acute);
    Plain(o, "chronic", m.chronic);
    Plain(o, "left", m.left);
    Plain(o, "right", m.right);
    Plain(o, "no_thrombus", m.no_thrombus);
    Units(o, "length_units", m.length_units);
    Units(o, "diameter_units", m.diameter_units);
  }

  void DDimer(element e, CodeMap& m) {
    Obj o(e, "d_dimer", {"codes", "units", "positive", "negative", "ddu_to_feu", "unit_out"},
          errors_);
    if (!o.valid()) return;
    List(o, "codes", m.d_dimer, {"basis"}, [&](const Obj& x, DDimerEntry& d) {
      static constexpr core::EnumNames<bool, 2> kBasis{{"feu", "ddu"}};
      if (x.Require("basis"))
        if (auto b = x.Enum("basis", kBasis)) d.ddu = *b;
    });
    Units(o, "units", m.d_dimer_units);
    Plain(o, "positive", m.d_dimer_positive);
    Plain(o, "negative", m.d_dimer_negative);
    m.ddu_to_feu = in::RequiredNumber(o, "ddu_to_feu").value_or(0);
    if (!(m.ddu_to_feu > 0)) o.Fail(o.PathOf("ddu_to_feu"), "range", "must be greater than 0");
    m.d_dimer_unit_out = in::RequiredString(o, "unit_out").value_or("");
  }

  core::Errors& errors_;
};

}  // namespace

bool CodeEntry::MatchesNormalised(std::string_view sys, std::string_view raw) const {
  // Runs for every coding against every entry of a list, on the Bulk/CDS hot path: the cheap
  // rejections come first.
  if (sys.size() != system.size()) return false;
  const bool icd = sys == kIcd10CmSystem;
  if (!icd && match != Match::kRange) {
    // Outside ICD-10-CM a code is its own normal form: compare it before the (longer) system.
    if (match == Match::kExact ? raw != code : !raw.starts_with(code)) return false;
    return sys == system;
  }
  if (sys != system) return false;
  // Compares Normalise(sys, raw) with the (normalised) entry code without building it.
  auto next = [&](size_t& i) -> int {  // the next normalised character of raw, or -1 at the end
    while (i < raw.size()) {
      const char ch = raw[i++];
      if (icd && ch == '.') continue;
      return icd ? std::toupper(static_cast<unsigned char>(ch)) : static_cast<unsigned char>(ch);
    }
    return -1;
  };
  size_t i = 0;
  switch (match) {
    case Match::kExact:
    case Match::kPrefix: {
      for (char want : code) {
        const int got = next(i);
        if (got != static_cast<unsigned char>(want)) return false;
      }
      return match == Match::kPrefix || next(i) == -1;
    }
    case Match::kRange: {
      // head = the first code.size() normalised characters; code <= head <= to[0, size).
      int lo = 0, hi = 0;  // comparison state against code / to: -1 less, 0 equal so far, 1 greater
      for (size_t k = 0; k < code.size(); ++k) {
        const int got = next(i);
        if (got == -1) return false;  // shorter than the range bounds
        if (lo == 0) {
          const int w = static_cast<unsigned char>(code[k]);
          lo = got < w ? -1 : (got > w ? 1 : 0);
        }
        if (hi == 0) {
          const int w = static_cast<unsigned char>(to[k]);  // to.size() == code.size() (load)
          hi = got < w ? -1 : (got > w ? 1 : 0);
        }
      }
      return lo >= 0 && hi <= 0;
    }
  }
  return false;
}

const std::vector<std::string_view>& AttestableFields() {
  static const std::vector<std::string_view> kFields = {"history.severe_symptoms",
                                                        "history.provocation",
                                                        "history.active_cancer",
                                                        "history.prior_vte",
                                                        "history.inpatient",
                                                        "history.recent_hospitalization",
                                                        "history.recent_surgery",
                                                        "history.covid19",
                                                        "history.end_stage_renal_disease",
                                                        "history.stroke",
                                                        "patient.pregnancy",
                                                        "patient.breastfeeding",
                                                        "patient.severe_liver_disease",
                                                        "patient.antiphospholipid_syndrome",
                                                        "bleeding.risk",
                                                        "bleeding.anticoagulation_contraindicated",
                                                        "preferences.anticoagulation"};
  return kFields;
}

std::string_view EmbeddedCodeMapBytes() {
  return std::string_view(reinterpret_cast<const char*>(kEmbeddedCodeMap), kEmbeddedCodeMapSize);
}

core::Result<std::shared_ptr<const CodeMap>> LoadCodeMap(std::string_view json) {
  using R = core::Result<std::shared_ptr<const CodeMap>>;
  simdjson::dom::parser parser;
  simdjson::dom::element root;
  if (auto err = parser.parse(json.data(), json.size(), true).get(root))
    return R(core::ErrorKind::kInvalidInput, {in::ParseError(err)});
  core::Errors errors;
  auto m = std::make_shared<CodeMap>();
  Loader(errors).Run(root, *m);
  if (!errors.empty()) return R(core::ErrorKind::kInvalidInput, std::move(errors));
  m->sha256 = formats::Sha256Hex(json);
  return R(std::shared_ptr<const CodeMap>(std::move(m)));
}

const CodeMap& DefaultCodeMap() {
  // Built once; the embedded file is checked by the build's tests, so failure is a defect.
  static const std::shared_ptr<const CodeMap> kMap = [] {
    auto r = LoadCodeMap(EmbeddedCodeMapBytes());
    if (!r.ok()) {
      std::fprintf(stderr, "internal error: embedded knowledge/fhir-map.json: %s\n",
                   core::FormatError(r.errors().front()).c_str());
      std::abort();
    }
    return r.value();
  }();
  return *kMap;
}

}  // namespace calfdvt::fhir
