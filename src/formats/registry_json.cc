// JSON and CSV renderings of a RegistryReport (the text table is in registry_text.cc).
#include "formats/registry_json.h"

#include <charconv>
#include <optional>

#include "core/json_writer.h"
#include "thrombectomy/outcomes.h"

namespace calfdvt::formats {

namespace th = calfdvt::thrombectomy;
using core::JsonWriter;

namespace {

void NumberOrNull(JsonWriter& w, std::string_view key, const std::optional<double>& v) {
  w.Key(key);
  if (v) w.Number(*v);
  else w.Null();
}
void BoolOrNull(JsonWriter& w, std::string_view key, const std::optional<bool>& v) {
  w.Key(key);
  if (v) w.Bool(*v);
  else w.Null();
}
void IntervalOrNull(JsonWriter& w, std::string_view key, const std::optional<th::Interval>& ci) {
  w.Key(key);
  if (!ci) {
    w.Null();
    return;
  }
  w.BeginObject().Key("low").Number(ci->low).Key("high").Number(ci->high).EndObject();
}

void WriteProportion(JsonWriter& w, std::string_view key, const th::Proportion& p) {
  w.Key(key).BeginObject();
  w.Key("k").Int(p.k);
  w.Key("n").Int(p.n);
  w.Key("unknown").Int(p.unknown);
  NumberOrNull(w, "estimate", p.estimate);
  IntervalOrNull(w, "exact", p.exact);
  IntervalOrNull(w, "wilson", p.wilson);
  w.Key("no_data").Bool(p.n == 0);
  w.EndObject();
}

void WriteComparison(JsonWriter& w, std::string_view key, const th::ProportionComparison& c) {
  w.Key(key).BeginObject();
  w.Key("k").Int(c.published.k);
  w.Key("n").Int(c.published.n);
  w.Key("interval").BeginObject();
  w.Key("low").Number(c.published_interval.low);
  w.Key("high").Number(c.published_interval.high);
  w.EndObject();
  w.Key("interval_stated").Bool(c.published_interval_stated);
  BoolOrNull(w, "overlap", c.overlap);
  w.EndObject();
}

void WriteFilter(JsonWriter& w, const th::RegistryFilter& f) {
  w.BeginObject();
  w.Key("from");
  if (f.from) w.DateValue(*f.from);
  else w.Null();
  w.Key("to");
  if (f.to) w.DateValue(*f.to);
  else w.Null();
  w.Key("operator");
  if (f.operator_name) w.String(*f.operator_name);
  else w.Null();
  BoolOrNull(w, "iliac_obstruction", f.iliac_obstruction);
  w.Key("thrombosed_vein");
  if (f.thrombosed_vein) w.String(core::kVeinNames.Name(*f.thrombosed_vein));
  else w.Null();
  w.Key("side");
  if (f.side) w.String(core::kSideNames.Name(*f.side));
  else w.Null();
  w.EndObject();
}

}  // namespace

std::string RegistryJson(const th::RegistryReport& r) {
  std::string out;
  JsonWriter w(out);
  w.BeginObject();
  w.Key("format").String(kRegistryReportFormat);
  w.Key("knowledge").BeginObject();
  w.Key("id").String(r.knowledge_id);
  w.Key("version").String(r.knowledge_version);
  w.Key("sha256").String(r.knowledge_sha256);
  w.EndObject();
  w.Key("confidence").Number(r.confidence);
  w.Key("filter");
  WriteFilter(w, r.filter);
  w.Key("records").Int(r.records);
  w.Key("procedures").Int(r.procedures);
  w.Key("procedures_with_squeeze").Int(r.procedures_with_squeeze);

  const th::Summary& s = r.squeezes.summary;
  w.Key("squeezes").BeginObject();
  w.Key("total").Int(r.squeezes.total);
  NumberOrNull(w, "mean", s.mean);
  NumberOrNull(w, "sd", s.sd);
  NumberOrNull(w, "median", s.median);
  NumberOrNull(w, "min", s.min);
  NumberOrNull(w, "max", s.max);
  w.Key("distribution").BeginArray();
  for (const auto& [count, procedures] : r.squeezes.distribution)
    w.BeginObject().Key("squeezes").Int(count).Key("procedures").Int(procedures).EndObject();
  w.EndArray();
  w.EndObject();

  WriteProportion(w, "migration", r.migration);
  WriteProportion(w, "recanalization", r.recanalization);
  WriteProportion(w, "complications", r.complications);
  WriteProportion(w, "major_complications", r.major_complications);

  w.Key("removal_grades").BeginObject();
  for (size_t i = 0; i < r.removal_grades.size(); ++i)
    w.Key(th::kRemovalGradeNames.names[i]).Int(r.removal_grades[i]);
  w.Key("unknown").Int(r.removal_grade_unknown);
  w.EndObject();

  w.Key("veins").BeginArray();
  for (const th::VeinOutcome& v : r.veins) {
    w.BeginObject();
    w.Key("vein").String(core::kVeinNames.Name(v.vein));
    w.Key("procedures").Int(v.procedures);
    w.Key("squeezes").Int(v.squeezes);
    w.Key("migration_observed").Int(v.migration_observed);
    w.Key("migration_unknown").Int(v.migration_unknown);
    w.Key("aspirated").Int(v.aspirated);
    w.Key("aspirated_unknown").Int(v.aspirated_unknown);
    w.EndObject();
  }
  w.EndArray();

  w.Key("checks").BeginArray();
  for (const th::CheckCount& c : r.checks) {
    w.BeginObject();
    w.Key("id").String(th::kCheckIdNames.Name(c.id));
    w.Key("severity").String(th::kSeverityNames.Name(c.severity));
    w.Key("fired").Int(c.fired);
    w.Key("unknown").Int(c.unknown);
    w.EndObject();
  }
  w.EndArray();

  const th::PublishedComparison& p = r.published;
  w.Key("published").BeginObject();
  w.Key("source").String(p.source);
  w.Key("label").String(p.label);
  w.Key("population").String(p.population);
  w.Key("procedures").Int(p.procedures);
  w.Key("squeezes").BeginObject();
  w.Key("mean").Number(p.squeezes_mean);
  w.Key("min").Int(p.squeezes_min);
  w.Key("max").Int(p.squeezes_max);
  BoolOrNull(w, "local_range_within", p.squeezes_range_within);
  w.EndObject();
  WriteComparison(w, "migration", p.migration);
  WriteComparison(w, "recanalization", p.recanalization);
  WriteComparison(w, "complications", p.complications);
  w.EndObject();
  w.EndObject();
  return out;
}

// ---------------------------------------------------------------------------------------------
// CSV

namespace {

std::string Cell(double v) {
  char buf[32];
  auto res = std::to_chars(buf, buf + sizeof buf, v);
  return std::string(buf, res.ptr);
}
std::string Cell(const std::optional<double>& v) { return v ? Cell(*v) : std::string(); }
std::string Cell(int v) { return std::to_string(v); }

// A CSV field; quoted when it holds a comma, quote or line break (RFC 4180).
std::string Field(std::string_view s) {
  if (s.find_first_of(",\"\r\n") == std::string_view::npos) return std::string(s);
  std::string out = "\"";
  for (char c : s) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + '"';
}

struct CsvRow {
  std::string group, item, k, n, unknown, value, exact_low, exact_high, wilson_low, wilson_high,
      published_value, published_low, published_high, overlap;
};

void Append(std::string& out, const CsvRow& r) {
  const std::string* cells[] = {&r.group,      &r.item,           &r.k,
                                &r.n,          &r.unknown,        &r.value,
                                &r.exact_low,  &r.exact_high,     &r.wilson_low,
                                &r.wilson_high, &r.published_value, &r.published_low,
                                &r.published_high, &r.overlap};
  bool first = true;
  for (const std::string* c : cells) {
    if (!first) out += ',';
    first = false;
    out += Field(*c);
  }
  out += "\r\n";
}

CsvRow ProportionRow(std::string group, std::string item, const th::Proportion& p) {
  CsvRow row{std::move(group), std::move(item)};
  row.k = Cell(p.k);
  row.n = Cell(p.n);
  row.unknown = Cell(p.unknown);
  row.value = Cell(p.estimate);
  if (p.exact) {
    row.exact_low = Cell(p.exact->low);
    row.exact_high = Cell(p.exact->high);
  }
  if (p.wilson) {
    row.wilson_low = Cell(p.wilson->low);
    row.wilson_high = Cell(p.wilson->high);
  }
  return row;
}

void AddPublished(CsvRow& row, const th::ProportionComparison& c) {
  row.published_value = Cell(static_cast<double>(c.published.k) / c.published.n);
  row.published_low = Cell(c.published_interval.low);
  row.published_high = Cell(c.published_interval.high);
  if (c.overlap) row.overlap = *c.overlap ? "yes" : "no";
}

// k of n as a proportion row without intervals (per-vein and per-check counts).
CsvRow CountRow(std::string group, std::string item, int k, int n, int unknown) {
  CsvRow row{std::move(group), std::move(item), Cell(k), Cell(n), Cell(unknown)};
  if (n > 0) row.value = Cell(static_cast<double>(k) / n);
  return row;
}

}  // namespace

std::string RegistryCsv(const th::RegistryReport& r) {
  std::string out(kRegistryCsvHeader);
  out += "\r\n";
  const th::PublishedComparison& pub = r.published;
  Append(out, CsvRow{"summary", "records", "", "", "", Cell(r.records)});
  CsvRow procedures{"summary", "procedures", "", "", "", Cell(r.procedures)};
  procedures.published_value = Cell(pub.procedures);
  Append(out, procedures);
  Append(out, CsvRow{"summary", "procedures_with_squeeze", "", "", "", Cell(r.procedures_with_squeeze)});

  const th::Summary& s = r.squeezes.summary;
  Append(out, CsvRow{"squeezes", "total", "", "", "", Cell(r.squeezes.total)});
  CsvRow mean{"squeezes", "mean", "", Cell(s.n), "", Cell(s.mean)};
  mean.published_value = Cell(pub.squeezes_mean);
  Append(out, mean);
  Append(out, CsvRow{"squeezes", "sd", "", Cell(s.n), "", Cell(s.sd)});
  Append(out, CsvRow{"squeezes", "median", "", Cell(s.n), "", Cell(s.median)});
  CsvRow min{"squeezes", "min", "", Cell(s.n), "", Cell(s.min)};
  min.published_value = Cell(pub.squeezes_min);
  Append(out, min);
  CsvRow max{"squeezes", "max", "", Cell(s.n), "", Cell(s.max)};
  max.published_value = Cell(pub.squeezes_max);
  if (pub.squeezes_range_within) max.overlap = *pub.squeezes_range_within ? "yes" : "no";
  Append(out, max);
  for (const auto& [count, procs] : r.squeezes.distribution)
    Append(out, CountRow("squeezes_distribution", Cell(count), procs, r.procedures, 0));

  CsvRow migration = ProportionRow("proportion", "migration", r.migration);
  AddPublished(migration, pub.migration);
  Append(out, migration);
  CsvRow recanalization = ProportionRow("proportion", "recanalization", r.recanalization);
  AddPublished(recanalization, pub.recanalization);
  Append(out, recanalization);
  CsvRow complications = ProportionRow("proportion", "complications", r.complications);
  AddPublished(complications, pub.complications);
  Append(out, complications);
  Append(out, ProportionRow("proportion", "major_complications", r.major_complications));

  const int graded = r.removal_grades[0] + r.removal_grades[1] + r.removal_grades[2];
  for (size_t i = 0; i < r.removal_grades.size(); ++i)
    Append(out, CountRow("removal_grade", std::string(th::kRemovalGradeNames.names[i]),
                         r.removal_grades[i], graded, r.removal_grade_unknown));

  for (const th::VeinOutcome& v : r.veins) {
    const std::string vein(core::kVeinNames.Name(v.vein));
    Append(out, CountRow("vein_procedures", vein, v.procedures, r.procedures, 0));
    Append(out, CountRow("vein_migration", vein, v.migration_observed,
                         v.squeezes - v.migration_unknown, v.migration_unknown));
    Append(out, CountRow("vein_aspirated", vein, v.aspirated, v.squeezes - v.aspirated_unknown,
                         v.aspirated_unknown));
  }
  for (const th::CheckCount& c : r.checks)
    Append(out, CountRow("check", std::string(th::kCheckIdNames.Name(c.id)), c.fired,
                         r.procedures - c.unknown, c.unknown));
  return out;
}

}  // namespace calfdvt::formats
