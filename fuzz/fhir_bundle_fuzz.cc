// libFuzzer target: bytes -> fhir::MapBundle (the `calfdvt assess --fhir` path) and, the same bytes
// split into lines, -> fhir::PatientRecord::Add per line + ToCase (the Bulk NDJSON path of
// `calfdvt scan`). Besides ASan/UBSan, on every mapped case that is `usable` it checks:
//   - the case passes what the CLI applies (ApplyBleedingFactors, then pathway::CheckCase) and the
//     calfdvt/case@1 format rules record.h promises (MappedCase::c "passes formats/case_json
//     validation rules when usable");
//   - the engine assesses it under every profile, with the invariants of fuzz/invariants.h;
//   - an acute (or acuity unknown) thrombus in a vein the knowledge classes proximal never gets
//     serial imaging (chronic thrombi are ignored for classification: clinical-spec §5.1);
//   - a pregnant patient never gets a DOAC, VKA or oral Xa inhibitor;
//   - fhir::EmitProposals / EmitBundle produce well-formed JSON objects of the declared type.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "fhir/code_map.h"
#include "fhir/emit.h"
#include "fhir/record.h"
#include "fuzz/invariants.h"
#include "pathway/engine.h"
#include "pathway/validate.h"

namespace {

namespace fm = calfdvt::formats;
namespace fh = calfdvt::fhir;
namespace pw = calfdvt::pathway;
using calfdvt::fuzz::Check;

// The as_of of the examples in examples/fhir/.
const calfdvt::core::Date kAsOf = calfdvt::core::Date::FromCivil(2026, 11, 21);

// The calfdvt/case@1 rules of formats/case_json.cc that a mapped case can break (the mapping builds
// the struct directly, so the parser never sees it).
void CheckFormatRules(const pw::Case& c) {
  const pw::Patient& p = c.patient;
  if (p.age) Check(*p.age >= 0 && *p.age <= 120);
  if (p.crcl_ml_min) Check(*p.crcl_ml_min >= 0);
  if (p.sex == pw::Sex::kMale && p.pregnancy) Check(*p.pregnancy == pw::Pregnancy::kNone);
  Check(c.imaging.date <= c.as_of);
  if (p.delivery_date) Check(*p.delivery_date <= c.as_of);
  if (c.imaging.thrombi) {
    for (const pw::Thrombus& t : *c.imaging.thrombi) {
      if (t.side) {
        Check(*t.side != calfdvt::core::Side::kBilateral);
        if (c.imaging.side && *c.imaging.side != calfdvt::core::Side::kBilateral)
          Check(*t.side == *c.imaging.side);
      }
      if (t.length_cm) Check(*t.length_cm > 0);
      if (t.max_diameter_mm) Check(*t.max_diameter_mm > 0 && *t.max_diameter_mm <= 50);
      if (t.distance_to_popliteal_cm) Check(*t.distance_to_popliteal_cm >= 0);
    }
  }
  if (const auto& dd = c.labs.d_dimer) {
    if (dd->value) Check(*dd->value >= 0);
    if (dd->cutoff) Check(*dd->cutoff > 0);
    if (dd->value && dd->cutoff && c.labs.d_dimer_result)
      Check((*dd->value >= *dd->cutoff) ==
            (*c.labs.d_dimer_result == pw::DDimerResult::kPositive));
  }
  if (c.bleeding.factors) {
    const auto& f = *c.bleeding.factors;
    for (size_t i = 0; i < f.size(); ++i)
      for (size_t j = i + 1; j < f.size(); ++j) Check(f[i] != f[j]);
  }
}

bool AcuteProximal(const pw::Case& c, const pw::Knowledge& k) {
  if (!c.imaging.thrombi) return false;
  for (const pw::Thrombus& t : *c.imaging.thrombi)
    if (t.acute != false &&
        k.veins[static_cast<size_t>(t.vein)].vein_class == pw::VeinClass::kProximal)
      return true;
  return false;
}

void CheckProposals(const pw::Assessment& a, const std::string& ref,
                    simdjson::dom::parser& json) {
  for (const fh::EmittedResource& r : fh::EmitProposals(a, ref)) {
    simdjson::dom::element root;
    Check(json.parse(r.json).get(root) == simdjson::SUCCESS);
    std::string_view type, id;
    Check(root["resourceType"].get(type) == simdjson::SUCCESS && type == r.type);
    Check(root["id"].get(id) == simdjson::SUCCESS && id == r.id);
  }
  simdjson::dom::element bundle;
  Check(json.parse(fh::EmitBundle(a, ref)).get(bundle) == simdjson::SUCCESS);
  std::string_view type;
  Check(bundle["resourceType"].get(type) == simdjson::SUCCESS && type == "Bundle");
}

// What `calfdvt assess --fhir` does with a mapped case (src/cli/assess_fhir.cc), with checks.
void CheckMapped(fh::MappedCase& m) {
  const pw::Knowledge& k = calfdvt::fuzz::EmbeddedKnowledge();
  static fm::AssessmentJsonWriter writer(k);
  static simdjson::dom::parser json;
  static std::string out;

  Check(m.c.as_of == kAsOf);
  fh::ApplyBleedingFactors(m, k);
  if (!m.usable) return;
  if (!m.patient_id.empty()) m.c.id = m.patient_id;
  Check(pw::CheckCase(m.c, k).empty());
  CheckFormatRules(m.c);
  const bool acute_proximal = AcuteProximal(m.c, k);
  const std::string ref = m.patient_id.empty() ? std::string() : "Patient/" + m.patient_id;
  for (const pw::ProfileDef& p : k.profiles) {
    const pw::Assessment a = pw::Assess(m.c, k, p);
    calfdvt::fuzz::CheckAssessment(m.c, k, p, a, writer, out, json);
    if (acute_proximal) {
      Check(a.classification == pw::Classification::kProximal);
      Check(a.strategy != pw::Strategy::kSerialImaging);
    }
    if (m.c.patient.pregnancy == pw::Pregnancy::kPregnant && a.regimen)
      Check(a.regimen->agent == pw::Agent::kLmwh);
    CheckProposals(a, ref, json);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const fh::CodeMap& codes = fh::DefaultCodeMap();
  const std::string_view input(reinterpret_cast<const char*>(data), size);

  // The bytes as one Bundle.
  auto mapped = fh::MapBundle(input, codes, kAsOf);
  if (mapped.ok())
    CheckMapped(mapped.value());
  else
    Check(!mapped.errors().empty());

  // The bytes as NDJSON, one resource per line (a Bundle on one line is just a rejected line).
  fh::PatientRecord record(codes);
  std::string_view rest = input;
  while (!rest.empty()) {
    const size_t end = rest.find('\n');
    const std::string_view line = rest.substr(0, end);
    rest = end == std::string_view::npos ? std::string_view() : rest.substr(end + 1);
    (void)record.Add(line);
  }
  fh::MappedCase m = record.ToCase(kAsOf);
  CheckMapped(m);
  return 0;
}
