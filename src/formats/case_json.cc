#include "formats/case_json.h"

#include <simdjson.h>

#include "core/short_number.h"
#include "formats/json_read.h"
#include "pathway/validate.h"

namespace calfdvt::formats {

using internal::Obj;
using pathway::Case;
namespace pw = calfdvt::pathway;

// Plausibility limits of the format (clinical-spec §3). Values outside them are impossible, so
// they are errors, never clamped.
namespace {
constexpr double kMaxAgeYears = 120;
constexpr double kMaxDiameterMm = 50;

struct Reader {
  core::Errors& errors;
  bool imaging_date_ok = false;

  void Positive(const Obj& o, std::string_view key, const std::optional<double>& v) {
    if (v && !(*v > 0)) o.Fail(o.PathOf(key), "range", "must be greater than 0 (got " + core::ShortNumber(*v) + ")");
  }
  void NonNegative(const Obj& o, std::string_view key, const std::optional<double>& v) {
    if (v && *v < 0) o.Fail(o.PathOf(key), "range", "must not be negative (got " + core::ShortNumber(*v) + ")");
  }

  void Patient(internal::element e, Case& c) {
    Obj o(e, "patient",
          {"age", "sex", "pregnancy", "expected_delivery_date", "delivery_date", "breastfeeding",
           "crcl_ml_min", "severe_liver_disease", "antiphospholipid_syndrome"},
          errors);
    auto& p = c.patient;
    p.age = o.Number("age");
    if (p.age && (*p.age < 0 || *p.age > kMaxAgeYears))
      o.Fail(o.PathOf("age"), "range", "must be between 0 and 120 years (got " + core::ShortNumber(*p.age) + ")");
    p.sex = o.Enum("sex", pw::kSexNames);
    p.pregnancy = o.Enum("pregnancy", pw::kPregnancyNames);
    p.expected_delivery_date = o.Date("expected_delivery_date");
    p.delivery_date = o.Date("delivery_date");
    p.breastfeeding = o.Bool("breastfeeding");
    p.crcl_ml_min = o.Number("crcl_ml_min");
    NonNegative(o, "crcl_ml_min", p.crcl_ml_min);
    p.severe_liver_disease = o.Bool("severe_liver_disease");
    p.antiphospholipid_syndrome = o.Bool("antiphospholipid_syndrome");
    if (p.sex == pw::Sex::kMale && p.pregnancy && *p.pregnancy != pw::Pregnancy::kNone)
      o.Fail(o.PathOf("pregnancy"), "contradiction",
             "pregnancy \"" + std::string(pw::kPregnancyNames.Name(*p.pregnancy)) +
                 "\" contradicts patient.sex \"male\"");
  }

  void Thrombus(internal::element e, std::string path, Case& c) {
    Obj o(e, std::move(path),
          {"vein", "side", "length_cm", "max_diameter_mm", "distance_to_popliteal_cm", "acute"},
          errors);
    pw::Thrombus t;
    if (o.Require("vein")) {
      if (auto v = o.Enum("vein", core::kVeinNames)) t.vein = *v;
    }
    if (auto side = o.Enum("side", core::kSideNames)) {
      if (*side == core::Side::kBilateral)
        o.Fail(o.PathOf("side"), "enum", "must be left | right (a thrombus lies in one leg)");
      else
        t.side = side;
    }
    t.length_cm = o.Number("length_cm");
    Positive(o, "length_cm", t.length_cm);
    t.max_diameter_mm = o.Number("max_diameter_mm");
    Positive(o, "max_diameter_mm", t.max_diameter_mm);
    if (t.max_diameter_mm && *t.max_diameter_mm > kMaxDiameterMm)
      o.Fail(o.PathOf("max_diameter_mm"), "range",
             "must be at most 50 mm (got " + core::ShortNumber(*t.max_diameter_mm) + ")");
    t.distance_to_popliteal_cm = o.Number("distance_to_popliteal_cm");
    NonNegative(o, "distance_to_popliteal_cm", t.distance_to_popliteal_cm);
    t.acute = o.Bool("acute");
    c.imaging.thrombi->push_back(t);
  }

