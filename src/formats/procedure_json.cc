// Reader of calfdvt/procedure@1 (the writers are in procedure_report_json.cc).
#include "formats/procedure_json.h"

#include <simdjson.h>

#include <algorithm>
#include <cstdio>

#include "core/short_number.h"
#include "formats/json_read.h"

namespace calfdvt::formats {

namespace th = calfdvt::thrombectomy;
using internal::element;
using internal::NonEmptyString;
using internal::Obj;

namespace {


class Reader {
 public:
  explicit Reader(core::Errors& errors) : errors_(errors) {}

  void Root(element root, th::Procedure& p) {
    Obj o(root, "",
          {"format", "id", "patient_id", "date", "side", "operator", "indication", "access_vein",
           "thrombolysis", "ivc_filter", "aspiration_catheter_fr", "squeezes", "result",
           "complications"},
          errors_);
    if (!o.valid()) return;
    if (auto f = o.String("format"); f && *f != kProcedureFormat)
      o.Fail("format", "format",
             "must be \"calfdvt/procedure@1\" (got \"" + std::string(*f) + "\")");
    p.id = NonEmptyString(o, "id");
    if (o.Require("patient_id")) p.patient_id = NonEmptyString(o, "patient_id").value_or("");
    if (o.Require("date")) {
      if (auto d = o.Date("date")) p.date = *d;
    }
    if (o.Require("side")) {
      if (auto side = o.Enum("side", core::kSideNames)) {
        if (*side == core::Side::kBilateral)
          o.Fail(o.PathOf("side"), "enum", "must be left | right (a procedure treats one leg)");
        else
          p.side = *side;
      }
    }
    p.operator_name = NonEmptyString(o, "operator");
    if (auto e = o.Find("indication")) Indication(*e, o.PathOf("indication"), p);
    if (o.Require("access_vein")) {
      if (auto v = o.Enum("access_vein", core::kVeinNames)) p.access_vein = *v;
    }
    if (auto e = o.Find("thrombolysis")) {
      Obj t(*e, o.PathOf("thrombolysis"), {"agent", "hours"}, errors_);
      th::Thrombolysis tl;
      tl.agent = NonEmptyString(t, "agent");
      tl.hours = NonNegative(t, "hours");
      p.thrombolysis = tl;
    }
    p.ivc_filter = o.Enum("ivc_filter", th::kIvcFilterNames);
    p.aspiration_catheter_fr = Between(o, "aspiration_catheter_fr", kMinCatheterFr, kMaxCatheterFr, " French");
    if (auto e = o.Require("squeezes")) {
      const std::string path = o.PathOf("squeezes");
      if (auto arr = internal::ReadArray(*e, path, errors_)) {
        size_t i = 0;
        for (element item : *arr) {
          th::Squeeze s;
          if (Squeeze(item, internal::IndexPath(path, i++), s)) p.squeezes.push_back(std::move(s));
        }
      }
    }
    if (auto e = o.Find("result")) p.result = ReadResult(*e, o.PathOf("result"));
    if (auto e = o.Find("complications"))
      p.complications = Complications(*e, o.PathOf("complications"));
  }

  // The outcome document: the record's "result" and "complications" at the same paths.
  void Outcome(element root, ProcedureOutcome& out) {
    Obj o(root, "", {"result", "complications"}, errors_);
    if (!o.valid()) return;
    if (auto e = o.Find("result")) out.result = ReadResult(*e, o.PathOf("result"));
    if (auto e = o.Find("complications"))
      out.complications = Complications(*e, o.PathOf("complications"));
  }

  // Returns whether the squeeze object was read without error.
  bool Squeeze(element e, const std::string& path, th::Squeeze& s) {
    const size_t before = errors_.size();
    Obj o(e, path, {"target_veins", "migration_observed", "thrombus_aspirated"}, errors_);
    if (o.Require("target_veins")) {
      size_t items = 0;
      if (auto veins = VeinList(o, "target_veins", &items)) {
        if (items == 0) o.Fail(o.PathOf("target_veins"), "empty", "must name at least one vein");
        s.target_veins = std::move(*veins);
      }
    }
    s.migration_observed = o.Bool("migration_observed");
    s.thrombus_aspirated = o.Bool("thrombus_aspirated");
    return errors_.size() == before;
  }

 private:
  void Indication(element e, const std::string& path, th::Procedure& p) {
    Obj o(e, path, {"thrombosed_veins", "iliac_obstruction", "symptom_days"}, errors_);
    th::Indication ind;
    if (o.Find("thrombosed_veins")) ind.thrombosed_veins = VeinList(o, "thrombosed_veins");
    ind.iliac_obstruction = o.Bool("iliac_obstruction");
    ind.symptom_days = NonNegative(o, "symptom_days");
    p.indication = std::move(ind);
  }

  th::ProcedureResult ReadResult(element e, const std::string& path) {
    Obj r(e, path, {"antegrade_flow", "residual_thrombus_percent", "stent"}, errors_);
    th::ProcedureResult res;
    res.antegrade_flow = r.Bool("antegrade_flow");
    res.residual_thrombus_percent = Between(r, "residual_thrombus_percent", 0, 100, "%");
    res.stent = r.Bool("stent");
    return res;
  }

