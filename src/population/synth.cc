#include "population/synth.h"

#include <algorithm>
#include <array>

#include "core/json_writer.h"
#include "population/synth_resources.h"
#include "population/synth_rng.h"

namespace calfdvt::population {
namespace {

using synth::Code;
using synth::Subject;

constexpr std::array<std::string_view, 7> kTypes = {
    "Patient", "Condition", "Observation", "DiagnosticReport", "MedicationRequest",
    "ServiceRequest", "Encounter"};
enum Type : size_t { kPatient, kCondition, kObservation, kReport, kMedication, kService, kEncounter };

// Follow-up duplex state planted for a DVT patient.
enum class FollowUp { kNone, kUpcoming, kOverdue, kCompleted, kRevoked };
enum class Anticoag { kNone, kActive, kCancelled };

struct Emitter {
  const std::function<void(size_t, std::string_view)>& emit;
  int files_per_type;
  std::array<int64_t, kTypes.size()> per_type{};
  std::vector<int64_t> lines;  // per file
  void operator()(Type t, const std::string& line) {
    const size_t file = t * files_per_type + static_cast<size_t>(per_type[t]++ % files_per_type);
    ++lines[file];
    emit(file, line);
  }
};

std::string PatientId(uint64_t seed, int64_t index) {
  // Mix64 is a bijection, so distinct indexes give distinct ids for one seed.
  const uint64_t v = Mix64(static_cast<uint64_t>(index) ^ Mix64(seed * 0x9e3779b97f4a7c15ULL + 7));
  static constexpr char kHex[] = "0123456789abcdef";
  std::string id(16, '0');
  for (int i = 0; i < 16; ++i) id[i] = kHex[(v >> (60 - 4 * i)) & 15];
  return id;
}

constexpr std::array<Code, 6> kCommonConditions = {{
    {synth::kIcd10, "I10", "Essential (primary) hypertension"},
    {synth::kIcd10, "E11.9", "Type 2 diabetes mellitus without complications"},
    {synth::kIcd10, "J45.909", "Unspecified asthma, uncomplicated"},
    {synth::kIcd10, "M54.50", "Low back pain, unspecified"},
    {synth::kIcd10, "E78.5", "Hyperlipidemia, unspecified"},
    {synth::kIcd10, "K21.9", "Gastro-esophageal reflux disease without esophagitis"},
}};
constexpr std::array<Code, 4> kCommonDrugs = {{
    {synth::kRxNorm, "29046", "lisinopril"},
    {synth::kRxNorm, "6809", "metformin"},
    {synth::kRxNorm, "83367", "atorvastatin"},
    {synth::kRxNorm, "7646", "omeprazole"},
}};
constexpr std::array<Code, 4> kAnticoagulants = {{
    {synth::kRxNorm, "1364430", "apixaban"},
    {synth::kRxNorm, "1114195", "rivaroxaban"},
    {synth::kRxNorm, "67108", "enoxaparin"},
    {synth::kRxNorm, "1599538", "edoxaban"},
}};
constexpr std::array<Code, 5> kDistalVeins = {{
    {synth::kSnomed, "264481007", "Gastrocnemius vein"},
    {synth::kSnomed, "397427005", "Soleal vein"},
    {synth::kSnomed, "4258007", "Posterior tibial vein"},
    {synth::kSnomed, "71758008", "Peroneal vein"},
    {synth::kSnomed, "26703007", "Anterior tibial vein"},
}};
// ICD-10-CM distal DVT codes by vein kind (muscular, tibial, peroneal, unspecified distal), left.
constexpr std::array<std::string_view, 4> kDistalIcdLeft = {"I82.462", "I82.442", "I82.452", "I82.4Z2"};
constexpr std::array<std::string_view, 4> kDistalIcdRight = {"I82.461", "I82.441", "I82.451", "I82.4Z1"};

struct PatientPlan {
  bool distal = false, proximal = false, limited = false;
  Anticoag anticoag = Anticoag::kNone;
  FollowUp followup = FollowUp::kNone;
};

std::vector<GapCode> ExpectedGaps(const PatientPlan& p) {
  std::vector<GapCode> g;
  const bool treated = p.anticoag == Anticoag::kActive;
  const bool ordered = p.followup != FollowUp::kNone && p.followup != FollowUp::kRevoked;
  if (p.distal && !treated && !ordered) g.push_back(GapCode::kUntreatedDistalWithoutFollowup);
  if (p.distal && p.followup == FollowUp::kOverdue) g.push_back(GapCode::kFollowupOverdue);
  if (p.limited && !p.proximal) g.push_back(GapCode::kCalfVeinsNotAssessed);
  if (p.proximal && !treated) g.push_back(GapCode::kProximalDvtUntreated);
  return g;
}

class PatientWriter {
 public:
  PatientWriter(Emitter& out, Rng& rng, std::string id, core::Date as_of)
      : out_(out), rng_(rng), as_of_(as_of) {
    s_.patient_id = std::move(id);
  }