  void Imaging(internal::element e, Case& c) {
    Obj o(e, "imaging", {"date", "protocol", "side", "thrombi"}, errors);
    if (o.Require("date")) {
      if (auto d = o.Date("date")) {
        c.imaging.date = *d;
        imaging_date_ok = true;
      }
    }
    if (o.Require("protocol")) {
      if (auto p = o.Enum("protocol", pw::kProtocolNames)) c.imaging.protocol = *p;
    }
    c.imaging.side = o.Enum("side", core::kSideNames);
    if (auto t = o.Find("thrombi")) {
      const std::string path = o.PathOf("thrombi");
      if (auto arr = internal::ReadArray(*t, path, errors)) {
        c.imaging.thrombi.emplace().reserve(arr->size());
        size_t i = 0;
        for (internal::element item : *arr) Thrombus(item, internal::IndexPath(path, i++), c);
      }
    }
  }

  void Labs(internal::element e, Case& c) {
    Obj o(e, "labs", {"d_dimer", "d_dimer_result"}, errors);
    if (auto dd = o.Find("d_dimer")) {
      Obj d(*dd, o.PathOf("d_dimer"), {"value", "unit", "cutoff"}, errors);
      pw::DDimer v;
      v.value = d.Number("value");
      NonNegative(d, "value", v.value);
      if (auto u = d.String("unit")) v.unit = std::string(*u);
      v.cutoff = d.Number("cutoff");
      Positive(d, "cutoff", v.cutoff);
      c.labs.d_dimer = v;
    }
    c.labs.d_dimer_result = o.Enum("d_dimer_result", pw::kDDimerResultNames);
    const auto& dd = c.labs.d_dimer;
    if (dd && dd->value && dd->cutoff && c.labs.d_dimer_result) {
      const bool positive = *dd->value >= *dd->cutoff;
      if (positive != (*c.labs.d_dimer_result == pw::DDimerResult::kPositive))
        o.Fail(o.PathOf("d_dimer_result"), "contradiction",
               "\"" + std::string(pw::kDDimerResultNames.Name(*c.labs.d_dimer_result)) +
                   "\" disagrees with labs.d_dimer (value " + core::ShortNumber(*dd->value) + ", cutoff " +
                   core::ShortNumber(*dd->cutoff) + " is " + (positive ? "positive" : "negative") + ")");
    }
  }

  void History(internal::element e, Case& c) {
    Obj o(e, "history",
          {"provocation", "active_cancer", "prior_vte", "inpatient", "recent_hospitalization",
           "recent_surgery", "severe_symptoms", "covid19", "end_stage_renal_disease", "stroke"},
          errors);
    auto& h = c.history;
    h.provocation = o.Enum("provocation", pw::kProvocationNames);
    h.active_cancer = o.Bool("active_cancer");
    h.prior_vte = o.Bool("prior_vte");
    h.inpatient = o.Bool("inpatient");
    h.recent_hospitalization = o.Bool("recent_hospitalization");
    h.recent_surgery = o.Bool("recent_surgery");
    h.severe_symptoms = o.Bool("severe_symptoms");
    h.covid19 = o.Bool("covid19");
    h.end_stage_renal_disease = o.Bool("end_stage_renal_disease");
    h.stroke = o.Bool("stroke");
  }

  void Bleeding(internal::element e, Case& c) {
    Obj o(e, "bleeding", {"risk", "factors", "anticoagulation_contraindicated"}, errors);
    c.bleeding.risk = o.Enum("risk", pw::kBleedingRiskNames);
    c.bleeding.anticoagulation_contraindicated = o.Bool("anticoagulation_contraindicated");
    if (auto f = o.Find("factors")) {
      const std::string path = o.PathOf("factors");
      if (auto arr = internal::ReadArray(*f, path, errors)) {
        std::vector<pw::BleedingFactor> factors;
        size_t i = 0;
        for (internal::element item : *arr) {
          // Item paths are built for errors only.
          const auto ipath = [&path, index = i++] { return internal::IndexPath(path, index); };
          std::string_view s;
          if (item.get(s) != simdjson::SUCCESS) {
            internal::ReadString(item, ipath(), errors);  // reports the type error
            continue;
          }
          auto factor = pw::kBleedingFactorNames.Parse(s);
          if (!factor) {
            errors.push_back({ipath(), "enum",
                              "unknown bleeding risk factor \"" + std::string(s) + "\" (one of " +
                                  pw::kBleedingFactorNames.Choices() + ")"});
            continue;
          }
          if (std::find(factors.begin(), factors.end(), *factor) != factors.end()) {
            errors.push_back({ipath(), "duplicate",
                              "bleeding risk factor \"" + std::string(s) + "\" is listed twice"});
            continue;
          }
          factors.push_back(*factor);
        }
        c.bleeding.factors = std::move(factors);
      }
    }
  }

