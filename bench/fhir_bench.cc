// Micro-benchmarks of the FHIR mapping (src/fhir): the CDS Hooks patient-view path (MapBundle on
// a prefetch-sized Bundle, ToCase, EmitProposals) and the `calfdvt scan` path (PatientRecord::Add
// per Bulk NDJSON line). Goals and results: docs/benchmarks.md, "FHIR mapping micro-benchmarks".
//
//   bundle     examples/fhir/gastrocnemius-low-risk.json, minified (21 resources, ~12 KB):
//              muscular thrombus, serial imaging -> two duplex ServiceRequest proposals
//   vital      a Bulk Observation line (heart rate, vital-signs): irrelevant, must be skipped fast
//   condition  a Bulk Condition line (active C50.9 breast cancer)
//   medreq     a Bulk MedicationRequest line (apixaban, RxNorm)
//   ndjson     a mixed stream (8 vital signs : 1 condition : 1 medication request), bytes/s
#include <benchmark/benchmark.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>
#include <string_view>
#include <utility>

#include <simdjson.h>

#include "fhir/emit.h"
#include "fhir/record.h"
#include "formats/knowledge_json.h"
#include "pathway/engine.h"

namespace {

namespace fh = calfdvt::fhir;
namespace fm = calfdvt::formats;
namespace pw = calfdvt::pathway;

constexpr std::string_view kVital =
    R"({"resourceType":"Observation","id":"hr-000123","meta":{"lastUpdated":"2026-11-20T08:00:00Z"},"status":"final","category":[{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/observation-category","code":"vital-signs","display":"Vital Signs"}]}],"code":{"coding":[{"system":"http://loinc.org","code":"8867-4","display":"Heart rate"}],"text":"Heart rate"},"subject":{"reference":"Patient/p-000123"},"encounter":{"reference":"Encounter/e-000123"},"effectiveDateTime":"2026-11-20T08:00:00+01:00","issued":"2026-11-20T08:01:00+01:00","valueQuantity":{"value":72,"unit":"beats/minute","system":"http://unitsofmeasure.org","code":"/min"}})";

constexpr std::string_view kCondition =
    R"({"resourceType":"Condition","id":"cond-000123","clinicalStatus":{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/condition-clinical","code":"active"}]},"verificationStatus":{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/condition-ver-status","code":"confirmed"}]},"category":[{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/condition-category","code":"problem-list-item"}]}],"code":{"coding":[{"system":"http://hl7.org/fhir/sid/icd-10-cm","code":"C50.9","display":"Malignant neoplasm of breast, unspecified"}],"text":"Breast cancer"},"subject":{"reference":"Patient/p-000123"},"onsetDateTime":"2026-06-01","recordedDate":"2026-06-03"})";

constexpr std::string_view kMedReq =
    R"({"resourceType":"MedicationRequest","id":"mr-000123","status":"active","intent":"order","medicationCodeableConcept":{"coding":[{"system":"http://www.nlm.nih.gov/research/umls/rxnorm","code":"1364430","display":"apixaban 5 MG Oral Tablet"}],"text":"apixaban 5 mg"},"subject":{"reference":"Patient/p-000123"},"authoredOn":"2026-11-01","dosageInstruction":[{"text":"5 mg twice daily"}]})";

const calfdvt::core::Date kAsOf = *calfdvt::core::Date::Parse("2026-11-21");

const std::string& Bundle() {
  static const std::string b = [] {
    std::ifstream in(CALFDVT_SOURCE_DIR "/examples/fhir/gastrocnemius-low-risk.json");
    std::stringstream ss;
    ss << in.rdbuf();
    simdjson::dom::parser p;
    simdjson::dom::element e;
    if (p.parse(ss.str()).get(e)) {
      std::fprintf(stderr, "fhir_bench: cannot read the example bundle\n");
      std::abort();
    }
    return simdjson::minify(e);
  }();
  return b;
}

const pw::Knowledge& TheKnowledge() {
  static const pw::Knowledge k = [] {
    auto r = fm::LoadEmbeddedKnowledge();
    if (!r.ok()) std::abort();
    return std::move(r).value();
  }();
  return k;
}

void BM_MapBundle(benchmark::State& state) {
  const std::string& b = Bundle();
  for (auto _ : state) {
    auto m = fh::MapBundle(b, fh::DefaultCodeMap(), kAsOf);
    benchmark::DoNotOptimize(m);
  }
  state.SetBytesProcessed(state.iterations() * static_cast<int64_t>(b.size()));
  state.SetLabel(std::to_string(b.size()) + " bytes");
}

