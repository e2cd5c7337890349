// PatientRecord, MapBundle and PatientRefOf (fhir/record.h).
#include <simdjson.h>

#include <algorithm>

#include "fhir/code_map.h"
#include "fhir/mapper.h"
#include "fhir/resource.h"
#include "formats/json_read.h"
#include "pathway/knowledge.h"

namespace calfdvt::fhir {

namespace pw = calfdvt::pathway;
using simdjson::dom::element;

namespace {

core::Error Err(std::string path, std::string rule, std::string message) {
  return core::Error{std::move(path), std::move(rule), std::move(message)};
}

std::string Join(const std::string& prefix, std::string_view key) {
  return prefix.empty() ? std::string(key) : prefix + "." + std::string(key);
}

// The resourceType of `e`, or an error at `path`.
core::Result<std::string_view> TypeOf(element e, const std::string& path) {
  using R = core::Result<std::string_view>;
  if (!e.is_object())
    return R::Invalid(path.empty() ? "$" : path, "type", "a resource must be a JSON object");
  std::string_view type;
  element t;
  if (e.at_key("resourceType").get(t) != simdjson::SUCCESS)
    return R::Invalid(Join(path, "resourceType"), "required", "a resource needs a resourceType");
  if (t.get(type) != simdjson::SUCCESS || type.empty())
    return R::Invalid(Join(path, "resourceType"), "type",
                      "resourceType must be a non-empty string");
  return type;
}

}  // namespace

struct PatientRecord::Impl {
  const CodeMap& codes;
  simdjson::dom::parser parser;
  internal::TextArena arena;  // the facts' strings and arrays
  std::vector<internal::Facts> facts;
  std::string patient_id;           // the patient the resources belong to (first seen)
  std::string patient_resource_id;  // Patient.id, when a Patient resource was added
  std::vector<Unmapped> notes;

  explicit Impl(const CodeMap& c) : codes(c) {}

