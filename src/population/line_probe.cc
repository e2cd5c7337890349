#include "population/line_probe.h"

#include <simdjson.h>

namespace calfdvt::population {

std::string_view PatientIdOfReference(std::string_view ref) {
  constexpr std::string_view kPatient = "Patient/";
  size_t pos = std::string_view::npos;
  // The last "Patient/" that starts the string or follows a '/'.
  for (size_t at = ref.rfind(kPatient); at != std::string_view::npos;
       at = at == 0 ? std::string_view::npos : ref.rfind(kPatient, at - 1)) {
    if (at == 0 || ref[at - 1] == '/') {
      pos = at;
      break;
    }
  }
  if (pos == std::string_view::npos) return {};
  std::string_view id = ref.substr(pos + kPatient.size());
  id = id.substr(0, id.find('/'));
  if (id == "_history") return {};
  return id;
}

namespace {

using simdjson::dom::element;
using simdjson::dom::object;

bool IsDvtCondition(const fhir::CodeMap& m, std::string_view system, std::string_view code) {
  for (const auto& e : m.conditions) {
    if (e.meaning != fhir::ConditionMeaning::kDistalDvt &&
        e.meaning != fhir::ConditionMeaning::kProximalDvt &&
        e.meaning != fhir::ConditionMeaning::kDvtUnspecifiedLevel)
      continue;
    if (e.Matches(system, code)) return true;
  }
  return false;
}

// Whether any of code.coding[] satisfies `pred`. Wrong shapes: false.
template <class Pred>
bool AnyCoding(element code, Pred pred) {
  simdjson::dom::array codings;
  if (code["coding"].get_array().get(codings)) return false;
  for (element c : codings) {
    std::string_view system, code_value;
    if (c["system"].get_string().get(system) || c["code"].get_string().get(code_value)) continue;
    if (pred(system, code_value)) return true;
  }
  return false;
}

bool CodeIsEvidence(const fhir::CodeMap& m, std::string_view type, element code) {
  if (type == "Condition")
    return AnyCoding(code, [&](std::string_view sys, std::string_view c) { return IsDvtCondition(m, sys, c); });
  if (type == "DiagnosticReport")
    return AnyCoding(code, [&](std::string_view sys, std::string_view c) {
      return fhir::FindCode(m.reports, sys, c) != nullptr;
    });
  return false;
}

// `code`, `meta`: null when the resource has none.
bool ObservationRelevant(const fhir::CodeMap& m, const element* code, const element* meta) {
  if (code && AnyCoding(*code, [&](std::string_view sys, std::string_view c) {
        return m.finding.Matches(sys, c) || fhir::FindCode(m.attestations, sys, c) ||
               fhir::FindCode(m.d_dimer, sys, c) || fhir::FindCode(m.observations, sys, c);
      }))
    return true;
  simdjson::dom::array profiles;
  if (!meta || (*meta)["profile"].get_array().get(profiles)) return false;
  for (element p : profiles) {
    std::string_view s;
    if (!p.get_string().get(s) && s == m.finding_profile) return true;
  }
  return false;
}

}  // namespace

struct LineProbe::Impl {
  explicit Impl(const fhir::CodeMap& c) : codes(c) {}
  const fhir::CodeMap& codes;
  // The last probed resource's code and meta (valid until the next parse), for MappingRelevant().
  bool observation = false, has_code = false, has_meta = false;
  element code, meta;
  // The DOM parser: its stage 1 is dispatched at run time to the CPU's SIMD kernel (On Demand
  // would be compiled for the baseline x86-64 here) and it validates the whole line.
  simdjson::dom::parser parser;
};

LineProbe::LineProbe(const fhir::CodeMap& codes) : impl_(std::make_unique<Impl>(codes)) {}
LineProbe::~LineProbe() = default;

ProbeResult LineProbe::Probe(std::string_view line, unsigned want) {
  static_assert(kPadding >= simdjson::SIMDJSON_PADDING);
  ProbeResult r;
  element doc;
  if (auto err = impl_->parser.parse(line.data(), line.size(), false).get(doc)) {
    r.error = err == simdjson::UTF8_ERROR ? "invalid UTF-8" : "malformed JSON";
    return r;
  }
  object obj;
  if (doc.get_object().get(obj)) {
    r.error = "not a JSON object";
    return r;
  }
  Impl& m = *impl_;
  std::string_view type, id, ref;
  element& code = m.code;
  element& meta = m.meta;
  bool& has_code = m.has_code;
  bool& has_meta = m.has_meta;
  has_code = has_meta = m.observation = false;
  for (auto field : obj) {
    const std::string_view key = field.key;
    if (key == "resourceType") {
      if (field.value.get_string().get(type)) {
        r.error = "resourceType is not a string";
        return r;
      }
    } else if (key == "id") {
      if (field.value.get_string().get(id)) {
        r.error = "id is not a string";
        return r;
      }
    } else if ((key == "subject" || key == "patient") && ref.empty()) {
      std::string_view s;
      if (!field.value["reference"].get_string().get(s)) ref = PatientIdOfReference(s);
    } else if (key == "code") {
      code = field.value;
      has_code = true;
    } else if (key == "meta") {
      meta = field.value;
      has_meta = true;
    }
  }
  if (type.empty()) {
    r.error = "no resourceType";
    return r;
  }
  r.ok = true;
  r.resource_type = type;
  r.patient_id = type == "Patient" ? id : ref;
  r.dvt_evidence = (want & kWantEvidence) && has_code && CodeIsEvidence(impl_->codes, type, code);
  m.observation = type == "Observation";
  return r;
}

bool LineProbe::MappingRelevant() const {
  const Impl& m = *impl_;
  return !m.observation ||
         ObservationRelevant(m.codes, m.has_code ? &m.code : nullptr, m.has_meta ? &m.meta : nullptr);
}

}  // namespace calfdvt::population
