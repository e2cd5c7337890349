// R7: agent, duration and earliest stop date. Precedence: pregnancy > active cancer > VKA
// conditions > DOAC (clinical-spec §5.1).
#include "pathway/regimen.h"

#include <algorithm>

namespace calfdvt::pathway::internal {
namespace {

std::string WithReasons(const std::string& text, const std::vector<std::string>& reasons) {
  std::string out = text;
  for (size_t i = 0; i < reasons.size(); ++i) {
    out += i == 0 ? " " : (i + 1 == reasons.size() ? " and " : ", ");
    out += reasons[i];
  }
  out += ".";
  return out;
}

std::string Number(double v) {
  std::string s = std::to_string(v);
  s.erase(s.find_last_not_of('0') + 1);
  if (!s.empty() && s.back() == '.') s.pop_back();
  return s;
}

}  // namespace

RegimenOutput ComputeRegimen(const Case& c, const Knowledge& k, const ProfileDef& p,
                             Classification cls) {
  const RegimenDef& def = k.regimen;
  const Patient& pt = c.patient;
  RegimenOutput out;
  RegimenResult& r = out.regimen;
  auto note = [&](Note n) { r.notes.push_back(k.notes[static_cast<size_t>(n)].text); };
  const int base_months = cls == Classification::kProximal ? def.proximal_minimum_months
                                                           : def.isolated_distal_minimum_months;
  note(Note::kStandardRegimen);
  r.sources = def.sources;

  std::vector<std::string> vka_reasons;
  if (pt.crcl_ml_min && *pt.crcl_ml_min < def.vka_if_crcl_below_ml_min)
    vka_reasons.push_back("CrCl " + Number(*pt.crcl_ml_min) + " mL/min (below " +
                          Number(def.vka_if_crcl_below_ml_min) + ")");
  if (def.vka_if_severe_liver_disease && pt.severe_liver_disease == true)
    vka_reasons.push_back("severe liver disease");
  if (def.vka_if_antiphospholipid_syndrome && pt.antiphospholipid_syndrome == true)
    vka_reasons.push_back("antiphospholipid syndrome");

  const bool cancer = c.history.active_cancer == true;
  if (pt.pregnancy == Pregnancy::kPregnant) {
    r.agent = Agent::kLmwh;
    r.minimum_months = std::max(base_months, def.pregnancy_minimum_months);
    note(Note::kPregnancyLmwh);
    out.pregnancy_lmwh_only = true;
    if (pt.expected_delivery_date) {
      r.earliest_stop = std::max(c.as_of.AddMonths(r.minimum_months),
                                 pt.expected_delivery_date->AddDays(7 * def.postpartum_minimum_weeks));
    } else {
      note(Note::kPregnancyNoDeliveryDate);
      out.unknowns.push_back({Input::kExpectedDelivery});
    }
  } else if (pt.pregnancy == Pregnancy::kPostpartum) {
    r.agent = Agent::kLmwh;
    r.minimum_months = std::max(base_months, def.pregnancy_minimum_months);
    note(Note::kPostpartum);
    r.earliest_stop = c.as_of.AddMonths(r.minimum_months);
    if (pt.delivery_date)
      r.earliest_stop =
          std::max(*r.earliest_stop, pt.delivery_date->AddDays(7 * def.postpartum_minimum_weeks));
    else
      out.unknowns.push_back({Input::kDeliveryDate});
    if (!pt.breastfeeding) out.unknowns.push_back({Input::kBreastfeeding});
  } else if (cancer) {
    r.agent = p.cancer_agent;
    r.minimum_months = std::max(base_months, def.cancer_minimum_months);
    r.sources |= p.cancer_agent_sources;
    if (p.cancer_agent == Agent::kOralXaInhibitor) note(Note::kCancerGiGu);
    if (!vka_reasons.empty())
      r.notes.push_back(
          WithReasons(k.notes[static_cast<size_t>(Note::kCancerVkaConditionReview)].text, vka_reasons));
  } else if (!vka_reasons.empty()) {
    r.agent = Agent::kVka;
    r.minimum_months = base_months;
    r.notes.push_back(WithReasons(k.notes[static_cast<size_t>(Note::kVkaIndicated)].text, vka_reasons));
  } else {
    r.agent = Agent::kDoac;
    r.minimum_months = base_months;
  }
  if (cancer) {
    r.extended = true;
    out.cancer_extended_therapy = true;
    note(Note::kCancerExtended);
  }
  if (c.bleeding.anticoagulation_contraindicated == true) note(Note::kRegimenContraindicated);
  if (!r.earliest_stop && pt.pregnancy != Pregnancy::kPregnant)
    r.earliest_stop = c.as_of.AddMonths(r.minimum_months);

  // Inputs the agent choice depends on that were not reported.
  const bool oral = r.agent != Agent::kLmwh;
  if (!pt.pregnancy) {
    out.unknowns.push_back({Input::kPregnancy});
    const bool may_be_pregnant =
        pt.sex != Sex::kMale && (!pt.age || *pt.age <= def.pregnancy_check_max_age);
    if (oral && may_be_pregnant) note(Note::kPregnancyStatusUnknown);
  }
  if (r.agent == Agent::kDoac || r.agent == Agent::kOralXaInhibitor) {
    if (!pt.crcl_ml_min) {
      out.unknowns.push_back({Input::kCrcl});
      if (r.agent == Agent::kDoac) note(Note::kCrclUnknown);
    }
    if (!pt.severe_liver_disease) out.unknowns.push_back({Input::kSevereLiver});
    if (!pt.antiphospholipid_syndrome) out.unknowns.push_back({Input::kAps});
  }
  return out;
}

}  // namespace calfdvt::pathway::internal
