// Facts -> case imaging: the latest venous duplex DiagnosticReport on or before as_of (reports of
// that day merged), its protocol and side, and its thrombus findings (calfdvt Observation profile).
// Proximal anywhere wins: an acute proximal DVT Condition places a proximal thrombus on the case.
#include <algorithm>
#include <cstdio>

#include "core/short_number.h"
#include "fhir/mapper.h"

namespace calfdvt::fhir::internal {

namespace pw = calfdvt::pathway;
using core::Date;

namespace {


bool UsableReportStatus(std::string_view s) {
  return s == "final" || s == "amended" || s == "corrected" || s == "appended" ||
         s == "preliminary";
}

bool IsLimited(pw::Protocol p) { return p != pw::Protocol::kWholeLegDuplex; }

}  // namespace

void Mapper::ReadFinding(const Facts& f, std::vector<pw::Thrombus>& out, bool& unplaceable,
                         bool& absent_seen) {
  const bool present = AnyMatch(f.concept_value, m_.present);
  const bool absent = AnyMatch(f.concept_value, m_.absent);
  if (absent && !present) {
    absent_seen = true;
    return;
  }
  if (!present) {
    Report(f, "valueCodeableConcept", "imaging.thrombi",
           "finding without a thrombus present/absent value: the findings are incomplete");
    unplaceable = true;
    return;
  }
  const VeinEntry* vein = nullptr;
  for (const auto& cd : f.body_site.codings)
    if ((vein = FindCode(m_.veins, cd.system, cd.code))) break;
  if (!vein) {
    Report(f, "bodySite", "imaging.thrombi",
           "thrombus in a vein not in the code map (bodySite): it cannot be placed");
    unplaceable = true;
    return;
  }
  if (!vein->note.empty()) Report(f, "bodySite", "", vein->note);
  pw::Thrombus t;
  t.vein = vein->vein;
  const size_t index = out.size();
  // The paths are built only for a report (rare): not for every component read.
  auto tpath = [index] { return "imaging.thrombi[" + std::to_string(index) + "]"; };
  for (size_t i = 0; i < f.components.size(); ++i) {
    const Component& c = f.components[i];
    auto cpath = [i] { return "component[" + std::to_string(i) + "]"; };
    auto measure = [&](const std::vector<UnitFactor>& units, const char* name,
                       double max) -> std::optional<double> {
      auto field = [&] { return tpath() + "." + name; };
      if (!c.quantity || !c.quantity->value) {
        Report(f, cpath() + ".valueQuantity", field(), "no numeric value");
        return std::nullopt;
      }
      const UnitParts u = SplitUnit(*c.quantity);
      auto factor = FactorOf(units, u.base);
      if (!factor) {
        Report(f, cpath() + ".valueQuantity", field(),
               "unit \"" + u.base + "\" is not a known length unit");
        return std::nullopt;
      }
      const double v = Clean(*c.quantity->value * *factor);
      const bool distance = std::string_view(name) == "distance_to_popliteal_cm";
      if ((distance ? v < 0 : !(v > 0)) || v > max || !c.quantity->comparator.empty()) {
        Report(f, cpath() + ".valueQuantity", field(),
               "value " + core::ShortNumber(v) + " is out of range: not used");
        return std::nullopt;
      }
      return v;
    };
    if (Matches(c.code, m_.length))
      t.length_cm = measure(m_.length_units, "length_cm", 1e6);
    else if (Matches(c.code, m_.diameter))
      t.max_diameter_mm = measure(m_.diameter_units, "max_diameter_mm", 50);
    else if (Matches(c.code, m_.distance))
      t.distance_to_popliteal_cm = measure(m_.length_units, "distance_to_popliteal_cm", 1e6);
    else if (Matches(c.code, m_.acuity)) {
      if (AnyMatch(c.concept_value, m_.acute))
        t.acute = true;
      else if (AnyMatch(c.concept_value, m_.chronic))
        t.acute = false;
      else
        Report(f, cpath(), tpath() + ".acute", "acuity value not in the code map");
    } else if (Matches(c.code, m_.laterality)) {
      if (AnyMatch(c.concept_value, m_.left))
        t.side = core::Side::kLeft;
      else if (AnyMatch(c.concept_value, m_.right))
        t.side = core::Side::kRight;
      else
        Report(f, cpath(), tpath() + ".side", "laterality value not in the code map");
    }
  }
  out.push_back(t);
}

void Mapper::Imaging(const std::vector<const Facts*>& reports,
                     const std::vector<const Facts*>& findings) {
  // The latest usable report date on or before as_of.
  std::vector<std::pair<const Facts*, Date>> dated;
  for (const Facts* r : reports) {
    if (!UsableReportStatus(r->status)) {
      Report(*r, "status", "imaging", "status \"" + std::string(r->status) + "\": not used");
      continue;
    }
    if (auto d = DateOf(*r, "imaging")) dated.emplace_back(r, *d);
  }
  if (dated.empty()) {
    ReportField("imaging",
                "no usable venous ultrasound DiagnosticReport (LOINC/CPT/calfdvt code, on or "
                "before as_of): the case cannot be assessed");
    return;
  }
  Date latest = dated.front().second;
  for (auto& [r, d] : dated) latest = std::max(latest, d);
  std::vector<const Facts*> chosen;
  for (auto& [r, d] : dated) {
    if (d == latest)
      chosen.push_back(r);
    else
      Report(*r, "effectiveDateTime", "",
             "earlier study (" + d.ToString() + "): the latest study is used");
  }
  auto& im = out_.c.imaging;
  im.date = latest;
  imaging_date_ = latest;
  // Protocol and side from the codes of the chosen reports.
  std::optional<pw::Protocol> protocol;
  bool protocol_unknown = false;
  std::optional<core::Side> side;
  for (const Facts* r : chosen) {
    std::optional<pw::Protocol> p;
    std::optional<core::Side> s;
    for (const auto& cd : r->code.codings)
      if (const ReportEntry* e = FindCode(m_.reports, cd.system, cd.code)) {
        if (e->protocol) p = e->protocol;
        if (e->side && !s) s = e->side;
      }
    if (!p) {
      protocol_unknown = true;
      Report(
          *r, "code", "imaging.protocol",
          "the report code does not say whether the calf veins were examined (complete duplex or "
          "limited compression): add a calfdvt protocol code");
    } else if (!protocol || (IsLimited(*p) && !IsLimited(*protocol))) {
      protocol = p;  // a limited study anywhere makes the study limited
    }
    if (s) side = !side || *side == *s ? s : std::optional<core::Side>(core::Side::kBilateral);
  }
  im.side = side;
  // Findings: linked from a chosen report, or unlinked and of the same day.
  std::vector<std::string> linked_elsewhere;
  for (const Facts* r : reports)
    if (std::find(chosen.begin(), chosen.end(), r) == chosen.end())
      linked_elsewhere.insert(linked_elsewhere.end(), r->results.begin(), r->results.end());
  std::vector<pw::Thrombus> thrombi;
  bool unplaceable = false, absent_seen = false, any_finding = false;
  for (const Facts* f : findings) {
    bool linked = false;
    for (const Facts* r : chosen)
      linked = linked || std::find(r->results.begin(), r->results.end(), f->id) != r->results.end();
    const bool other = std::find(linked_elsewhere.begin(), linked_elsewhere.end(), f->id) !=
                       linked_elsewhere.end();
    if (!linked && (other || !f->when.date || *f->when.date != latest)) {
      if (!other)
        Report(*f, "effectiveDateTime", "",
               "finding not linked to the study used and not of its date: not used");
      continue;
    }
    if (f->status != "final" && f->status != "amended" && f->status != "corrected" &&
        f->status != "preliminary") {
      Report(*f, "status", "imaging.thrombi", "status \"" + std::string(f->status) + "\": not used");
      continue;
    }
    any_finding = true;
    ReadFinding(*f, thrombi, unplaceable, absent_seen);
  }
  bool no_thrombus_conclusion = false;
  for (const Facts* r : chosen)
    for (const auto& c : r->conclusion_codes)
      no_thrombus_conclusion = no_thrombus_conclusion || AnyMatch(c, m_.no_thrombus);
  // One-sided study: a thrombus of the other leg makes the study side unknown (reported).
  if (im.side && *im.side != core::Side::kBilateral)
    for (const auto& t : thrombi)
      if (t.side && *t.side != *im.side) {
        ReportField("imaging.side",
                    "a thrombus lies in the other leg than the study's side: side left unknown");
        im.side.reset();
        break;
      }
  bool proximal = false;
  for (const auto& t : thrombi)
    proximal = proximal || t.vein == core::Vein::kPopliteal || t.vein == core::Vein::kFemoral ||
               t.vein == core::Vein::kDeepFemoral || t.vein == core::Vein::kCommonFemoral ||
               t.vein == core::Vein::kExternalIliac || t.vein == core::Vein::kCommonIliac ||
               t.vein == core::Vein::kInferiorVenaCava;
  if (unplaceable && !proximal) {
    ReportField(
        "imaging.thrombi",
        "a thrombus finding could not be placed: the findings are left unknown (not classifiable)");
  } else if (!thrombi.empty()) {
    if (no_thrombus_conclusion)
      ReportField(
          "imaging.thrombi",
          "the report concludes 'no thrombus' but thrombus findings exist: the findings are used");
    im.thrombi = std::move(thrombi);
  } else if (no_thrombus_conclusion || (absent_seen && !unplaceable)) {
    im.thrombi.emplace();
  } else {
    ReportField("imaging.thrombi",
                any_finding ? "no thrombus finding could be used: findings unknown"
                            : "the report has no thrombus findings (calfdvt profile) and no "
                              "'no thrombus' conclusion: findings unknown");
  }
  if (protocol && !protocol_unknown) {
    im.protocol = *protocol;
    imaging_mapped_ = true;
    out_.care.calf_veins_assessed = !IsLimited(*protocol);
    out_.care.limited_scan_only = IsLimited(*protocol);
  }
  if (im.thrombi)
    for (const auto& t : *im.thrombi) {
      if (t.acute && !*t.acute) continue;
      const bool prox = t.vein >= core::Vein::kPopliteal && t.vein <= core::Vein::kInferiorVenaCava;
      const bool distal = t.vein < core::Vein::kPopliteal;
      if (prox) out_.care.proximal_dvt = true;
      if (distal) out_.care.distal_dvt = true;
    }
}

void Mapper::ProximalFromConditions() {
  if (proximal_conditions_.empty() || !imaging_date_) return;
  auto& im = out_.c.imaging;
  if (im.thrombi)
    for (const auto& t : *im.thrombi)
      if (t.vein >= core::Vein::kPopliteal && t.vein <= core::Vein::kInferiorVenaCava &&
          t.acute != false)
        return;
  const auto& pc = proximal_conditions_.front();
  pw::Thrombus t;
  t.vein = pc.vein;
  t.acute = true;
  if (pc.side && (!im.side || *im.side == core::Side::kBilateral || *im.side == *pc.side))
    t.side = pc.side;
  if (!im.thrombi) im.thrombi.emplace();
  im.thrombi->push_back(t);
  out_.unmapped.push_back(
      {pc.source, "code", "imaging.thrombi",
       "an active acute proximal DVT is recorded but not among the study's findings: a " +
           std::string(core::kVeinNames.Name(pc.vein)) +
           " thrombus (measurements unknown) is placed on the case so the proximal "
           "pathway applies (never surveillance); review the imaging"});
}

}  // namespace calfdvt::fhir::internal