  // Adds one resource element. On a patient mismatch returns the other patient's id (and adds
  // nothing); otherwise "".
  std::string AddElement(element e, std::string_view type) {
    const internal::MappedType kind = internal::MappedTypeOf(type);
    if (kind == internal::MappedType::kNone) return {};
    if (facts.capacity() == 0) facts.reserve(16);  // a CDS prefetch: no re-allocation of Facts
    internal::Facts& f = facts.emplace_back();       // read in place: Facts is large
    internal::Read(e, kind, &codes, arena, f);
    if (!f.patient_ref.empty()) {
      if (patient_id.empty()) {
        patient_id = f.patient_ref;
      } else if (f.patient_ref != patient_id) {
        std::string other(f.patient_ref);
        facts.pop_back();
        return other;
      }
    }
    if (kind == internal::MappedType::kPatient) patient_resource_id = f.id;
    return {};
  }
};

PatientRecord::PatientRecord(const CodeMap& codes) : impl_(std::make_unique<Impl>(codes)) {}
PatientRecord::~PatientRecord() = default;
PatientRecord::PatientRecord(PatientRecord&&) noexcept = default;
PatientRecord& PatientRecord::operator=(PatientRecord&&) noexcept = default;

core::Status PatientRecord::Add(std::string_view resource_json) {
  element root;
  if (auto err = impl_->parser.parse(resource_json.data(), resource_json.size(), true).get(root))
    return core::Status(core::ErrorKind::kInvalidInput, {formats::internal::ParseError(err)});
  return AddParsed(root);
}

core::Status PatientRecord::AddParsed(const element& root) {
  auto type = TypeOf(root, "");
  if (!type.ok()) return core::Status(type.kind(), type.errors());
  std::string other = impl_->AddElement(root, *type);
  if (!other.empty()) {
    std::string id;
    std::string_view s;
    if (root.at_key("id").get(s) == simdjson::SUCCESS) id = std::string(s);
    impl_->notes.push_back(
        {std::string(*type) + "/" + id, "subject", "",
         "belongs to Patient/" + other + ", not Patient/" + impl_->patient_id + ": not used"});
  }
  return core::OkStatus();
}

void PatientRecord::Clear() {
  impl_->facts.clear();  // keeps the capacity
  impl_->arena.Reset();
  impl_->patient_id.clear();
  impl_->patient_resource_id.clear();
  impl_->notes.clear();
}

MappedCase PatientRecord::ToCase(core::Date as_of) const {
  MappedCase out;
  out.patient_id = impl_->patient_resource_id;
  out.unmapped = impl_->notes;
  internal::Mapper(impl_->codes, as_of, out).Run(impl_->facts);
  return out;
}

core::Result<MappedCase> MapBundle(std::string_view bundle_json, const CodeMap& codes,
                                   core::Date as_of) {
  using R = core::Result<MappedCase>;
  PatientRecord record(codes);
  simdjson::dom::parser parser;
  element root;
  if (auto err = parser.parse(bundle_json.data(), bundle_json.size(), true).get(root))
    return R(core::ErrorKind::kInvalidInput, {formats::internal::ParseError(err)});
  auto type = TypeOf(root, "");
  if (!type.ok()) return R(type.kind(), type.errors());
  if (*type != "Bundle")
    return R::Invalid("resourceType", "bundle",
                      "must be \"Bundle\" (got \"" + std::string(*type) + "\")");
  element entries;
  core::Errors errors;
  std::vector<Unmapped> notes;
  if (root.at_key("entry").get(entries) == simdjson::SUCCESS && !entries.is_null()) {
    simdjson::dom::array arr;
    if (entries.get(arr) != simdjson::SUCCESS)
      return R::Invalid("entry", "type", "must be an array");
    size_t i = 0;
    for (element entry : arr) {
      const std::string path = "entry[" + std::to_string(i++) + "]";
      if (!entry.is_object()) {
        errors.push_back(Err(path, "type", "a Bundle entry must be a JSON object"));
        continue;
      }
      element res;
      if (entry.at_key("resource").get(res) != simdjson::SUCCESS || res.is_null()) {
        notes.push_back({"", path, "", "entry without a resource: skipped"});
        continue;
      }
      const std::string rpath = path + ".resource";
      auto rtype = TypeOf(res, rpath);
      if (!rtype.ok()) {
        errors.insert(errors.end(), rtype.errors().begin(), rtype.errors().end());
        continue;
      }
      std::string other = record.impl_->AddElement(res, *rtype);
      if (!other.empty())
        errors.push_back(Err(rpath + (*rtype == "Patient" ? ".id" : ".subject"), "patient_mismatch",
                             "refers to Patient/" + other + " but the bundle is for Patient/" +
                                 record.impl_->patient_id + ": a bundle must hold one patient"));
    }
  }
  if (!errors.empty()) return R(core::ErrorKind::kInvalidInput, std::move(errors));
  MappedCase m = record.ToCase(as_of);
  m.unmapped.insert(m.unmapped.begin(), notes.begin(), notes.end());
  return m;
}

std::string PatientRefOf(std::string_view resource_json) {
  thread_local simdjson::dom::parser parser;
  element root;
  if (parser.parse(resource_json.data(), resource_json.size(), true).get(root)) return {};
  std::string_view type, s;
  if (root["resourceType"].get(type)) return {};
  if (type == "Patient") return root["id"].get(s) ? std::string() : std::string(s);
  for (const char* key : {"subject", "patient"}) {
    element ref;
    if (root.at_key(key).get(ref) == simdjson::SUCCESS &&
        ref["reference"].get(s) == simdjson::SUCCESS)
      return std::string(internal::PatientIdOf(s));
  }
  return {};
}

void ApplyBleedingFactors(MappedCase& m, const pw::Knowledge& k) {
  const auto& found = m.bleeding_factors_found;
  if (found.empty()) return;
  int points = 0;
  std::string names;
  for (pw::BleedingFactor f : found) {
    bool shadowed = false;  // the lower member of a nested pair scores nothing beside the higher
    for (auto [lower, higher] : k.bleeding.nested)
      shadowed =
          shadowed || (f == lower && std::find(found.begin(), found.end(), higher) != found.end());
    if (!shadowed) points += k.bleeding.points[static_cast<size_t>(f)];
    names += (names.empty() ? "" : ", ") + std::string(pw::kBleedingFactorNames.Name(f));
  }
  const int high = k.bleeding.categories[2].min_points;
  auto& b = m.c.bleeding;
  if (b.risk || b.factors) {
    m.unmapped.push_back({"", "", "bleeding.factors",
                          "coded bleeding risk factors (" + names + ", " + std::to_string(points) +
                              " points) are not used: the bleeding risk was attested"});
  } else if (points >= high) {
    b.factors = found;
    m.unmapped.push_back(
        {"", "", "bleeding.factors",
         "coded bleeding risk factors (" + names + ") score " + std::to_string(points) +
             " points, the highest category whatever the uncoded factors: placed on the case"});
  } else {
    m.unmapped.push_back({"", "", "bleeding.risk",
                          "coded bleeding risk factors (" + names + ") score at least " +
                              std::to_string(points) +
                              " points; the other factors cannot be established from coded data "
                              "(absence is not evidence), so the bleeding risk is left unknown"});
  }
}

}  // namespace calfdvt::fhir
