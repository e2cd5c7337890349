// The ten-procedure fixture (tests/fixtures/calf_squeeze_published_series.ndjson) reproduces the
// published series exactly under the shipped knowledge; and the JSON, text and CSV renderings of a
// registry report carry the same figures, including "no data" for an empty selection.
#include "formats/registry_json.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <simdjson.h>

#include <cmath>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "formats/procedure_json.h"
#include "formats/testing/json_schema_check.h"
#include "formats/thrombectomy_knowledge_json.h"

namespace calfdvt::formats {
namespace {

using ::testing::HasSubstr;
namespace th = calfdvt::thrombectomy;

using schema_check::ReadSourceFile;

const th::ThrombectomyKnowledge& Knowledge() {
  static const th::ThrombectomyKnowledge* k = [] {
    auto r = LoadThrombectomyKnowledge(ReadSourceFile("knowledge/calf-squeeze.json"));
    EXPECT_TRUE(r.ok());
    return new th::ThrombectomyKnowledge(r.ok() ? std::move(r).value() : th::ThrombectomyKnowledge{});
  }();
  return *k;
}

const std::vector<th::Procedure>& Series() {
  static const std::vector<th::Procedure>* s = [] {
    auto r = ParseProcedureLines(ReadSourceFile("tests/fixtures/calf_squeeze_published_series.ndjson"));
    EXPECT_TRUE(r.ok()) << (r.ok() ? "" : core::FormatError(r.errors()[0]));
    return new std::vector<th::Procedure>(r.ok() ? std::move(r).value() : std::vector<th::Procedure>{});
  }();
  return *s;
}

th::RegistryReport Report(const th::RegistryFilter& f = {}) {
  auto r = th::Registry(Series(), f, Knowledge());
  EXPECT_TRUE(r.ok());
  return r.ok() ? std::move(r).value() : th::RegistryReport{};
}

double Round(double v, int decimals) {
  const double scale = std::pow(10.0, decimals);
  return std::round(v * scale) / scale;
}

// The published summary (clinical-spec §7): n 10; mean 1.3, range 1-3; migration 10/10;
// recanalization 10/10, exact 95% CI 69-100%; complications 0/10, upper bound 31%.
TEST(PublishedSeriesFixture, ReproducesThePublishedSummaryExactly) {
  ASSERT_EQ(Series().size(), 10u);
  const th::RegistryReport r = Report();
  const th::PublishedSeries& pub = Knowledge().published;
  EXPECT_EQ(r.procedures, pub.procedures);
  EXPECT_EQ(r.procedures, 10);
  EXPECT_EQ(r.squeezes.total, 13);
  EXPECT_EQ(r.squeezes.summary.mean, pub.squeezes_mean);
  EXPECT_EQ(r.squeezes.summary.mean, 1.3);
  EXPECT_EQ(r.squeezes.summary.min, 1.0);
  EXPECT_EQ(r.squeezes.summary.max, 3.0);
  EXPECT_EQ(r.migration.k, 10);
  EXPECT_EQ(r.migration.n, 10);
  EXPECT_EQ(r.recanalization.k, 10);
  EXPECT_EQ(r.recanalization.n, 10);
  EXPECT_EQ(r.recanalization.unknown, 0);
  EXPECT_EQ(Round(r.recanalization.exact->low, 2), 0.69);
  EXPECT_EQ(r.recanalization.exact->high, 1.0);
  EXPECT_EQ(r.complications.k, 0);
  EXPECT_EQ(r.complications.n, 10);
  EXPECT_EQ(r.complications.exact->low, 0.0);
  EXPECT_EQ(Round(r.complications.exact->high, 2), 0.31);
  EXPECT_EQ(r.published.squeezes_range_within, true);
  EXPECT_EQ(r.published.migration.overlap, true);
  EXPECT_EQ(r.published.recanalization.overlap, true);
  EXPECT_EQ(r.published.complications.overlap, true);
  // Consistent with the seed: iliac obstruction, temporary filter, popliteal access, no check fires.
  for (const th::Procedure& p : Series()) {
    EXPECT_EQ(p.indication->iliac_obstruction, true);
    EXPECT_EQ(p.ivc_filter, th::IvcFilter::kTemporary);
    EXPECT_EQ(p.access_vein, core::Vein::kPopliteal);
  }
  for (const th::CheckCount& c : r.checks) EXPECT_EQ(c.fired + c.unknown, 0) << th::kCheckIdNames.Name(c.id);
  // Every procedure is grade II or III.
  EXPECT_EQ(r.removal_grades[0], 0);
  EXPECT_EQ(r.removal_grades[1] + r.removal_grades[2], 10);
}

TEST(PublishedSeriesFixture, FiltersSelectSubsets) {
  th::RegistryFilter f;
  f.iliac_obstruction = true;
  EXPECT_EQ(Report(f).procedures, 10);
  f = {};
  f.from = core::Date::FromCivil(2026, 1, 1);
  EXPECT_EQ(Report(f).procedures, 4);
  f = {};
  f.operator_name = "op-b";
  EXPECT_EQ(Report(f).procedures, 4);
}

simdjson::dom::element ParseJson(simdjson::dom::parser& parser, const std::string& json) {
  simdjson::dom::element doc;
  EXPECT_EQ(parser.parse(json).get(doc), simdjson::SUCCESS) << json;
  return doc;
}

TEST(RegistryJson, CarriesTheReport) {
  const std::string json = RegistryJson(Report());
  simdjson::dom::parser parser;
  const simdjson::dom::element doc = ParseJson(parser, json);
  EXPECT_EQ(std::string_view(doc["format"]), "calfdvt/registry-report@1");
  EXPECT_EQ(std::string_view(doc["knowledge"]["sha256"]), Knowledge().sha256);
  EXPECT_EQ(int64_t(doc["procedures"]), 10);
  EXPECT_EQ(double(doc["squeezes"]["mean"]), 1.3);
  EXPECT_EQ(int64_t(doc["squeezes"]["total"]), 13);
  EXPECT_EQ(int64_t(doc["squeezes"]["distribution"].at(0)["procedures"]), 8);
  EXPECT_EQ(int64_t(doc["recanalization"]["k"]), 10);
  EXPECT_NEAR(double(doc["recanalization"]["exact"]["low"]), 0.692, 0.0005);
  EXPECT_EQ(bool(doc["recanalization"]["no_data"]), false);
  EXPECT_EQ(double(doc["published"]["recanalization"]["interval"]["low"]), 0.69);
  EXPECT_EQ(bool(doc["published"]["recanalization"]["overlap"]), true);
  EXPECT_EQ(bool(doc["published"]["migration"]["interval_stated"]), false);
  EXPECT_TRUE(doc["filter"]["from"].is_null());
  EXPECT_EQ(simdjson::dom::array(doc["checks"]).size(), th::kCheckCount);
  EXPECT_EQ(std::string_view(doc["veins"].at(0)["vein"]), "anterior_tibial");
}

TEST(RegistryJson, EmptySelectionSaysNoData) {
  th::RegistryFilter f;
  f.operator_name = "nobody";
  f.to = core::Date::FromCivil(2026, 12, 31);
  const std::string json = RegistryJson(Report(f));
  simdjson::dom::parser parser;
  const simdjson::dom::element doc = ParseJson(parser, json);
  EXPECT_EQ(int64_t(doc["procedures"]), 0);
  EXPECT_TRUE(doc["squeezes"]["mean"].is_null());
  EXPECT_TRUE(doc["recanalization"]["exact"].is_null());
  EXPECT_TRUE(doc["recanalization"]["estimate"].is_null());
  EXPECT_EQ(bool(doc["recanalization"]["no_data"]), true);
  EXPECT_TRUE(doc["published"]["recanalization"]["overlap"].is_null());
  EXPECT_EQ(std::string_view(doc["filter"]["operator"]), "nobody");
  EXPECT_EQ(std::string_view(doc["filter"]["to"]), "2026-12-31");

  const std::string text = RegistryText(Report(f));
  EXPECT_THAT(text, HasSubstr("Recanalization          no data"));
  EXPECT_THAT(text, HasSubstr("no squeeze recorded"));
  EXPECT_THAT(text, HasSubstr("Filter: date any to 2026-12-31; operator nobody\n"));
}

TEST(RegistryText, LocalBesideThePublishedSeries) {
  const std::string text = RegistryText(Report());
  EXPECT_THAT(text, HasSubstr("Records: 10 given, 10 matching, 10 with a squeeze\n"));
  EXPECT_THAT(text, HasSubstr("Filter: none (all records)\n"));
  EXPECT_THAT(text, HasSubstr("Procedures              10"));
  EXPECT_THAT(text, HasSubstr("mean 1.3, SD 0.67, median 1, range 1-3"));
  EXPECT_THAT(text, HasSubstr("mean 1.3, range 1-3"));
  EXPECT_THAT(text, HasSubstr("Recanalization          10/10 (100.0%)"));
  EXPECT_THAT(text, HasSubstr("69.2-100.0%"));
  EXPECT_THAT(text, HasSubstr("69.0-100.0%"));  // as published
  EXPECT_THAT(text, HasSubstr("0.0-30.8%"));
  EXPECT_THAT(text, HasSubstr("(computed)"));   // migration: no published interval stated
  EXPECT_THAT(text, HasSubstr("Squeeze distribution: 1x8 2x1 3x1\n"));
  EXPECT_THAT(text, HasSubstr("no_embolic_protection         critical  0      0\n"));
  // Columns are aligned: every row of the first table starts its second column at one offset.
  const size_t header = text.find("Measure");
  ASSERT_NE(header, std::string::npos);
  const size_t local_col = text.find("Local", header) - header;
  const size_t procedures = text.find("Procedures ", header);
  EXPECT_EQ(text.find("10", procedures) - procedures, local_col);
}

std::vector<std::vector<std::string>> ParseCsv(const std::string& csv) {
  std::vector<std::vector<std::string>> rows;
  std::istringstream in(csv);
  for (std::string line; std::getline(in, line);) {
    EXPECT_FALSE(line.empty());
    EXPECT_EQ(line.back(), '\r');
    line.pop_back();
    std::vector<std::string> cells;
    std::istringstream cs(line);
    for (std::string cell; std::getline(cs, cell, ',');) cells.push_back(cell);
    if (!line.empty() && line.back() == ',') cells.emplace_back();
    rows.push_back(cells);
  }
  return rows;
}

TEST(RegistryCsv, HeaderAndOneRowPerFigure) {
  const std::string csv = RegistryCsv(Report());
  const auto rows = ParseCsv(csv);
  ASSERT_GT(rows.size(), 10u);
  EXPECT_EQ(csv.substr(0, csv.find('\r')), kRegistryCsvHeader);
  for (const auto& row : rows) EXPECT_EQ(row.size(), 14u) << row[0] << "," << row[1];
  auto find = [&](const std::string& group, const std::string& item) {
    for (const auto& row : rows)
      if (row[0] == group && row[1] == item) return row;
    ADD_FAILURE() << "no row " << group << "," << item;
    return std::vector<std::string>(14);
  };
  EXPECT_EQ(find("summary", "procedures")[5], "10");
  EXPECT_EQ(find("summary", "procedures")[10], "10");
  EXPECT_EQ(find("squeezes", "mean")[5], "1.3");
  EXPECT_EQ(find("squeezes", "mean")[10], "1.3");
  EXPECT_EQ(find("squeezes", "max")[13], "yes");
  const auto recan = find("proportion", "recanalization");
  EXPECT_EQ(recan[2], "10");
  EXPECT_EQ(recan[3], "10");
  EXPECT_EQ(recan[5], "1");
  EXPECT_NEAR(std::stod(recan[6]), 0.692, 0.0005);
  EXPECT_EQ(recan[7], "1");
  EXPECT_EQ(recan[11], "0.69");
  EXPECT_EQ(recan[13], "yes");
  EXPECT_EQ(find("proportion", "complications")[12], "0.31");
  EXPECT_EQ(find("squeezes_distribution", "3")[2], "1");
  EXPECT_EQ(find("vein_procedures", "popliteal")[5], "1");
  EXPECT_EQ(find("check", "no_embolic_protection")[2], "0");
  EXPECT_EQ(find("removal_grade", "I")[2], "0");
}

TEST(RegistryCsv, EmptySelectionLeavesIntervalCellsEmpty) {
  th::RegistryFilter f;
  f.operator_name = "nobody";
  const auto rows = ParseCsv(RegistryCsv(Report(f)));
  for (const auto& row : rows) {
    if (row[0] != "proportion" || row[1] != "recanalization") continue;
    EXPECT_EQ(row[3], "0");
    EXPECT_EQ(row[5], "");
    EXPECT_EQ(row[6], "");
    EXPECT_EQ(row[13], "");
    return;
  }
  ADD_FAILURE() << "no recanalization row";
}

}  // namespace
}  // namespace calfdvt::formats
