// The plain-text rendering of a RegistryReport: aligned tables, local figures beside the
// published series.
#include <algorithm>
#include <cstdio>
#include <string>
#include <vector>

#include "formats/registry_json.h"

namespace calfdvt::formats {

namespace th = calfdvt::thrombectomy;

namespace {

using Row = std::vector<std::string>;

// Columns padded to their widest cell, separated by two spaces; trailing spaces trimmed.
void Table(std::string& out, const std::vector<Row>& rows) {
  std::vector<size_t> widths;
  for (const Row& row : rows)
    for (size_t i = 0; i < row.size(); ++i) {
      if (widths.size() <= i) widths.push_back(0);
      widths[i] = std::max(widths[i], row[i].size());
    }
  for (const Row& row : rows) {
    std::string line;
    for (size_t i = 0; i < row.size(); ++i) {
      line += row[i];
      if (i + 1 < row.size()) line.append(widths[i] - row[i].size() + 2, ' ');
    }
    while (!line.empty() && line.back() == ' ') line.pop_back();
    out += line + "\n";
  }
}

std::string Fixed(double v, int decimals) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
  return buf;
}
// Shortest of up to 2 decimals: 1.3, 1, 0.67.
std::string Short(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.2f", v);
  std::string s = buf;
  while (s.back() == '0') s.pop_back();
  if (s.back() == '.') s.pop_back();
  return s;
}
std::string Percent(double p) { return Fixed(100 * p, 1) + "%"; }
std::string Range(const th::Interval& ci) {
  return Fixed(100 * ci.low, 1) + "-" + Fixed(100 * ci.high, 1) + "%";
}
std::string Fraction(int k, int n) { return std::to_string(k) + "/" + std::to_string(n); }
std::string YesNo(const std::optional<bool>& v) { return v ? (*v ? "yes" : "no") : "no data"; }

std::string Local(const th::Proportion& p) {
  if (p.n == 0) return "no data";
  std::string s = Fraction(p.k, p.n) + " (" + Percent(*p.estimate) + ")";
  if (p.unknown) s += ", " + std::to_string(p.unknown) + " unknown";
  return s;
}

void ProportionRows(std::vector<Row>& rows, const std::string& name, const th::Proportion& p,
                    const th::ProportionComparison* c, const std::string& conf) {
  Row first = {name, Local(p), "", ""};
  if (c) first[2] = Fraction(c->published.k, c->published.n);
  rows.push_back(first);
  Row exact = {"  exact " + conf + " CI", p.exact ? Range(*p.exact) : "no data", "", ""};
  if (c) {
    exact[2] = Range(c->published_interval) + (c->published_interval_stated ? "" : " (computed)");
    exact[3] = YesNo(c->overlap);
  }
  rows.push_back(exact);
  rows.push_back({"  Wilson " + conf + " CI", p.wilson ? Range(*p.wilson) : "no data", "", ""});
}

std::string FilterText(const th::RegistryFilter& f) {
  std::vector<std::string> parts;
  if (f.from || f.to)
    parts.push_back("date " + (f.from ? f.from->ToString() : std::string("any")) + " to " +
                    (f.to ? f.to->ToString() : std::string("any")));
  if (f.operator_name) parts.push_back("operator " + *f.operator_name);
  if (f.iliac_obstruction)
    parts.push_back(std::string("iliac obstruction ") + (*f.iliac_obstruction ? "yes" : "no"));
  if (f.thrombosed_vein)
    parts.push_back("thrombosed vein " + std::string(core::kVeinNames.Name(*f.thrombosed_vein)));
  if (f.side) parts.push_back("side " + std::string(core::kSideNames.Name(*f.side)));
  if (parts.empty()) return "none (all records)";
  std::string out;
  for (const auto& p : parts) out += (out.empty() ? "" : "; ") + p;
  return out;
}

}  // namespace

std::string RegistryText(const th::RegistryReport& r) {
  const th::PublishedComparison& pub = r.published;
  const std::string conf = Short(100 * r.confidence) + "%";
  std::string out;
  out += "Calf-squeeze registry: local outcomes beside the published series (decision support)\n";
  out += "Knowledge: " + r.knowledge_id + " " + r.knowledge_version + " (sha256 " +
         r.knowledge_sha256 + ")\n";
  out += "Filter: " + FilterText(r.filter) + "\n";
  out += "Records: " + std::to_string(r.records) + " given, " + std::to_string(r.procedures) +
         " matching, " + std::to_string(r.procedures_with_squeeze) + " with a squeeze\n";
  out += "Published: " + pub.label + ": " + pub.population + "\n\n";

  std::vector<Row> rows = {{"Measure", "Local", "Published", "Overlap"}};
  rows.push_back({"Procedures", std::to_string(r.procedures), std::to_string(pub.procedures), ""});
  const th::Summary& s = r.squeezes.summary;
  std::string squeezes = "no data";
  if (s.mean) {
    squeezes = "mean " + Short(*s.mean) + (s.sd ? ", SD " + Short(*s.sd) : std::string()) +
               ", median " + Short(*s.median) + ", range " + Short(*s.min) + "-" + Short(*s.max);
  }
  rows.push_back({"Squeezes per procedure", squeezes,
                  "mean " + Short(pub.squeezes_mean) + ", range " +
                      std::to_string(pub.squeezes_min) + "-" + std::to_string(pub.squeezes_max),
                  pub.squeezes_range_within
                      ? (*pub.squeezes_range_within ? "range within" : "range beyond")
                      : "no data"});
  ProportionRows(rows, "Proximal migration", r.migration, &pub.migration, conf);
  ProportionRows(rows, "Recanalization", r.recanalization, &pub.recanalization, conf);
  ProportionRows(rows, "Complications", r.complications, &pub.complications, conf);
  ProportionRows(rows, "Major complications", r.major_complications, nullptr, conf);
  Table(out, rows);

  out += "\nSqueeze distribution:";
  if (r.squeezes.distribution.empty()) out += " no data";
  for (const auto& [count, procedures] : r.squeezes.distribution)
    out += " " + std::to_string(count) + "x" + std::to_string(procedures);
  out += "\nRemoval grade: I " + std::to_string(r.removal_grades[0]) + ", II " +
         std::to_string(r.removal_grades[1]) + ", III " + std::to_string(r.removal_grades[2]) +
         ", unknown " + std::to_string(r.removal_grade_unknown) + "\n\n";

  std::vector<Row> veins = {{"Vein", "Procedures", "Squeezes", "Migration", "Aspirated"}};
  for (const th::VeinOutcome& v : r.veins)
    veins.push_back({std::string(core::kVeinNames.Name(v.vein)), std::to_string(v.procedures),
                     std::to_string(v.squeezes),
                     std::to_string(v.migration_observed) +
                         (v.migration_unknown ? " (+" + std::to_string(v.migration_unknown) + " unknown)" : ""),
                     std::to_string(v.aspirated) +
                         (v.aspirated_unknown ? " (+" + std::to_string(v.aspirated_unknown) + " unknown)" : "")});
  if (r.veins.empty()) veins.push_back({"no squeeze recorded"});
  Table(out, veins);

  out += "\n";
  std::vector<Row> checks = {{"Protocol check", "Severity", "Fired", "Unknown"}};
  for (const th::CheckCount& c : r.checks)
    checks.push_back({std::string(th::kCheckIdNames.Name(c.id)),
                      std::string(th::kSeverityNames.Name(c.severity)), std::to_string(c.fired),
                      std::to_string(c.unknown)});
  Table(out, checks);
  return out;
}

}  // namespace calfdvt::formats
