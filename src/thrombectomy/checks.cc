#include "thrombectomy/checks.h"

#include <string_view>

namespace calfdvt::thrombectomy {

std::optional<bool> BelowAccess(core::Vein vein, core::Vein access, const ThrombectomyKnowledge& k) {
  if (vein == access) return true;
  const auto& lv = k.vein_levels[static_cast<size_t>(vein)];
  const auto& la = k.vein_levels[static_cast<size_t>(access)];
  if (!lv || !la) return std::nullopt;
  return *lv < *la;
}

namespace {

std::string_view Name(core::Vein v) { return core::kVeinNames.Name(v); }

std::string VeinList(const std::vector<core::Vein>& veins) {
  std::string out;
  for (core::Vein v : veins) {
    if (!out.empty()) out += ", ";
    out += Name(v);
  }
  return out.empty() ? std::string("none") : out;
}

std::string SqueezePath(size_t i) { return "squeezes[" + std::to_string(i) + "]"; }

void Append(std::string& list, std::string_view item) {
  if (!list.empty()) list += "; ";
  list += item;
}

struct Verdict {
  CheckStatus status;
  std::string detail;
};

// Splits `veins` into those eligible and below the access site, and whether any is undecidable.
struct VeinSplit {
  std::vector<core::Vein> eligible_below;
  bool undecidable = false;
};
VeinSplit Split(const std::vector<core::Vein>& veins, core::Vein access,
                const ThrombectomyKnowledge& k) {
  VeinSplit s;
  for (core::Vein v : veins) {
    if (!k.eligible_veins[static_cast<size_t>(v)]) continue;
    const auto below = BelowAccess(v, access, k);
    if (!below) s.undecidable = true;
    else if (*below) s.eligible_below.push_back(v);
  }
  return s;
}

Verdict OutsideEligibility(const Procedure& p, const ThrombectomyKnowledge& k) {
  const std::string access = "access_vein " + std::string(Name(p.access_vein));
  if (p.squeezes.empty()) {
    if (!p.indication || !p.indication->thrombosed_veins)
      return {CheckStatus::kUnknown,
              "no squeeze yet and indication.thrombosed_veins not recorded (" + access + ")"};
    const VeinSplit s = Split(*p.indication->thrombosed_veins, p.access_vein, k);
    if (!s.eligible_below.empty())
      return {CheckStatus::kNotFired, "indication.thrombosed_veins below the " + access + ": " +
                                          VeinList(s.eligible_below)};
    if (s.undecidable)
      return {CheckStatus::kUnknown, "the level of the " + access + " is not defined"};
    return {CheckStatus::kFired, "indication.thrombosed_veins (" +
                                     VeinList(*p.indication->thrombosed_veins) +
                                     ") has no eligible vein below the " + access};
  }
  std::string fired, unknown, ok;
  for (size_t i = 0; i < p.squeezes.size(); ++i) {
    const auto& targets = p.squeezes[i].target_veins;
    const VeinSplit s = Split(targets, p.access_vein, k);
    if (!s.eligible_below.empty()) Append(ok, SqueezePath(i) + ": " + VeinList(s.eligible_below));
    else if (s.undecidable) Append(unknown, SqueezePath(i));
    else Append(fired, SqueezePath(i) + " targets " + VeinList(targets));
  }
  if (!fired.empty())
    return {CheckStatus::kFired, fired + ": no eligible vein below the " + access};
  if (!unknown.empty())
    return {CheckStatus::kUnknown, unknown + ": the level of the " + access + " is not defined"};
  return {CheckStatus::kNotFired, "eligible veins below the " + access + " targeted by " + ok};
}

Verdict NoEmbolicProtection(const Procedure& p) {
  if (!p.ivc_filter) return {CheckStatus::kFired, "ivc_filter not recorded"};
  const std::string value = "ivc_filter " + std::string(kIvcFilterNames.Name(*p.ivc_filter));
  if (*p.ivc_filter == IvcFilter::kNone) return {CheckStatus::kFired, value};
  return {CheckStatus::kNotFired, value};
}

Verdict SqueezesBeyondPublished(const Procedure& p, const ThrombectomyKnowledge& k) {
  const size_t n = p.squeezes.size();
  const std::string text = std::to_string(n) + (n == 1 ? " squeeze" : " squeezes") +
                           "; the published maximum is " + std::to_string(k.max_published_squeezes);
  if (n > static_cast<size_t>(k.max_published_squeezes)) return {CheckStatus::kFired, text};
  return {CheckStatus::kNotFired, text};
}

Verdict SqueezeWithoutAspiration(const Procedure& p) {
  if (p.squeezes.empty()) return {CheckStatus::kNotFired, "no squeeze recorded"};
  std::string fired, unknown;
  for (size_t i = 0; i < p.squeezes.size(); ++i) {
    const Squeeze& s = p.squeezes[i];
    if (s.thrombus_aspirated == false) {
      std::string item = SqueezePath(i);
      if (s.migration_observed == true) item += " (migration observed)";
      Append(fired, item);
    } else if (!s.thrombus_aspirated) {
      Append(unknown, SqueezePath(i));
    }
  }
  if (!fired.empty()) return {CheckStatus::kFired, "no thrombus aspirated after " + fired};
  if (!unknown.empty())
    return {CheckStatus::kUnknown, "thrombus_aspirated not recorded for " + unknown};
  return {CheckStatus::kNotFired, "thrombus aspirated after every squeeze"};
}

Verdict IsolatedCalfDvt(const Procedure& p, const ThrombectomyKnowledge& k) {
  if (!p.indication || !p.indication->thrombosed_veins)
    return {CheckStatus::kUnknown, "indication.thrombosed_veins not recorded"};
  std::vector<core::Vein> calf, beyond;
  for (core::Vein v : *p.indication->thrombosed_veins) {
    const size_t i = static_cast<size_t>(v);
    if (k.ignored_veins[i]) continue;
    (k.calf_veins[i] ? calf : beyond).push_back(v);
  }
  if (!beyond.empty())
    return {CheckStatus::kNotFired, "thrombus beyond the calf veins: " + VeinList(beyond)};
  if (calf.empty())
    return {CheckStatus::kNotFired, "indication.thrombosed_veins lists no deep vein"};
  return {CheckStatus::kFired, "indication.thrombosed_veins are calf veins only: " + VeinList(calf)};
}

Verdict Evaluate(CheckId id, const Procedure& p, const ThrombectomyKnowledge& k) {
  switch (id) {
    case CheckId::kOutsideEligibility: return OutsideEligibility(p, k);
    case CheckId::kNoEmbolicProtection: return NoEmbolicProtection(p);
    case CheckId::kSqueezesBeyondPublished: return SqueezesBeyondPublished(p, k);
    case CheckId::kSqueezeWithoutAspiration: return SqueezeWithoutAspiration(p);
    case CheckId::kIsolatedCalfDvtIndication: return IsolatedCalfDvt(p, k);
  }
  return {CheckStatus::kUnknown, ""};
}

}  // namespace

std::vector<CheckResult> ProtocolChecks(const Procedure& p, const ThrombectomyKnowledge& k) {
  std::vector<CheckResult> out;
  out.reserve(kCheckCount);
  for (size_t i = 0; i < kCheckCount; ++i) {
    const auto id = static_cast<CheckId>(i);
    const CheckDef& def = k.Check(id);
    Verdict v = Evaluate(id, p, k);
    out.push_back(CheckResult{id, def.severity, v.status, def.title, def.message, def.basis,
                              def.sources, std::move(v.detail)});
  }
  return out;
}

}  // namespace calfdvt::thrombectomy
