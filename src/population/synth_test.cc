#include "population/synth.h"

#include <gtest/gtest.h>
#include <simdjson.h>

#include <map>
#include <set>

#include "fhir/record.h"
#include "population/line_probe.h"

namespace calfdvt::population {
namespace {

struct Export {
  std::vector<std::string> files;  // contents by file index
  SynthTruth truth;
};

Export Make(SynthOptions o) {
  Synthesizer s(o);
  Export e;
  e.files.resize(s.files().size());
  e.truth = s.Run([&](size_t f, std::string_view line) {
    e.files[f].append(line);
    e.files[f].push_back('\n');
  });
  return e;
}

TEST(Synth, ValidatesOptions) {
  SynthOptions o;
  o.patients = 0;
  EXPECT_FALSE(ValidateSynthOptions(o).ok());
  o.patients = 10;
  o.files_per_type = 65;
  EXPECT_FALSE(ValidateSynthOptions(o).ok());
  o.files_per_type = 2;
  o.malformed_lines = 11;
  EXPECT_FALSE(ValidateSynthOptions(o).ok());
  o.malformed_lines = 3;
  EXPECT_TRUE(ValidateSynthOptions(o).ok());
}

TEST(Synth, DeterministicPerSeed) {
  SynthOptions o;
  o.patients = 300;
  o.seed = 42;
  const Export a = Make(o), b = Make(o);
  EXPECT_EQ(a.files, b.files);
  o.seed = 43;
  EXPECT_NE(Make(o).files, a.files);
}

TEST(Synth, FilesAreOneTypeEachAndValidJson) {
  SynthOptions o;
  o.patients = 400;
  o.files_per_type = 3;
  Synthesizer s(o);
  const Export e = Make(o);
  simdjson::dom::parser parser;
  std::set<std::string> patients;
  for (size_t f = 0; f < e.files.size(); ++f) {
    size_t pos = 0, lines = 0;
    while (pos < e.files[f].size()) {
      const size_t nl = e.files[f].find('\n', pos);
      simdjson::dom::element d;
      ASSERT_FALSE(parser.parse(e.files[f].substr(pos, nl - pos)).get(d)) << s.files()[f].name;
      EXPECT_EQ(std::string_view(d["resourceType"]), s.files()[f].type);
      if (s.files()[f].type == "Patient") patients.insert(std::string(std::string_view(d["id"])));
      pos = nl + 1;
      ++lines;
    }
    EXPECT_GT(lines, 0u) << s.files()[f].name;
  }
  EXPECT_EQ(patients.size(), 400u) << "ids are unique";
}

TEST(Synth, PlantsEveryGapAndMalformedLines) {
  SynthOptions o;
  o.patients = 3000;
  o.files_per_type = 2;
  o.malformed_lines = 4;
  const Export e = Make(o);
  for (size_t g = 0; g < kGapCodeCount; ++g) EXPECT_GT(e.truth.gap_counts[g], 10) << kGapCodeNames.names[g];
  ASSERT_EQ(e.truth.malformed.size(), 4u);
  Synthesizer s(o);
  for (const auto& m : e.truth.malformed) {
    size_t f = 0;
    while (s.files()[f].name != m.file) ++f;
    size_t pos = 0;
    for (int64_t l = 1; l < m.line; ++l) pos = e.files[f].find('\n', pos) + 1;
    const std::string line = e.files[f].substr(pos, e.files[f].find('\n', pos) - pos);
    simdjson::dom::parser parser;
    simdjson::dom::element d;
    EXPECT_TRUE(parser.parse(line).get(d)) << m.file << ":" << m.line << " should be malformed: " << line;
  }
}

// The planted facts are what the FHIR mapping reads back (the mapping is the other half of the
// scan; a disagreement here is a defect in one of them).
TEST(Synth, MappingRecoversPlantedFacts) {
  SynthOptions o;
  o.patients = 1500;
  const Export e = Make(o);
  std::map<std::string, fhir::PatientRecord, std::less<>> records;
  for (const auto& p : e.truth.dvt_patients) records.emplace(p.id, fhir::PatientRecord(fhir::DefaultCodeMap()));
  LineProbe probe(fhir::DefaultCodeMap());
  for (std::string file : e.files) {
    file.append(LineProbe::kPadding, ' ');
    size_t pos = 0;
    while (pos + LineProbe::kPadding < file.size()) {
      const size_t nl = file.find('\n', pos);
      const std::string_view line(file.data() + pos, nl - pos);
      pos = nl + 1;
      const ProbeResult r = probe.Probe(line, kWantNothing);
      ASSERT_TRUE(r.ok) << line;
      auto it = records.find(r.patient_id);
      if (it != records.end()) {
        ASSERT_TRUE(it->second.Add(line).ok());
      }
    }
  }
  for (const auto& p : e.truth.dvt_patients) {
    const fhir::MappedCase m = records.at(p.id).ToCase(o.as_of);
    EXPECT_EQ(m.care.distal_dvt, p.distal_dvt) << p.id;
    EXPECT_EQ(m.care.proximal_dvt, p.proximal_dvt) << p.id;
    EXPECT_EQ(CareGaps(m.care, o.as_of, GapRules{}), p.gaps) << p.id;
  }
}

}  // namespace
}  // namespace calfdvt::population