  std::string NextId(char kind) { return s_.patient_id + "-" + kind + std::to_string(++seq_); }
  // 1 in 20 references is an absolute URL (Bulk exports may use either form).
  const Subject& Ref() {
    s_.base_ref = rng_.Chance(0.05) ? "https://ehr.example.org/fhir/Patient/" + s_.patient_id
                                    : "Patient/" + s_.patient_id;
    return s_;
  }
  core::Date Past(int min_days, int max_days) { return as_of_.AddDays(-rng_.Range(min_days, max_days)); }

  void Background() {
    const int visits = rng_.Range(1, 4);
    for (int v = 0; v < visits; ++v) {
      const core::Date d = Past(20, 700);
      out_(kEncounter, synth::EncounterJson(NextId('e'), Ref(), false, d, rng_));
      Vitals(d);
      if (rng_.Chance(0.5)) Labs(d);
    }
    const int conditions = rng_.Range(0, 3);
    for (int c = 0; c < conditions; ++c)
      out_(kCondition, synth::ConditionJson(NextId('c'), Ref(), kCommonConditions[rng_.Range(0, 5)],
                                            "active", "confirmed", Past(60, 3000), rng_));
    const int drugs = rng_.Range(0, 2);
    for (int m = 0; m < drugs; ++m)
      out_(kMedication, synth::MedicationRequestJson(NextId('m'), Ref(), kCommonDrugs[rng_.Range(0, 3)],
                                                     "active", "one tablet daily", Past(30, 600), rng_));
    // Decoys: codes near the DVT codes that are not an acute DVT or an active cancer.
    if (rng_.Chance(0.02))
      out_(kCondition, synth::ConditionJson(NextId('c'), Ref(),
                                            {synth::kIcd10, "I82.512", "Chronic embolism and thrombosis of left femoral vein"},
                                            "active", "confirmed", Past(200, 2000), rng_));
    if (rng_.Chance(0.03))
      out_(kCondition, synth::ConditionJson(NextId('c'), Ref(),
                                            {synth::kIcd10, "Z86.718", "Personal history of other venous thrombosis and embolism"},
                                            "active", "confirmed", Past(200, 2000), rng_));
    if (rng_.Chance(0.02))
      out_(kCondition, synth::ConditionJson(NextId('c'), Ref(),
                                            {synth::kIcd10, "Z85.3", "Personal history of malignant neoplasm of breast"},
                                            "active", "confirmed", Past(400, 4000), rng_));
  }

