#include "formats/episode_index_json.h"

#include <simdjson.h>

#include "formats/json_read.h"

namespace calfdvt::formats {

namespace pw = calfdvt::pathway;

core::Result<surveillance::EpisodeIndex> ParseEpisodeIndex(std::string_view json,
                                                           core::Date imaging_date) {
  using R = core::Result<surveillance::EpisodeIndex>;
  auto fail = [](std::string path) {
    return R(core::ErrorKind::kInternal,
             {core::Error{std::move(path), "stored_assessment", "stored index assessment is unreadable"}});
  };
  simdjson::dom::parser parser;
  simdjson::dom::element root;
  if (parser.parse(json.data(), json.size(), true).get(root)) return fail("");
  surveillance::EpisodeIndex index;
  index.imaging_date = imaging_date;
  std::string_view s;
  if (root["classification"].get(s)) return fail("classification");
  auto cls = pw::kClassificationNames.Parse(s);
  if (root["strategy"].get(s)) return fail("strategy");
  auto strategy = pw::kStrategyNames.Parse(s);
  if (!cls || !strategy) return fail("strategy");
  index.classification = *cls;
  index.strategy = *strategy;
  simdjson::dom::element surv;
  if (!root["surveillance"].get(surv) && surv.is_object()) {
    if (surv["on_extension"].get(s)) return fail("surveillance.on_extension");
    auto on_ext = pw::kOnExtensionNames.Parse(s);
    if (!on_ext) return fail("surveillance.on_extension");
    index.on_extension = *on_ext;
    simdjson::dom::array scans;
    if (surv["scans"].get(scans)) return fail("surveillance.scans");
    for (simdjson::dom::element scan : scans) {
      pw::ScanPlan p;
      int64_t day;
      std::string_view due, w0, w1;
      simdjson::dom::array window;
      if (scan["day"].get(day) || scan["due"].get(due) || scan["window"].get(window) ||
          window.at(0).get(w0) || window.at(1).get(w1))
        return fail("surveillance.scans");
      auto d = core::Date::Parse(due), a = core::Date::Parse(w0), b = core::Date::Parse(w1);
      if (!d || !a || !b) return fail("surveillance.scans");
      p.day = static_cast<int>(day);
      p.due = *d;
      p.window_start = *a;
      p.window_end = *b;
      index.scans.push_back(p);
    }
  }
  return index;
}

}  // namespace calfdvt::formats