  // nullopt when the value is not an array (an error is recorded).
  std::optional<std::vector<th::Complication>> Complications(element e, const std::string& path) {
    auto arr = internal::ReadArray(e, path, errors_);
    if (!arr) return std::nullopt;
    std::vector<th::Complication> list;
    size_t i = 0;
    for (element item : *arr) {
      Obj o(item, internal::IndexPath(path, i++), {"type", "severity"}, errors_);
      th::Complication c;
      if (o.Require("type")) {
        if (auto t = o.Enum("type", th::kComplicationTypeNames)) c.type = *t;
      }
      c.severity = o.Enum("severity", th::kComplicationSeverityNames);
      if (c.type == th::ComplicationType::kDeath &&
          c.severity == th::ComplicationSeverity::kMinor)
        o.Fail(o.PathOf("severity"), "contradiction",
               "death is always a major complication (SIR), not minor");
      list.push_back(c);
    }
    return list;
  }

  // An array of distinct vein ids (may be empty); nullopt when absent, null or not an array.
  // `items`, when given, receives the number of array items, valid or not.
  std::optional<std::vector<core::Vein>> VeinList(const Obj& o, std::string_view key,
                                                  size_t* items = nullptr) {
    auto e = o.Find(key);
    if (!e) return std::nullopt;
    const std::string path = o.PathOf(key);
    auto arr = internal::ReadArray(*e, path, errors_);
    if (!arr) return std::nullopt;
    std::vector<core::Vein> veins;
    size_t i = 0;
    for (element item : *arr) {
      const std::string ipath = internal::IndexPath(path, i++);
      auto s = internal::ReadString(item, ipath, errors_);
      if (!s) continue;
      auto v = core::kVeinNames.Parse(*s);
      if (!v) {
        errors_.push_back({ipath, "enum",
                           "unknown vein \"" + std::string(*s) + "\" (one of " +
                               core::kVeinNames.Choices() + ")"});
        continue;
      }
      if (std::find(veins.begin(), veins.end(), *v) != veins.end()) {
        errors_.push_back({ipath, "duplicate", "vein \"" + std::string(*s) + "\" is listed twice"});
        continue;
      }
      veins.push_back(*v);
    }
    if (items) *items = i;
    return veins;
  }

  std::optional<double> NonNegative(const Obj& o, std::string_view key) {
    auto v = o.Number(key);
    if (v && *v < 0) {
      o.Fail(o.PathOf(key), "range", "must not be negative (got " + core::ShortNumber(*v) + ")");
      return std::nullopt;
    }
    return v;
  }

  std::optional<double> Between(const Obj& o, std::string_view key, double min, double max,
                                std::string_view unit) {
    auto v = o.Number(key);
    if (v && (*v < min || *v > max)) {
      o.Fail(o.PathOf(key), "range",
             "must be between " + core::ShortNumber(min) + " and " + core::ShortNumber(max) + std::string(unit) + " (got " +
                 core::ShortNumber(*v) + ")");
      return std::nullopt;
    }
    return v;
  }

  core::Errors& errors_;
};

template <class T>
core::Result<T> Fail(core::Errors errors) {
  return core::Result<T>(core::ErrorKind::kInvalidInput, std::move(errors));
}

// One record with a caller-owned parser (reused across the lines of an NDJSON input).
core::Result<th::Procedure> ParseWith(simdjson::dom::parser& parser, std::string_view json) {
  element root;
  if (auto err = parser.parse(json.data(), json.size(), true).get(root))
    return Fail<th::Procedure>({internal::ParseError(err)});
  core::Errors errors;
  th::Procedure p;
  Reader(errors).Root(root, p);
  if (!errors.empty()) return Fail<th::Procedure>(std::move(errors));
  return p;
}

}  // namespace

core::Result<th::Procedure> ParseProcedure(std::string_view json) {
  simdjson::dom::parser parser;
  return ParseWith(parser, json);
}

core::Result<th::Squeeze> ParseSqueeze(std::string_view json, std::string_view path) {
  simdjson::dom::parser parser;
  element root;
  if (auto err = parser.parse(json.data(), json.size(), true).get(root)) {
    core::Error e = internal::ParseError(err);
    e.path = std::string(path);
    return Fail<th::Squeeze>({std::move(e)});
  }
  core::Errors errors;
  th::Squeeze s;
  Reader(errors).Squeeze(root, std::string(path), s);
  if (!errors.empty()) return Fail<th::Squeeze>(std::move(errors));
  return s;
}

core::Result<ProcedureOutcome> ParseOutcome(std::string_view json) {
  simdjson::dom::parser parser;
  element root;
  if (auto err = parser.parse(json.data(), json.size(), true).get(root))
    return Fail<ProcedureOutcome>({internal::ParseError(err)});
  core::Errors errors;
  ProcedureOutcome out;
  Reader(errors).Outcome(root, out);
  if (!errors.empty()) return Fail<ProcedureOutcome>(std::move(errors));
  return out;
}

core::Result<std::vector<th::Procedure>> ParseProcedureLines(std::string_view text) {
  std::vector<th::Procedure> out;
  core::Errors errors;
  simdjson::dom::parser parser;
  size_t line = 0;
  while (!text.empty()) {
    const size_t end = text.find('\n');
    std::string_view one = text.substr(0, end);
    text = end == std::string_view::npos ? std::string_view() : text.substr(end + 1);
    const std::string prefix = "[" + std::to_string(line) + "]";
    const std::string where = "line " + std::to_string(++line) + ": ";
    if (one.find_first_not_of(" \t\r") == std::string_view::npos) continue;
    auto r = ParseWith(parser, one);
    if (r.ok()) {
      out.push_back(std::move(r).value());
      continue;
    }
    for (const core::Error& e : r.errors())
      errors.push_back({e.path.empty() ? prefix : prefix + "." + e.path, e.rule, where + e.message});
  }
  if (!errors.empty()) return Fail<std::vector<th::Procedure>>(std::move(errors));
  return out;
}

}  // namespace calfdvt::formats