  // A DVT patient's index episode: diagnosis, duplex, D-dimer, treatment, follow-up orders.
  void Dvt(const PatientPlan& p, bool female, int age) {
    const bool left = rng_.Chance(0.5);
    const std::string_view side = left ? "left" : "right";
    // Onset placed so that the follow-up due date lands clear of as_of (never within 3 days).
    int due_offset = 0;  // due - as_of
    switch (p.followup) {
      case FollowUp::kUpcoming: due_offset = rng_.Range(1, 10); break;
      case FollowUp::kOverdue: due_offset = -rng_.Range(4, 30); break;
      case FollowUp::kCompleted: due_offset = -rng_.Range(4, 30); break;
      default: due_offset = -rng_.Range(-6, 30); break;
    }
    const int day = rng_.Chance(0.5) ? 7 : 14;
    const core::Date due = as_of_.AddDays(due_offset);
    core::Date onset = due.AddDays(-day);
    if (onset > as_of_.AddDays(-1)) onset = as_of_.AddDays(-1);
    // Diagnosis.
    if (p.proximal) {
      const bool popliteal = rng_.Chance(0.6);
      const Code c = popliteal ? Code{synth::kIcd10, left ? "I82.432" : "I82.431",
                                      "Acute embolism and thrombosis of popliteal vein"}
                               : Code{synth::kIcd10, left ? "I82.412" : "I82.411",
                                      "Acute embolism and thrombosis of femoral vein"};
      out_(kCondition, synth::ConditionJson(NextId('c'), Ref(), c, "active", "confirmed", onset, rng_));
    } else {
      const int k = rng_.Range(0, 3);
      const Code c{synth::kIcd10, left ? kDistalIcdLeft[k] : kDistalIcdRight[k],
                   "Acute embolism and thrombosis of deep veins of distal lower extremity"};
      out_(kCondition, synth::ConditionJson(NextId('c'), Ref(), c, "active", "confirmed", onset, rng_));
    }
    // Imaging: thrombus observations and the duplex report pointing to them.
    std::string obs[3];
    const int n = p.proximal ? 1 : rng_.Range(1, 3);
    for (int i = 0; i < n; ++i) {
      synth::ThrombusFinding t;
      t.vein = p.proximal ? Code{synth::kSnomed, "56849005", "Popliteal vein"} : kDistalVeins[rng_.Range(0, 4)];
      t.side = side;
      t.length_cm = rng_.Real(1.0, 7.0, 0.1);
      t.diameter_mm = rng_.Real(3.0, 9.0, 0.5);
      t.distance_cm = p.proximal ? 0.0 : rng_.Real(2.0, 15.0, 0.5);
      obs[i] = NextId('o');
      out_(kObservation, synth::ThrombusObservationJson(obs[i], Ref(), t, onset, rng_));
    }
    const Code report = p.limited ? Code{synth::kLoinc, "80860-0", "US Lower extremity vein Limited"}
                        : left    ? Code{synth::kLoinc, "48692-8", "US Lower extremity vein - left"}
                                  : Code{synth::kLoinc, "48691-0", "US Lower extremity vein - right"};
    out_(kReport, synth::DuplexReportJson(NextId('r'), Ref(), report, p.limited,
                                          p.proximal ? "Acute proximal deep vein thrombosis."
                                                     : "Acute thrombus in the calf veins.",
                                          obs, n, onset, rng_));
    if (rng_.Chance(0.7)) {
      const bool feu = rng_.Chance(0.85);
      const double cutoff = feu ? 500 : 250;
      out_(kObservation, synth::DDimerJson(NextId('o'), Ref(), feu, rng_.Real(0.3, 6.0, 0.01) * cutoff,
                                           cutoff, onset, rng_));
    }
    if (rng_.Chance(0.2))
      out_(kEncounter, synth::EncounterJson(NextId('e'), Ref(), true, onset.AddDays(-rng_.Range(0, 3)), rng_));
    if (rng_.Chance(0.1))
      out_(kCondition, synth::ConditionJson(NextId('c'), Ref(),
                                            {synth::kIcd10, "C18.9", "Malignant neoplasm of colon, unspecified"},
                                            "active", "confirmed", Past(60, 400), rng_));
    if (female && age >= 18 && age <= 45 && rng_.Chance(0.1))
      out_(kCondition, synth::ConditionJson(NextId('c'), Ref(),
                                            {synth::kIcd10, "Z33.1", "Pregnant state, incidental"},
                                            "active", "confirmed", onset.AddDays(-60), rng_));
    // Treatment.
    const Code drug = kAnticoagulants[rng_.Range(0, 3)];
    if (p.anticoag != Anticoag::kNone)
      out_(kMedication, synth::MedicationRequestJson(NextId('m'), Ref(), drug,
                                                     p.anticoag == Anticoag::kActive ? "active" : "cancelled",
                                                     "as directed", onset, rng_));
    // Follow-up duplex order.
    if (p.followup != FollowUp::kNone) {
      const std::string_view status = p.followup == FollowUp::kCompleted ? "completed"
                                      : p.followup == FollowUp::kRevoked ? "revoked"
                                                                          : "active";
      const Code fu = left ? Code{synth::kLoinc, "48692-8", "US Lower extremity vein - left"}
                           : Code{synth::kLoinc, "48691-0", "US Lower extremity vein - right"};
      out_(kService, synth::ServiceRequestJson(NextId('s'), Ref(), fu, status, onset, due, rng_));
    }
  }

