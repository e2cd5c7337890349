#include "server/demo.h"

#include <functional>

namespace calfdvt::server {
namespace {

struct DemoCase {
  const char* patient;
  int imaging_days_ago;
  const char* thrombi;  // JSON array
  const char* history;  // JSON object
  const char* extra;    // more root members, starting with a comma, or ""
  std::vector<std::function<std::string(core::Date today, core::Date imaging)>> events;
};

std::string D(core::Date d) { return d.ToString(); }

std::string CaseJson(const DemoCase& c, core::Date today) {
  const core::Date imaging = today.AddDays(-c.imaging_days_ago);
  return std::string("{\"format\":\"calfdvt/case@1\",\"id\":\"") + c.patient + "\",\"as_of\":\"" +
         D(imaging) + "\",\"patient\":{\"age\":58,\"sex\":\"female\",\"pregnancy\":\"none\",\"crcl_ml_min\":80," +
         "\"severe_liver_disease\":false,\"antiphospholipid_syndrome\":false}," +
         "\"imaging\":{\"date\":\"" + D(imaging) + "\",\"protocol\":\"whole_leg_duplex\",\"side\":\"left\",\"thrombi\":" +
         c.thrombi + "},\"labs\":{\"d_dimer\":{\"value\":380,\"unit\":\"ng/mL FEU\",\"cutoff\":500}}," +
         "\"history\":" + c.history + ",\"bleeding\":{\"risk\":\"low\",\"anticoagulation_contraindicated\":false}," +
         "\"preferences\":{\"anticoagulation\":\"no_preference\"}" + c.extra + "}";
}

constexpr const char* kLowRiskHistory =
    "{\"provocation\":\"transient\",\"active_cancer\":false,\"prior_vte\":false,\"inpatient\":false,"
    "\"recent_hospitalization\":false,\"recent_surgery\":false,\"severe_symptoms\":false,"
    "\"covid19\":false,\"end_stage_renal_disease\":false,\"stroke\":false}";
constexpr const char* kCancerHistory =
    "{\"provocation\":\"persistent\",\"active_cancer\":true,\"prior_vte\":false,\"inpatient\":false,"
    "\"recent_hospitalization\":false,\"recent_surgery\":false,\"severe_symptoms\":false,"
    "\"covid19\":false,\"end_stage_renal_disease\":false,\"stroke\":false}";
constexpr const char* kMuscular =
    "[{\"vein\":\"gastrocnemius_medial\",\"length_cm\":3.2,\"max_diameter_mm\":5,"
    "\"distance_to_popliteal_cm\":7,\"acute\":true}]";
constexpr const char* kSoleal =
    "[{\"vein\":\"soleal\",\"length_cm\":2.5,\"max_diameter_mm\":4,\"distance_to_popliteal_cm\":9,\"acute\":true}]";
constexpr const char* kPeroneal =
    "[{\"vein\":\"peroneal\",\"length_cm\":6.5,\"max_diameter_mm\":6,\"distance_to_popliteal_cm\":10,\"acute\":true}]";

std::string Booked(int day, core::Date d) {
  return "{\"type\":\"scan_booked\",\"scan_day\":" + std::to_string(day) + ",\"date\":\"" + D(d) + "\"}";
}
std::string Result(int day, core::Date d, const char* result) {
  return "{\"type\":\"scan_result\",\"scan_day\":" + std::to_string(day) + ",\"date\":\"" + D(d) +
         "\",\"result\":\"" + result + "\"}";
}

}  // namespace

core::Result<int> SeedDemoData(EpisodeService& service, store::Store& store, core::Date today) {
  auto existing = store.ListEpisodes("DEMO-001", 1);
  if (!existing.ok()) return core::Result<int>(existing.kind(), existing.errors());
  if (!existing->empty()) return 0;
  std::vector<DemoCase> cases = {
      // Day-7 scan due today, not yet booked: critical "no scan booked".
      {"DEMO-001", 5, kMuscular, kLowRiskHistory, "", {}},
      // Day-7 scan booked but overdue.
      {"DEMO-002", 12, kSoleal, kLowRiskHistory, "",
       {[](core::Date, core::Date img) { return Booked(7, img.AddDays(7)); }}},
      // Stable at day 7, day-14 scan booked and upcoming.
      {"DEMO-003", 9, kMuscular, kLowRiskHistory, "",
       {[](core::Date, core::Date img) { return Result(7, img.AddDays(7), "stable"); },
        [](core::Date, core::Date img) { return Booked(14, img.AddDays(14)); }}},
      // Extension to the popliteal vein at day 7: anticoagulate now (critical until started).
      {"DEMO-004", 8, kSoleal, kLowRiskHistory, "",
       {[](core::Date, core::Date img) { return Booked(7, img.AddDays(7)); },
        [](core::Date, core::Date img) { return Result(7, img.AddDays(7), "extended_proximal"); }}},
      // Active cancer, 6.5 cm peroneal thrombus: anticoagulated.
      {"DEMO-005", 3, kPeroneal, kCancerHistory, "",
       {[](core::Date, core::Date img) {
         return "{\"type\":\"anticoagulation_started\",\"date\":\"" + D(img) + "\",\"agent\":\"lmwh\"}";
       }}},
      // Resolved at day 7: surveillance complete.
      {"DEMO-006", 20, kMuscular, kLowRiskHistory, "",
       {[](core::Date, core::Date img) { return Result(7, img.AddDays(7), "resolved"); }}},
  };
  int created = 0;
  for (const auto& c : cases) {
    auto ep = service.CreateEpisode(CaseJson(c, today), c.patient, "", "demo-seed");
    if (!ep.ok()) return core::Result<int>(ep.kind(), ep.errors());
    ++created;
    const core::Date imaging = today.AddDays(-c.imaging_days_ago);
    for (const auto& make : c.events) {
      auto r = service.AppendEvent(ep->id, make(today, imaging), "demo-seed");
      if (!r.ok()) return core::Result<int>(r.kind(), r.errors());
    }
  }
  return created;
}

}  // namespace calfdvt::server
