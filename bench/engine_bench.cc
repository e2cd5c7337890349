// Micro-benchmarks of the single-case hot path: parse (calfdvt/case@1), assess (pathway::Assess)
// and serialise (calfdvt/assessment@1), separately and together, on three cases under the default
// profile of the embedded knowledge. "Prepared" variants serialise with AssessmentJsonWriter, as
// `calfdvt assess --batch` does. Goals and results: docs/benchmarks.md.
//
//   typical    examples/gastrocnemius-low-risk.json: one muscular thrombus, no risk factor
//              -> serial_imaging with a surveillance plan
//   high_risk  three axial thrombi, long and wide, near the popliteal vein, positive D-dimer,
//              active cancer, prior VTE -> anticoagulate, extended LMWH regimen, alerts
//   unknowns   examples/unknowns.json: most inputs missing -> many unknowns and decisive
//              unknowns (counterfactual re-evaluation)
//
// The cases are single NDJSON lines, as `calfdvt assess --batch` reads them.
#include <benchmark/benchmark.h>

#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "formats/assessment_json.h"
#include "formats/case_json.h"
#include "formats/knowledge_json.h"
#include "pathway/engine.h"

namespace {

namespace fm = calfdvt::formats;
namespace pw = calfdvt::pathway;

constexpr std::string_view kTypical =
    R"({"format":"calfdvt/case@1","id":"example-low-risk","as_of":"2026-11-21","patient":{"age":64,"sex":"female","pregnancy":"none","crcl_ml_min":85,"severe_liver_disease":false,"antiphospholipid_syndrome":false},"imaging":{"date":"2026-11-20","protocol":"whole_leg_duplex","side":"left","thrombi":[{"vein":"gastrocnemius_medial","side":"left","length_cm":3.0,"max_diameter_mm":5.5,"distance_to_popliteal_cm":6.0,"acute":true}]},"labs":{"d_dimer":{"value":420,"unit":"ng/mL FEU","cutoff":500}},"history":{"provocation":"transient","active_cancer":false,"prior_vte":false,"inpatient":false,"recent_hospitalization":false,"recent_surgery":false,"severe_symptoms":false,"covid19":false,"end_stage_renal_disease":false,"stroke":false},"bleeding":{"risk":"low","anticoagulation_contraindicated":false},"preferences":{"anticoagulation":"no_preference"}})";

constexpr std::string_view kHighRisk =
    R"({"format":"calfdvt/case@1","id":"bench-high-risk","as_of":"2026-11-21","patient":{"age":71,"sex":"male","crcl_ml_min":48,"severe_liver_disease":false,"antiphospholipid_syndrome":false},"imaging":{"date":"2026-11-20","protocol":"whole_leg_duplex","side":"right","thrombi":[{"vein":"peroneal","side":"right","length_cm":7.5,"max_diameter_mm":8.0,"distance_to_popliteal_cm":4.0,"acute":true},{"vein":"posterior_tibial","side":"right","length_cm":4.0,"max_diameter_mm":6.0,"distance_to_popliteal_cm":9.0,"acute":true},{"vein":"soleal","side":"right","length_cm":3.0,"max_diameter_mm":5.0,"distance_to_popliteal_cm":12.0,"acute":true}]},"labs":{"d_dimer":{"value":2150,"unit":"ng/mL FEU","cutoff":500}},"history":{"provocation":"persistent","active_cancer":true,"prior_vte":true,"inpatient":false,"recent_hospitalization":true,"recent_surgery":false,"severe_symptoms":true,"covid19":false,"end_stage_renal_disease":false,"stroke":false},"bleeding":{"risk":"low","anticoagulation_contraindicated":false},"preferences":{"anticoagulation":"no_preference"}})";

constexpr std::string_view kUnknowns =
    R"({"format":"calfdvt/case@1","id":"unknowns","as_of":"2026-11-21","patient":{"age":64,"sex":"female","pregnancy":"none","crcl_ml_min":85,"severe_liver_disease":false,"antiphospholipid_syndrome":false},"imaging":{"date":"2026-11-20","protocol":"whole_leg_duplex","side":"left","thrombi":[{"vein":"soleal","side":"left","length_cm":2.5}]},"labs":{},"history":{"provocation":"transient"}})";

struct Fixture {
  pw::Knowledge knowledge;
  const pw::ProfileDef* profile = nullptr;
};

const Fixture& TheFixture() {
  static const Fixture f = [] {
    auto k = fm::LoadEmbeddedKnowledge();
    if (!k.ok()) {
      std::fprintf(stderr, "engine_bench: embedded knowledge does not load\n");
      std::abort();
    }
    Fixture out{std::move(k).value()};
    out.profile = out.knowledge.FindProfile(out.knowledge.default_profile);
    return out;
  }();
  return f;
}

pw::Case ParseOrDie(std::string_view json) {
  fm::CaseParser parser;
  auto c = parser.Parse(json, TheFixture().knowledge);
  if (!c.ok()) {
    std::fprintf(stderr, "engine_bench: a benchmark case is invalid: %s\n",
                 c.errors().front().message.c_str());
    std::abort();
  }
  return std::move(c).value();
}

// Labels the run with the case's strategy so a change of outcome is visible next to the time.
void Label(benchmark::State& state, const pw::Assessment& a) {
  state.SetLabel(std::string(pw::kStrategyNames.Name(a.strategy)));
}

void BM_Evaluate(benchmark::State& state, std::string_view json) {
  const Fixture& f = TheFixture();
  const pw::Case c = ParseOrDie(json);
  for (auto _ : state) {
    pw::Assessment a = pw::Assess(c, f.knowledge, *f.profile);
    benchmark::DoNotOptimize(a);
  }
  Label(state, pw::Assess(c, f.knowledge, *f.profile));
  state.SetItemsProcessed(state.iterations());
}

void BM_Parse(benchmark::State& state, std::string_view json) {
  const Fixture& f = TheFixture();
  fm::CaseParser parser;
  for (auto _ : state) {
    auto c = parser.Parse(json, f.knowledge);
    benchmark::DoNotOptimize(c);
  }
  state.SetBytesProcessed(state.iterations() * static_cast<int64_t>(json.size()));
  state.SetItemsProcessed(state.iterations());
}

void BM_Serialize(benchmark::State& state, std::string_view json) {
  const Fixture& f = TheFixture();
  const pw::Case c = ParseOrDie(json);
  const pw::Assessment a = pw::Assess(c, f.knowledge, *f.profile);
  std::string out;
  for (auto _ : state) {
    out.clear();
    fm::AppendAssessmentJson(a, out);
    benchmark::DoNotOptimize(out.data());
  }
  Label(state, a);
  state.SetBytesProcessed(state.iterations() * static_cast<int64_t>(out.size()));
  state.SetItemsProcessed(state.iterations());
}

// The batch path: AssessmentJsonWriter (knowledge texts pre-rendered), same bytes.
void BM_SerializePrepared(benchmark::State& state, std::string_view json) {
  const Fixture& f = TheFixture();
  const pw::Case c = ParseOrDie(json);
  const pw::Assessment a = pw::Assess(c, f.knowledge, *f.profile);
  fm::AssessmentJsonWriter writer(f.knowledge);
  std::string out;
  for (auto _ : state) {
    out.clear();
    writer.Append(a, out);
    benchmark::DoNotOptimize(out.data());
  }
  Label(state, a);
  state.SetBytesProcessed(state.iterations() * static_cast<int64_t>(out.size()));
  state.SetItemsProcessed(state.iterations());
}

void BM_ParseEvaluateSerialize(benchmark::State& state, std::string_view json) {
  const Fixture& f = TheFixture();
  fm::CaseParser parser;
  std::string out;
  for (auto _ : state) {
    out.clear();
    auto c = parser.Parse(json, f.knowledge);
    if (c.ok()) fm::AppendAssessmentJson(pw::Assess(*c, f.knowledge, *f.profile), out);
    benchmark::DoNotOptimize(out.data());
  }
  if (out.empty()) state.SkipWithError("case rejected");
  Label(state, pw::Assess(ParseOrDie(json), f.knowledge, *f.profile));
  // Input bytes, as the batch throughput goal counts them.
  state.SetBytesProcessed(state.iterations() * static_cast<int64_t>(json.size()));
  state.SetItemsProcessed(state.iterations());
}

// What `calfdvt assess --batch` does per line (CaseParser + Assess + AssessmentJsonWriter).
void BM_ParseEvaluateSerializePrepared(benchmark::State& state, std::string_view json) {
  const Fixture& f = TheFixture();
  fm::CaseParser parser;
  fm::AssessmentJsonWriter writer(f.knowledge);
  std::string out;
  for (auto _ : state) {
    out.clear();
    auto c = parser.Parse(json, f.knowledge);
    if (c.ok()) writer.Append(pw::Assess(*c, f.knowledge, *f.profile), out);
    benchmark::DoNotOptimize(out.data());
  }
  if (out.empty()) state.SkipWithError("case rejected");
  Label(state, pw::Assess(ParseOrDie(json), f.knowledge, *f.profile));
  state.SetBytesProcessed(state.iterations() * static_cast<int64_t>(json.size()));
  state.SetItemsProcessed(state.iterations());
}

}  // namespace