  void Root(internal::element root, Case& c) {
    Obj o(root, "",
          {"format", "id", "as_of", "patient", "imaging", "labs", "history", "bleeding",
           "preferences"},
          errors);
    if (!o.valid()) return;
    if (auto f = o.String("format"); f && *f != kCaseFormat)
      o.Fail("format", "format", "must be \"calfdvt/case@1\" (got \"" + std::string(*f) + "\")");
    if (auto id = o.String("id")) c.id = std::string(*id);
    const bool has_as_of = o.Require("as_of").has_value();
    std::optional<core::Date> as_of = has_as_of ? o.Date("as_of") : std::nullopt;
    if (as_of) c.as_of = *as_of;
    if (auto p = o.Find("patient")) Patient(*p, c);
    if (auto im = o.Require("imaging")) Imaging(*im, c);
    if (auto l = o.Find("labs")) Labs(*l, c);
    if (auto h = o.Find("history")) History(*h, c);
    if (auto b = o.Find("bleeding")) Bleeding(*b, c);
    if (auto pr = o.Find("preferences")) {
      Obj p(*pr, "preferences", {"anticoagulation"}, errors);
      c.preferences.anticoagulation = p.Enum("anticoagulation", pw::kPreferenceNames);
    }
    // Cross-field rules that need as_of.
    if (as_of) {
      if (imaging_date_ok && c.imaging.date > *as_of)
        o.Fail("imaging.date", "future_date",
               "imaging date " + c.imaging.date.ToString() + " is after as_of " + as_of->ToString());
      if (c.patient.delivery_date && *c.patient.delivery_date > *as_of)
        o.Fail("patient.delivery_date", "future_date",
               "delivery date " + c.patient.delivery_date->ToString() + " is after as_of " +
                   as_of->ToString());
    }
    if (c.imaging.side && *c.imaging.side != core::Side::kBilateral && c.imaging.thrombi) {
      for (size_t i = 0; i < c.imaging.thrombi->size(); ++i) {
        const auto& t = (*c.imaging.thrombi)[i];
        if (t.side && *t.side != *c.imaging.side)
          o.Fail("imaging.thrombi[" + std::to_string(i) + "].side", "contradiction",
                 "\"" + std::string(core::kSideNames.Name(*t.side)) +
                     "\" contradicts the one-sided study imaging.side \"" +
                     std::string(core::kSideNames.Name(*c.imaging.side)) + "\"");
      }
    }
  }
};

}  // namespace

struct CaseParser::Impl {
  simdjson::dom::parser parser;

  core::Result<Case> Run(const char* data, size_t size, bool padded, const pw::Knowledge* k) {
    simdjson::dom::element root;
    auto err = parser.parse(data, size, /*realloc_if_needed=*/!padded).get(root);
    if (err) return core::Result<Case>(core::ErrorKind::kInvalidInput, {internal::ParseError(err)});
    core::Errors errors;
    Case c;
    Reader{errors}.Root(root, c);
    if (errors.empty() && k) errors = pw::CheckCase(c, *k);
    if (!errors.empty()) return core::Result<Case>(core::ErrorKind::kInvalidInput, std::move(errors));
    return c;
  }
};

CaseParser::CaseParser() : impl_(std::make_unique<Impl>()) {}
CaseParser::~CaseParser() = default;

core::Result<Case> CaseParser::Parse(std::string_view json) {
  return impl_->Run(json.data(), json.size(), false, nullptr);
}
core::Result<Case> CaseParser::Parse(std::string_view json, const pw::Knowledge& k) {
  return impl_->Run(json.data(), json.size(), false, &k);
}
core::Result<Case> CaseParser::ParsePadded(std::string_view json, const pw::Knowledge& k) {
  return impl_->Run(json.data(), json.size(), true, &k);
}

}  // namespace calfdvt::formats

namespace calfdvt::formats::internal {

// One thrombus object, validated exactly as in a case (used by follow-up findings in events).
std::optional<pathway::Thrombus> ReadThrombus(element e, const std::string& path,
                                              core::Errors& errors) {
  const size_t before = errors.size();
  Case scratch;
  scratch.imaging.thrombi.emplace();
  Reader reader{errors};
  reader.Thrombus(e, path, scratch);
  if (errors.size() != before || scratch.imaging.thrombi->empty()) return std::nullopt;
  return scratch.imaging.thrombi->front();
}

}  // namespace calfdvt::formats::internal
