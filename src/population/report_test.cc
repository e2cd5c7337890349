#include "population/report.h"

#include <gtest/gtest.h>
#include <simdjson.h>

namespace calfdvt::population {
namespace {

ScanReport Sample() {
  ScanReport r;
  r.as_of = core::Date::FromCivil(2026, 11, 21);
  r.knowledge = {"distal-dvt", "seed001", "1.0", std::string(64, 'a')};
  r.code_map_version = "1.0.0";
  r.files.push_back({"Condition.ndjson", "Condition", 100, 2});
  PatientRow a;
  a.patient_id = "p1";
  a.distal_dvt = true;
  a.gaps = {GapCode::kUntreatedDistalWithoutFollowup, GapCode::kCalfVeinsNotAssessed};
  a.rules = {"R1"};
  PatientRow b;
  b.patient_id = "p,2";
  b.proximal_dvt = true;
  b.anticoagulant_active = true;
  b.assessed = true;
  b.strategy = "proximal_dvt_pathway";
  b.classification = "proximal";
  b.decisive_unknowns = {"bleeding.risk", "labs.d_dimer"};
  r.patients = {a, b};
  r.errors.push_back({"Observation.ndjson", 12, "malformed JSON"});
  r.errors_total = 1;
  TallyRows(r);
  return r;
}

TEST(Report, Tally) {
  const ScanReport r = Sample();
  EXPECT_EQ(r.counts.gap_patients, 1);
  EXPECT_EQ(r.counts.gaps[0], 1);
  EXPECT_EQ(r.counts.gaps[2], 1);
  EXPECT_EQ(r.counts.with_distal_dvt, 1);
  EXPECT_EQ(r.counts.with_proximal_dvt, 1);
  EXPECT_EQ(r.counts.assessed, 1);
}

TEST(Report, JsonIsValidAndStamped) {
  const std::string json = ScanReportJson(Sample());
  simdjson::dom::parser parser;
  simdjson::dom::element d;
  ASSERT_FALSE(parser.parse(json).get(d));
  EXPECT_EQ(std::string_view(d["format"]), "calfdvt/scan-report@1");
  EXPECT_EQ(std::string_view(d["as_of"]), "2026-11-21");
  EXPECT_EQ(std::string_view(d["knowledge"]["profile"]), "seed001");
  EXPECT_EQ(int64_t(d["counts"]["gaps"]["calf_veins_not_assessed"]), 1);
  EXPECT_EQ(std::string_view(d["patients"].at(0)["gaps"].at(1)), "calf_veins_not_assessed");
  EXPECT_TRUE(d["patients"].at(0)["strategy"].is_null());
  EXPECT_EQ(int64_t(d["errors"].at(0)["line"]), 12);
  EXPECT_EQ(ScanReportJson(Sample()), json) << "deterministic";
}

TEST(Report, CsvQuotes) {
  const std::string csv = ScanCsv(Sample());
  EXPECT_NE(csv.find("p1,untreated_distal_without_followup;calf_veins_not_assessed,true,false,false,0,false,,,R1,,0\r\n"),
            std::string::npos)
      << csv;
  EXPECT_NE(csv.find("\"p,2\",,false,true,true,0,true,proximal,proximal_dvt_pathway,,bleeding.risk;labs.d_dimer,0\r\n"),
            std::string::npos)
      << csv;
}

}  // namespace
}  // namespace calfdvt::population
