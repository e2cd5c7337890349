#include "thrombectomy/test_knowledge.h"

#include <initializer_list>

namespace calfdvt::thrombectomy::test_support {

namespace {

using core::Vein;

void Mark(std::array<bool, core::kVeinCount>& set, std::initializer_list<Vein> veins) {
  for (Vein v : veins) set[static_cast<size_t>(v)] = true;
}

ThrombectomyKnowledge Build() {
  ThrombectomyKnowledge k;
  k.id = "calf-squeeze";
  k.version = "1.0.0";
  k.title = "test";
  k.sha256 = "0000";
  k.sources = {{"seed000", "seed000", "Lee JA et al. (seed 000)", "seed 000", "", "year, DOI"},
               {"sir", "literature", "SIR reporting standards", "SIR", "", "cut-offs"},
               {"chest", "chest", "CHEST guidelines", "CHEST", "", ""},
               {"informatics", "informatics", "calfdvt informatics choice", "choice", "", ""}};
  Mark(k.eligible_veins, {Vein::kPopliteal, Vein::kAnteriorTibial, Vein::kPosteriorTibial,
                          Vein::kPeroneal, Vein::kTibioperonealTrunk, Vein::kGastrocnemiusMedial,
                          Vein::kGastrocnemiusLateral, Vein::kSoleal});
  const std::pair<Vein, int> levels[] = {
      {Vein::kAnteriorTibial, 0}, {Vein::kPosteriorTibial, 0}, {Vein::kPeroneal, 0},
      {Vein::kGastrocnemiusMedial, 0}, {Vein::kGastrocnemiusLateral, 0}, {Vein::kSoleal, 0},
      {Vein::kTibioperonealTrunk, 1}, {Vein::kPopliteal, 2}, {Vein::kFemoral, 3},
      {Vein::kDeepFemoral, 3}, {Vein::kCommonFemoral, 4}, {Vein::kExternalIliac, 5},
      {Vein::kCommonIliac, 6}, {Vein::kInferiorVenaCava, 7}};
  for (const auto& [v, level] : levels) k.vein_levels[static_cast<size_t>(v)] = level;
  k.eligibility_sources = {"seed000", "informatics"};
  Mark(k.calf_veins, {Vein::kAnteriorTibial, Vein::kPosteriorTibial, Vein::kPeroneal,
                      Vein::kTibioperonealTrunk, Vein::kGastrocnemiusMedial,
                      Vein::kGastrocnemiusLateral, Vein::kSoleal});
  Mark(k.ignored_veins, {Vein::kGreatSaphenous, Vein::kSmallSaphenous});
  k.isolated_calf_dvt_sources = {"seed000", "chest", "informatics"};
  k.max_published_squeezes = 3;
  k.squeezes_sources = {"seed000"};
  k.grade_ii_min_removal_percent = 50;
  k.grade_iii_min_removal_percent = 100;
  k.removal_grade_sources = {"sir", "informatics"};
  k.confidence = 0.95;
  k.statistics_sources = {"informatics"};
  for (size_t i = 0; i < kOutcomeCount; ++i)
    k.outcomes[i] = {std::string(kOutcomeIdNames.names[i]), "definition", {"informatics"}};
  const Severity severities[kCheckCount] = {Severity::kWarning, Severity::kCritical,
                                            Severity::kWarning, Severity::kWarning,
                                            Severity::kCritical};
  for (size_t i = 0; i < kCheckCount; ++i) {
    const std::string name(kCheckIdNames.names[i]);
    k.checks[i] = {severities[i], name + " title", name + " message", name + " basis",
                   {"seed000", "informatics"}};
  }
  PublishedSeries& p = k.published;
  p.source = "seed000";
  p.label = "Lee JA et al.";
  p.population = "10 patients";
  p.procedures = 10;
  p.squeezes_mean = 1.3;
  p.squeezes_min = 1;
  p.squeezes_max = 3;
  p.migration = {10, 10, std::nullopt, std::nullopt};
  p.recanalization = {10, 10, 0.69, 1.0};
  p.complications = {0, 10, 0.0, 0.31};
  return k;
}

}  // namespace

const ThrombectomyKnowledge& TestKnowledge() {
  static const ThrombectomyKnowledge* k = new ThrombectomyKnowledge(Build());
  return *k;
}

Procedure PublishedLikeProcedure() {
  Procedure p;
  p.id = "proc-1";
  p.patient_id = "P-001";
  p.date = core::Date::FromCivil(2026, 11, 20);
  p.side = core::Side::kLeft;
  p.operator_name = "op-a";
  p.indication = Indication{
      std::vector<Vein>{Vein::kCommonIliac, Vein::kCommonFemoral, Vein::kFemoral, Vein::kPopliteal,
                        Vein::kPosteriorTibial, Vein::kGastrocnemiusMedial},
      true, 4.0};
  p.access_vein = Vein::kPopliteal;
  p.thrombolysis = Thrombolysis{"urokinase", 24.0};
  p.ivc_filter = IvcFilter::kTemporary;
  p.aspiration_catheter_fr = 8;
  p.squeezes = {Squeeze{{Vein::kPopliteal, Vein::kGastrocnemiusMedial}, true, true}};
  p.result = ProcedureResult{true, 10.0, true};
  p.complications = std::vector<Complication>{};
  return p;
}

}  // namespace calfdvt::thrombectomy::test_support