  void Vitals(core::Date d) {
    out_(kObservation, synth::QuantityObservationJson(NextId('o'), Ref(), "vital-signs",
                                                      {synth::kLoinc, "8867-4", "Heart rate"},
                                                      rng_.Range(52, 110), "beats/minute", "/min", d, rng_));
    out_(kObservation, synth::QuantityObservationJson(NextId('o'), Ref(), "vital-signs",
                                                      {synth::kLoinc, "9279-1", "Respiratory rate"},
                                                      rng_.Range(10, 24), "breaths/minute", "/min", d, rng_));
    out_(kObservation, synth::QuantityObservationJson(NextId('o'), Ref(), "vital-signs",
                                                      {synth::kLoinc, "8310-5", "Body temperature"},
                                                      rng_.Real(36.0, 38.5, 0.1), "Cel", "Cel", d, rng_));
    out_(kObservation, synth::QuantityObservationJson(NextId('o'), Ref(), "vital-signs",
                                                      {synth::kLoinc, "59408-5", "Oxygen saturation in Arterial blood by Pulse oximetry"},
                                                      rng_.Range(91, 100), "%", "%", d, rng_));
    out_(kObservation, synth::QuantityObservationJson(NextId('o'), Ref(), "vital-signs",
                                                      {synth::kLoinc, "29463-7", "Body weight"},
                                                      rng_.Real(45, 130, 0.1), "kg", "kg", d, rng_));
    out_(kObservation, synth::BloodPressureJson(NextId('o'), Ref(), rng_.Range(100, 170),
                                                rng_.Range(60, 100), d, rng_));
  }

  void Labs(core::Date d) {
    out_(kObservation, synth::QuantityObservationJson(NextId('o'), Ref(), "laboratory",
                                                      {synth::kLoinc, "718-7", "Hemoglobin [Mass/volume] in Blood"},
                                                      rng_.Real(9, 17, 0.1), "g/dL", "g/dL", d, rng_));
    out_(kObservation, synth::QuantityObservationJson(NextId('o'), Ref(), "laboratory",
                                                      {synth::kLoinc, "2160-0", "Creatinine [Mass/volume] in Serum or Plasma"},
                                                      rng_.Real(0.5, 2.5, 0.01), "mg/dL", "mg/dL", d, rng_));
    out_(kObservation, synth::QuantityObservationJson(NextId('o'), Ref(), "laboratory",
                                                      {synth::kLoinc, "777-3", "Platelets [#/volume] in Blood by Automated count"},
                                                      rng_.Range(120, 420), "10*3/uL", "10*3/uL", d, rng_));
  }

  // A negative whole-leg duplex (decoy: a venous report without thrombus).
  void NegativeDuplex() {
    const core::Date d = Past(5, 300);
    out_(kReport, synth::DuplexReportJson(NextId('r'), Ref(),
                                          {synth::kLoinc, "48691-0", "US Lower extremity vein - right"}, false,
                                          "No deep vein thrombosis.", nullptr, 0, d, rng_));
  }

