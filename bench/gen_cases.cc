// calfdvt_gen_cases: writes N synthetic calfdvt/case@1 documents as NDJSON (one case per line) for
// batch benchmarks and output-equivalence checks.
//
//   calfdvt_gen_cases --count N [--seed S] [--invalid-percent P] > cases.ndjson
//
// Deterministic: the same arguments give the same bytes on every platform (own PRNG, no
// std::*_distribution, no clock). Cases are valid and varied (veins, sides, lengths, diameters,
// D-dimers in two units, histories, bleeding by category or by factors, pregnancy, unknowns);
// with --invalid-percent P about P% of the lines are broken on purpose (malformed JSON, wrong
// types, unknown fields, bad enums, future dates), so `calfdvt assess --batch` rejects them.
// The distributions are plausible for a DVT clinic, not epidemiology.
#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <iterator>
#include <string>
#include <string_view>

#include "core/date.h"
#include "core/json_writer.h"

namespace {

using calfdvt::core::Date;
using calfdvt::core::JsonWriter;

// splitmix64: small, fast, fully specified.
class Rng {
 public:
  explicit Rng(uint64_t seed) : state_(seed) {}
  uint64_t Next() {
    uint64_t z = (state_ += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
  }
  double Unit() { return static_cast<double>(Next() >> 11) * 0x1.0p-53; }  // [0, 1)
  int Int(int lo, int hi) {
    return lo + static_cast<int>(Next() % static_cast<uint64_t>(hi - lo + 1));
  }
  bool Chance(double p) { return Unit() < p; }
  // A value in [lo, hi] with `per_unit` steps per unit (10: 0.1 cm), as a clinician records it:
  // an integer count of steps divided once, so it prints short ("10.7", not "10.700000000000001").
  double Decimal(double lo, double hi, int per_unit) {
    const double v = (lo + Unit() * (hi - lo)) * per_unit;
    return static_cast<double>(static_cast<int64_t>(v + 0.5)) / per_unit;
  }
  // Index into weights (need not sum to 1).
  template <size_t N>
  size_t Pick(const double (&weights)[N]) {
    double total = 0;
    for (double w : weights) total += w;
    double x = Unit() * total;
    for (size_t i = 0; i < N; ++i) {
      if (x < weights[i]) return i;
      x -= weights[i];
    }
    return N - 1;
  }

 private:
  uint64_t state_;
};

constexpr const char* kVeins[] = {"gastrocnemius_medial",
                                  "gastrocnemius_lateral",
                                  "soleal",
                                  "peroneal",
                                  "posterior_tibial",
                                  "anterior_tibial",
                                  "tibioperoneal_trunk",
                                  "popliteal",
                                  "femoral",
                                  "deep_femoral",
                                  "common_femoral",
                                  "external_iliac",
                                  "great_saphenous",
                                  "small_saphenous"};
constexpr double kVeinWeights[] = {20, 8, 18, 16, 14, 4, 4, 5, 3, 0.5, 1.5, 0.5, 3, 2.5};

constexpr const char* kFactors[] = {"age_over_65",
                                    "age_over_75",
                                    "previous_bleeding",
                                    "cancer",
                                    "metastatic_cancer",
                                    "renal_failure",
                                    "liver_failure",
                                    "thrombocytopenia",
                                    "previous_stroke",
                                    "diabetes",
                                    "anemia",
                                    "antiplatelet_therapy",
                                    "poor_anticoagulant_control",
                                    "comorbidity_reduced_function",
                                    "recent_surgery",
                                    "frequent_falls",
                                    "alcohol_abuse"};

// An optional flag: unknown (key left out) with probability p_unknown, else true with p_true.
void Flag(JsonWriter& w, Rng& r, const char* key, double p_true, double p_unknown) {
  if (r.Chance(p_unknown)) return;
  w.Key(key).Bool(r.Chance(p_true));
}

void Patient(JsonWriter& w, Rng& r, Date as_of, bool& female, double& age) {
  w.Key("patient").BeginObject();
  const size_t sex = r.Pick({52, 45, 0.5, 1, 1.5});  // female, male, other, unknown, missing
  female = sex == 0;
  age = female && r.Chance(0.12) ? r.Int(18, 44) : r.Int(18, 96);
  if (!r.Chance(0.04)) w.Key("age").Number(age);
  constexpr const char* kSex[] = {"female", "male", "other", "unknown"};
  if (sex < 4) w.Key("sex").String(kSex[sex]);
  if (sex == 1) {
    if (r.Chance(0.5)) w.Key("pregnancy").String("none");
  } else if (female && age <= 45) {
    const size_t p = r.Pick({70, 9, 6, 15});  // none, pregnant, postpartum, missing
    if (p == 1) {
      w.Key("pregnancy").String("pregnant");
      if (r.Chance(0.8)) w.Key("expected_delivery_date").DateValue(as_of.AddDays(r.Int(7, 260)));
    } else if (p == 2) {
      w.Key("pregnancy").String("postpartum");
      if (r.Chance(0.8)) w.Key("delivery_date").DateValue(as_of.AddDays(-r.Int(0, 60)));
      Flag(w, r, "breastfeeding", 0.6, 0.3);
    } else if (p == 0) {
      w.Key("pregnancy").String("none");
    }
  } else if (!r.Chance(0.3)) {
    w.Key("pregnancy").String("none");
  }
  if (!r.Chance(0.15)) w.Key("crcl_ml_min").Number(r.Decimal(12, 140, 1));
  Flag(w, r, "severe_liver_disease", 0.03, 0.2);
  Flag(w, r, "antiphospholipid_syndrome", 0.015, 0.25);
  w.EndObject();
}

void Imaging(JsonWriter& w, Rng& r, Date imaging_date) {
  w.Key("imaging").BeginObject();
  w.Key("date").DateValue(imaging_date);
  constexpr const char* kProtocols[] = {"whole_leg_duplex", "proximal_compression_2point",
                                        "proximal_compression_3point"};
  w.Key("protocol").String(kProtocols[r.Pick({86, 8, 6})]);
  constexpr const char* kSides[] = {"left", "right", "bilateral"};
  const size_t study = r.Pick({42, 40, 10, 8});  // left, right, bilateral, missing
  if (study < 3) w.Key("side").String(kSides[study]);
  const size_t shape = r.Pick({2, 5, 93});  // thrombi not reported, none seen, some
  if (shape == 0) {
    w.EndObject();
    return;
  }
  w.Key("thrombi").BeginArray();
  const int n = shape == 1 ? 0 : static_cast<int>(1 + r.Pick({68, 22, 7, 3}));
  for (int i = 0; i < n; ++i) {
    w.BeginObject();
    w.Key("vein").String(kVeins[r.Pick(kVeinWeights)]);
    if (study < 2) {
      if (!r.Chance(0.2)) w.Key("side").String(kSides[study]);
    } else if (!r.Chance(0.25)) {
      w.Key("side").String(kSides[r.Int(0, 1)]);
    }
    if (!r.Chance(0.12)) w.Key("length_cm").Number(r.Decimal(0.5, 12, 10));
    if (!r.Chance(0.2)) w.Key("max_diameter_mm").Number(r.Decimal(2, 14, 2));
    if (!r.Chance(0.25)) w.Key("distance_to_popliteal_cm").Number(r.Decimal(0, 25, 2));
    const size_t acute = r.Pick({86, 6, 8});  // true, false, missing
    if (acute < 2) w.Key("acute").Bool(acute == 0);
    w.EndObject();
  }
  w.EndArray();
  w.EndObject();
}

void Labs(JsonWriter& w, Rng& r) {
  const size_t kind = r.Pick({55, 12, 10, 8, 15});  // ng/mL, mg/L, result only, both, none
  if (kind == 4) return;
  w.Key("labs").BeginObject();
  // ng/mL FEU with cutoff 500, or mg/L FEU with cutoff 0.5; sometimes the cutoff is missing.
  const bool ng = kind != 1;
  const double value = ng ? 10.0 * r.Int(8, 400) : r.Decimal(0.1, 6, 100);
  const double cutoff = ng ? 500 : 0.5;
  const bool with_cutoff = !r.Chance(0.05);
  if (kind != 2) {
    w.Key("d_dimer").BeginObject();
    w.Key("value").Number(value);
    w.Key("unit").String(ng ? "ng/mL FEU" : "mg/L FEU");
    if (with_cutoff) w.Key("cutoff").Number(cutoff);
    w.EndObject();
  }
  if (kind == 2) w.Key("d_dimer_result").String(r.Chance(0.6) ? "positive" : "negative");
  if (kind == 3 && with_cutoff)
    w.Key("d_dimer_result").String(value >= cutoff ? "positive" : "negative");
  w.EndObject();
}

void History(JsonWriter& w, Rng& r) {
  if (r.Chance(0.03)) return;  // no history at all: every feature unknown
  w.Key("history").BeginObject();
  constexpr const char* kProvocation[] = {"unprovoked", "transient", "persistent"};
  const size_t p = r.Pick({35, 45, 10, 10});
  if (p < 3) w.Key("provocation").String(kProvocation[p]);
  Flag(w, r, "active_cancer", 0.1, 0.08);
  Flag(w, r, "prior_vte", 0.15, 0.1);
  Flag(w, r, "inpatient", 0.12, 0.08);
  Flag(w, r, "recent_hospitalization", 0.15, 0.12);
  Flag(w, r, "recent_surgery", 0.12, 0.1);
  Flag(w, r, "severe_symptoms", 0.1, 0.15);
  Flag(w, r, "covid19", 0.03, 0.2);
  Flag(w, r, "end_stage_renal_disease", 0.02, 0.3);
  Flag(w, r, "stroke", 0.04, 0.3);
  w.EndObject();
}

void Bleeding(JsonWriter& w, Rng& r, double age) {
  const size_t kind = r.Pick({50, 30, 20});  // risk, factors, neither
  w.Key("bleeding").BeginObject();
  if (kind == 0) {
    constexpr const char* kRisk[] = {"low", "moderate", "high"};
    w.Key("risk").String(kRisk[r.Pick({60, 28, 12})]);
  } else if (kind == 1) {
    w.Key("factors").BeginArray();
    bool used[std::size(kFactors)] = {};
    if (age > 65) {
      w.String(kFactors[0]);
      used[0] = true;
    }
    if (age > 75 && r.Chance(0.8)) {
      w.String(kFactors[1]);
      used[1] = true;
    }
    for (int i = r.Int(0, 3); i > 0; --i) {
      const size_t f = static_cast<size_t>(r.Int(2, static_cast<int>(std::size(kFactors)) - 1));
      if (used[f]) continue;
      used[f] = true;
      w.String(kFactors[f]);
    }
    w.EndArray();
  }
  const size_t contra = r.Pick({3, 82, 15});  // true, false, missing
  if (contra < 2) w.Key("anticoagulation_contraindicated").Bool(contra == 0);
  w.EndObject();
}

void Preferences(JsonWriter& w, Rng& r) {
  constexpr const char* kPref[] = {"no_preference", "avoid", "prefer"};
  const size_t p = r.Pick({60, 10, 10, 20});
  if (p == 3) return;
  w.Key("preferences").BeginObject();
  w.Key("anticoagulation").String(kPref[p]);
  w.EndObject();
}

void Case(std::string& out, Rng& r, uint64_t seed, uint64_t index) {
  JsonWriter w(out);
  w.BeginObject();
  w.Key("format").String("calfdvt/case@1");
  if (!r.Chance(0.02)) {
    char id[48];
    const int n =
        std::snprintf(id, sizeof id, "gen-%llu-%llu", static_cast<unsigned long long>(seed),
                      static_cast<unsigned long long>(index));
    w.Key("id").String(std::string_view(id, static_cast<size_t>(n)));
  }
  const Date as_of = Date::FromCivil(2024, 1, 1).AddDays(r.Int(0, 3 * 365));
  // Mostly assessed a day or two after the scan; some late (surveillance windows already over).
  const Date imaging = as_of.AddDays(-(r.Chance(0.9) ? r.Int(0, 3) : r.Int(4, 30)));
  w.Key("as_of").DateValue(as_of);
  bool female = false;
  double age = 0;
  Patient(w, r, as_of, female, age);
  Imaging(w, r, imaging);
  Labs(w, r);
  History(w, r);
  Bleeding(w, r, age);
  Preferences(w, r);
  w.EndObject();
}

// Breaks a valid line in one of several ways, each a different validation rule.
void Corrupt(std::string& line, Rng& r) {
  switch (r.Int(0, 5)) {
    case 0:
      line.resize(line.size() / 2);
      break;  // truncated: malformed JSON
    case 1:
      line.insert(1, "\"unexpected\":1,");
      break;  // unknown field
    case 2: {
      const size_t at = line.find("\"protocol\":\"");
      if (at != std::string::npos)
        line.insert(at + 12, "x_");  // bad enum
      else
        line.insert(1, "\"as_of\":\"2024-01-01\",");  // duplicate key
      break;
    }
    case 3:
      line.replace(line.find("\"as_of\":\"") + 9, 4, "1899");
      break;  // out-of-range date
    case 4:
      line.insert(1, "\"as_of\":\"2024-02-30\",");
      break;  // duplicate key, bad date
    default: {
      const size_t at = line.find("\"date\":\"");
      if (at != std::string::npos)
        line.replace(at + 8, 4, "2999");  // imaging after as_of
      else
        line.push_back('}');
      break;
    }
  }
}

[[noreturn]] void Usage(const char* msg) {
  std::fprintf(stderr,
               "error: %s\nusage: calfdvt_gen_cases --count N [--seed S] [--invalid-percent P]\n"
               "  writes N calfdvt/case@1 cases as NDJSON to stdout; deterministic in (N, S, P);\n"
               "  P (0-100, default 0) is the share of lines broken on purpose\n",
               msg);
  std::exit(2);
}

uint64_t ParseUint(const char* s, const char* what) {
  char* end = nullptr;
  errno = 0;
  const unsigned long long v = std::strtoull(s, &end, 10);
  if (errno || !end || *end || *s == '-' || *s == '\0') Usage(what);
  return v;
}

}  // namespace

int main(int argc, char** argv) {
  uint64_t count = 0, seed = 1;
  double invalid_percent = 0;
  bool have_count = false;
  for (int i = 1; i < argc; ++i) {
    const std::string_view arg = argv[i];
    if (i + 1 >= argc) Usage("every option takes a value");
    if (arg == "--count") {
      count = ParseUint(argv[++i], "--count must be a whole number");
      have_count = true;
    } else if (arg == "--seed") {
      seed = ParseUint(argv[++i], "--seed must be a whole number");
    } else if (arg == "--invalid-percent") {
      char* end = nullptr;
      invalid_percent = std::strtod(argv[++i], &end);
      if (!end || *end || !(invalid_percent >= 0 && invalid_percent <= 100))
        Usage("--invalid-percent must be a number from 0 to 100");
    } else {
      Usage("unknown option");
    }
  }
  if (!have_count) Usage("--count is required");

  Rng r(seed);
  Rng corrupt(seed ^ 0x5bd1e995u);  // separate stream: P does not change the valid cases
  std::string out, line;
  out.reserve(1 << 20);
  for (uint64_t i = 0; i < count; ++i) {
    line.clear();
    Case(line, r, seed, i);
    if (invalid_percent > 0 && corrupt.Unit() * 100 < invalid_percent) Corrupt(line, corrupt);
    out += line;
    out.push_back('\n');
    if (out.size() >= (1 << 20)) {
      if (std::fwrite(out.data(), 1, out.size(), stdout) != out.size()) return 1;
      out.clear();
    }
  }
  if (std::fwrite(out.data(), 1, out.size(), stdout) != out.size()) return 1;
  return std::fflush(stdout) == 0 ? 0 : 1;
}