BENCHMARK_CAPTURE(BM_Evaluate, typical, kTypical);
BENCHMARK_CAPTURE(BM_Evaluate, high_risk, kHighRisk);
BENCHMARK_CAPTURE(BM_Evaluate, unknowns, kUnknowns);
BENCHMARK_CAPTURE(BM_Parse, typical, kTypical);
BENCHMARK_CAPTURE(BM_Parse, high_risk, kHighRisk);
BENCHMARK_CAPTURE(BM_Parse, unknowns, kUnknowns);
BENCHMARK_CAPTURE(BM_Serialize, typical, kTypical);
BENCHMARK_CAPTURE(BM_Serialize, high_risk, kHighRisk);
BENCHMARK_CAPTURE(BM_Serialize, unknowns, kUnknowns);
BENCHMARK_CAPTURE(BM_SerializePrepared, typical, kTypical);
BENCHMARK_CAPTURE(BM_SerializePrepared, high_risk, kHighRisk);
BENCHMARK_CAPTURE(BM_SerializePrepared, unknowns, kUnknowns);
BENCHMARK_CAPTURE(BM_ParseEvaluateSerialize, typical, kTypical);
BENCHMARK_CAPTURE(BM_ParseEvaluateSerialize, high_risk, kHighRisk);
BENCHMARK_CAPTURE(BM_ParseEvaluateSerialize, unknowns, kUnknowns);
BENCHMARK_CAPTURE(BM_ParseEvaluateSerializePrepared, typical, kTypical);
BENCHMARK_CAPTURE(BM_ParseEvaluateSerializePrepared, high_risk, kHighRisk);
BENCHMARK_CAPTURE(BM_ParseEvaluateSerializePrepared, unknowns, kUnknowns);

BENCHMARK_MAIN();