 private:
  Emitter& out_;
  Rng& rng_;
  core::Date as_of_;
  Subject s_;
  int seq_ = 0;
};

PatientPlan DrawPlan(Rng& rng) {
  PatientPlan p;
  const double u = rng.Uniform();
  if (u >= 0.115) return p;  // background
  p.distal = u < 0.09;
  p.proximal = !p.distal;
  const double a = rng.Uniform();
  p.anticoag = a < (p.proximal ? 0.6 : 0.45) ? Anticoag::kActive
               : a < (p.proximal ? 0.7 : 0.55) ? Anticoag::kCancelled
                                               : Anticoag::kNone;
  if (p.distal) {
    const double f = rng.Uniform();
    p.followup = f < 0.35 ? FollowUp::kNone
                 : f < 0.60 ? FollowUp::kUpcoming
                 : f < 0.80 ? FollowUp::kOverdue
                 : f < 0.95 ? FollowUp::kCompleted
                            : FollowUp::kRevoked;
    p.limited = rng.Chance(0.15);
  }
  return p;
}

}  // namespace

core::Status ValidateSynthOptions(const SynthOptions& o) {
  if (o.patients < 1 || o.patients > 100'000'000)
    return core::Status::Invalid("--patients", "range", "must be between 1 and 100000000");
  if (o.files_per_type < 1 || o.files_per_type > 64)
    return core::Status::Invalid("--files-per-type", "range", "must be between 1 and 64");
  if (o.malformed_lines < 0 || o.malformed_lines > o.patients)
    return core::Status::Invalid("--malformed", "range", "must be between 0 and the number of patients");
  return core::OkStatus();
}

Synthesizer::Synthesizer(const SynthOptions& o) : o_(o) {
  for (auto type : kTypes)
    for (int k = 0; k < o.files_per_type; ++k)
      files_.push_back({std::string(type) + (o.files_per_type == 1 ? "" : "." + std::to_string(k + 1)) + ".ndjson",
                        std::string(type)});
}

SynthTruth Synthesizer::Run(const std::function<void(size_t, std::string_view)>& emit) const {
  SynthTruth truth;
  truth.options = o_;
  truth.patients = o_.patients;
  Emitter out{emit, o_.files_per_type, {}, std::vector<int64_t>(files_.size(), 0)};
  int64_t next_bad = 0;
  for (int64_t i = 0; i < o_.patients; ++i) {
    Rng rng(Mix64(o_.seed) ^ Mix64(static_cast<uint64_t>(i) + 0x51ed27a3ULL));
    const std::string id = PatientId(o_.seed, i);
    const bool female = rng.Chance(0.52);
    const int age = rng.Range(18, 95);
    const core::Date birth = o_.as_of.AddDays(-(age * 365 + rng.Range(0, 364)));
    out(kPatient, synth::PatientJson(id, female, birth, rng));
    PatientWriter pw(out, rng, id, o_.as_of);
    const PatientPlan plan = DrawPlan(rng);
    pw.Background();
    if (plan.distal || plan.proximal) {
      pw.Dvt(plan, female, age);
      PlantedPatient pp{id, ExpectedGaps(plan), plan.distal, plan.proximal};
      for (GapCode g : pp.gaps) ++truth.gap_counts[static_cast<size_t>(g)];
      truth.dvt_patients.push_back(std::move(pp));
    } else if (rng.Chance(0.03)) {
      pw.NegativeDuplex();
    }
    // Malformed lines: a truncated Observation, spread evenly over the export.
    while (next_bad < o_.malformed_lines &&
           (next_bad + 1) * o_.patients / (o_.malformed_lines + 1) <= i) {
      const std::string line = synth::QuantityObservationJson(
          id + "-bad" + std::to_string(next_bad), pw.Ref(), "vital-signs",
          {synth::kLoinc, "8867-4", "Heart rate"}, 70, "beats/minute", "/min", o_.as_of, rng);
      const size_t file = kObservation * o_.files_per_type +
                          static_cast<size_t>(out.per_type[kObservation]++ % o_.files_per_type);
      emit(file, std::string_view(line).substr(0, line.size() / 2));
      truth.malformed.push_back({files_[file].name, ++out.lines[file]});
      ++next_bad;
    }
  }
  std::sort(truth.dvt_patients.begin(), truth.dvt_patients.end(),
            [](const PlantedPatient& a, const PlantedPatient& b) { return a.id < b.id; });
  std::sort(truth.malformed.begin(), truth.malformed.end(), [](const auto& a, const auto& b) {
    return a.file != b.file ? a.file < b.file : a.line < b.line;
  });
  return truth;
}

std::string SynthTruthJson(const SynthTruth& t) {
  std::string out;
  core::JsonWriter w(out);
  w.BeginObject().Key("format").String("calfdvt/synth-truth@1");
  w.Key("seed").Int(static_cast<int64_t>(t.options.seed));
  w.Key("as_of").DateValue(t.options.as_of);
  w.Key("patients").Int(t.patients);
  w.Key("files_per_type").Int(t.options.files_per_type);
  w.Key("gap_counts").BeginObject();
  for (size_t g = 0; g < kGapCodeCount; ++g) w.Key(kGapCodeNames.names[g]).Int(t.gap_counts[g]);
  w.EndObject();
  w.Key("dvt_patients").BeginArray();
  for (const auto& p : t.dvt_patients) {
    w.BeginObject().Key("patient").String(p.id).Key("distal_dvt").Bool(p.distal_dvt);
    w.Key("proximal_dvt").Bool(p.proximal_dvt).Key("gaps").BeginArray();
    for (GapCode g : p.gaps) w.String(kGapCodeNames.Name(g));
    w.EndArray().EndObject();
  }
  w.EndArray();
  w.Key("malformed").BeginArray();
  for (const auto& e : t.malformed) w.BeginObject().Key("file").String(e.file).Key("line").Int(e.line).EndObject();
  w.EndArray();
  w.EndObject();
  out.push_back('\n');
  return out;
}

std::string BulkManifestJson(const std::vector<SynthFile>& files, const std::vector<int64_t>& counts,
                             std::string_view base_url, std::string_view transaction_time) {
  std::string out;
  core::JsonWriter w(out);
  w.BeginObject().Key("transactionTime").String(transaction_time);
  w.Key("request").String(std::string(base_url) + "/$export");
  w.Key("requiresAccessToken").Bool(false);
  w.Key("output").BeginArray();
  for (size_t i = 0; i < files.size(); ++i) {
    w.BeginObject().Key("type").String(files[i].type);
    w.Key("url").String(std::string(base_url) + "/" + files[i].name);
    if (i < counts.size()) w.Key("count").Int(counts[i]);
    w.EndObject();
  }
  w.EndArray();
  w.Key("error").BeginArray().EndArray();
  w.EndObject();
  out.push_back('\n');
  return out;
}

}  // namespace calfdvt::population
