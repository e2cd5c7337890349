// Golden case files (tests/golden/README.md): discovery in a directory and strict reading of one
// file. A golden file that breaks the format is reported as problems, never skipped, so a typo in
// a test cannot silently turn it into a test that checks nothing.
#pragma once

#include <simdjson.h>

#include <optional>
#include <ostream>
#include <string>
#include <vector>

namespace calfdvt::golden {

// Which directory a file comes from: valid cases (assessed and compared) or invalid ones (the
// parse must fail with the listed errors).
enum class GoldenKind { kValid, kInvalid };

struct GoldenFile {
  std::string name;  // file stem; must equal the "id" inside
  std::string path;
};

// For GoogleTest messages: the file path instead of a byte dump.
inline void PrintTo(const GoldenFile& file, std::ostream* os) { *os << file.path; }

// The *.json files of `dir`, sorted by name; empty when the directory is missing.
std::vector<GoldenFile> ListGoldenFiles(const std::string& dir);

// One parsed golden file. Elements point into `parser`: the object must not be copied or moved
// after Load (it is neither copyable nor movable).
class GoldenCase {
 public:
  GoldenCase() = default;
  GoldenCase(const GoldenCase&) = delete;
  GoldenCase& operator=(const GoldenCase&) = delete;

  // Reads and checks the file; on failure problems() is non-empty.
  void Load(const GoldenFile& file, GoldenKind kind);

  const std::vector<std::string>& problems() const { return problems_; }
  const std::string& id() const { return id_; }
  const std::string& spec() const { return spec_; }
  const std::string& rule() const { return rule_; }
  const std::string& statement() const { return statement_; }
  const std::string& profile() const { return profile_; }      // "seed001" unless given
  const std::string& case_text() const { return case_text_; }  // the case document as JSON text
  // Optional parts (valid cases: expect*; invalid cases: expect_errors).
  const std::optional<simdjson::dom::element>& expect() const { return expect_; }
  const std::optional<simdjson::dom::element>& expect_features() const { return expect_features_; }
  const std::optional<simdjson::dom::element>& expect_alert_codes() const {
    return expect_alert_codes_;
  }
  const std::optional<simdjson::dom::element>& expect_errors() const { return expect_errors_; }

  // "<id> [<spec>, <rule>]: <statement>", for failure messages.
  std::string Header() const;

 private:
  simdjson::dom::parser parser_;
  std::vector<std::string> problems_;
  std::string id_, spec_, rule_, statement_, profile_ = "seed001", case_text_;
  std::optional<simdjson::dom::element> expect_, expect_features_, expect_alert_codes_,
      expect_errors_;
};

}  // namespace calfdvt::golden