void AddLine(benchmark::State& state, std::string_view line) {
  fh::PatientRecord record(fh::DefaultCodeMap());
  int64_t n = 0;
  for (auto _ : state) {
    if (++n % 4096 == 0) {  // keep the record small: a patient has a few thousand lines at most
      state.PauseTiming();
      record = fh::PatientRecord(fh::DefaultCodeMap());
      state.ResumeTiming();
    }
    benchmark::DoNotOptimize(record.Add(line));
  }
  state.SetBytesProcessed(state.iterations() * static_cast<int64_t>(line.size()));
}
void BM_AddVitalSign(benchmark::State& state) { AddLine(state, kVital); }
void BM_AddCondition(benchmark::State& state) { AddLine(state, kCondition); }
void BM_AddMedicationRequest(benchmark::State& state) { AddLine(state, kMedReq); }

// A Bulk stream: 8 vital signs, 1 condition, 1 medication request per 10 lines; one record per
// 100 lines (a patient).
void BM_NdjsonMixed(benchmark::State& state) {
  std::string_view lines[10] = {kVital, kVital, kVital, kCondition, kVital,
                                kVital, kVital, kMedReq,    kVital, kVital};
  int64_t bytes = 0;
  for (auto _ : state) {
    fh::PatientRecord record(fh::DefaultCodeMap());
    for (int i = 0; i < 100; ++i) {
      benchmark::DoNotOptimize(record.Add(lines[i % 10]));
      bytes += static_cast<int64_t>(lines[i % 10].size());
    }
    benchmark::DoNotOptimize(record.ToCase(kAsOf));
  }
  state.SetBytesProcessed(bytes);
}

void BM_ToCase(benchmark::State& state) {
  auto bundle = fh::MapBundle(Bundle(), fh::DefaultCodeMap(), kAsOf);  // warm-up / sanity
  if (!bundle.ok()) std::abort();
  // The same resources, added one at a time.
  simdjson::dom::parser p;
  simdjson::dom::element root;
  if (p.parse(Bundle()).get(root)) std::abort();
  fh::PatientRecord record(fh::DefaultCodeMap());
  for (simdjson::dom::element e : root["entry"].get_array())
    if (!record.Add(simdjson::minify(e["resource"])).ok()) std::abort();
  for (auto _ : state) benchmark::DoNotOptimize(record.ToCase(kAsOf));
}

void BM_EmitProposals(benchmark::State& state) {
  const pw::Knowledge& k = TheKnowledge();
  auto r = fh::MapBundle(Bundle(), fh::DefaultCodeMap(), kAsOf);
  if (!r.ok() || !r->usable) std::abort();
  fh::MappedCase m = std::move(r).value();
  fh::ApplyBleedingFactors(m, k);
  const pw::Assessment a = pw::Assess(m.c, k, *k.FindProfile(k.default_profile));
  for (auto _ : state) benchmark::DoNotOptimize(fh::EmitProposals(a, "Patient/p-low-risk"));
  state.SetLabel(std::to_string(fh::EmitProposals(a, "Patient/p-low-risk").size()) + " resources");
}

}  // namespace

// CALFDVT_BENCH_ITERATIONS=N runs every benchmark exactly N iterations (for callgrind: with
// --toggle-collect='*BM_*' the instruction count per call is the total divided by N).
int main(int argc, char** argv) {
  (void)fh::DefaultCodeMap();  // load the code map and knowledge outside the measured loops
  (void)TheKnowledge();
  (void)Bundle();
  const char* iters = std::getenv("CALFDVT_BENCH_ITERATIONS");
  const std::pair<const char*, void (*)(benchmark::State&)> all[] = {
      {"BM_MapBundle", BM_MapBundle},
      {"BM_AddVitalSign", BM_AddVitalSign},
      {"BM_AddCondition", BM_AddCondition},
      {"BM_AddMedicationRequest", BM_AddMedicationRequest},
      {"BM_NdjsonMixed", BM_NdjsonMixed},
      {"BM_ToCase", BM_ToCase},
      {"BM_EmitProposals", BM_EmitProposals},
  };
  for (const auto& [name, fn] : all) {
    auto* b = benchmark::RegisterBenchmark(name, fn);
    if (iters) b->Iterations(std::atoll(iters));
  }
  benchmark::Initialize(&argc, argv);
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
