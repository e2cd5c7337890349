// ProcedureService without HTTP: validation (future dates), squeezes and outcomes with optimistic
// versions, the HTML report's escaping and the registry over stored procedures.
#include "server/procedure_service.h"

#include <gtest/gtest.h>

#include "formats/procedure_json.h"
#include "formats/registry_json.h"
#include "formats/thrombectomy_knowledge_json.h"

namespace calfdvt::server {
namespace {

class FixedClock : public Clock {
 public:
  std::string NowRfc3339() override { return "2026-03-01T10:00:00Z"; }
  core::Date Today() override { return *core::Date::Parse("2026-03-01"); }
};

class CountingRandom : public RandomSource {
 public:
  std::string Uuid() override { return "proc-" + std::to_string(++n_); }
  std::string Secret(size_t) override { return "00"; }

 private:
  int n_ = 0;
};

constexpr std::string_view kRecord =
    R"({"format":"calfdvt/procedure@1","patient_id":"P<1>","date":"2026-02-27","side":"left",)"
    R"("operator":"Dr <b>&","access_vein":"popliteal","ivc_filter":"none","squeezes":[]})";

class ProcedureServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto k = formats::LoadEmbeddedThrombectomyKnowledge();
    ASSERT_TRUE(k.ok());
    knowledge_ = std::move(k).value();
    auto s = store::OpenStore("sqlite::memory:");
    ASSERT_TRUE(s.ok());
    store_ = std::move(s).value();
    service_ = std::make_unique<ProcedureService>(
        ProcedureServiceContext{store_.get(), &knowledge_, &clock_, &random_});
  }

  thrombectomy::ThrombectomyKnowledge knowledge_;
  FixedClock clock_;
  CountingRandom random_;
  std::unique_ptr<store::Store> store_;
  std::unique_ptr<ProcedureService> service_;
};

TEST_F(ProcedureServiceTest, FutureDateIsRejectedWithPathAndRule) {
  std::string record(kRecord);
  record.replace(record.find("2026-02-27"), 10, "2026-03-02");
  auto r = service_->Create(record, "alice");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.kind(), core::ErrorKind::kInvalidInput);
  EXPECT_EQ(r.errors()[0].path, "date");
  EXPECT_EQ(r.errors()[0].rule, "future");
}

TEST_F(ProcedureServiceTest, SqueezesAppendWithVersionsAndRecomputeChecks) {
  auto created = service_->Create(kRecord, "alice");
  ASSERT_TRUE(created.ok());
  EXPECT_EQ(created->id, "proc-1");
  EXPECT_NE(created->json.find(R"("id":"no_embolic_protection")"), std::string::npos);
  const std::string squeeze = R"({"target_veins":["popliteal"],"thrombus_aspirated":true})";
  for (int i = 0; i < 4; ++i)
    ASSERT_TRUE(service_->AppendSqueeze("proc-1", squeeze, i, "bob").ok());
  auto stale = service_->AppendSqueeze("proc-1", squeeze, 1, "bob");
  ASSERT_FALSE(stale.ok());
  EXPECT_EQ(stale.kind(), core::ErrorKind::kConflict);
  auto bad = service_->AppendSqueeze("proc-1", R"({"target_veins":[]})", std::nullopt, "bob");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.kind(), core::ErrorKind::kInvalidInput);

  auto stored = store_->GetProcedure("proc-1");
  ASSERT_TRUE(stored.ok());
  EXPECT_EQ(stored->version, 4);
  auto p = formats::ParseProcedure(stored->procedure.record_json);
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(p->squeezes.size(), 4u);
  const std::string text = ProcedureText(*p, knowledge_);
  EXPECT_NE(text.find("[fired] warning squeezes_beyond_published"), std::string::npos) << text;
  EXPECT_NE(text.find("[fired] critical no_embolic_protection"), std::string::npos) << text;
  EXPECT_EQ(store_->ProcedureAudit("proc-1")->size(), 5u);
}

TEST_F(ProcedureServiceTest, OutcomeIsRecordedReplacedAndAudited) {
  ASSERT_TRUE(service_->Create(kRecord, "alice").ok());
  const std::string squeeze = R"({"target_veins":["popliteal"],"thrombus_aspirated":true})";
  ASSERT_TRUE(service_->AppendSqueeze("proc-1", squeeze, 0, "bob").ok());
  auto doc = service_->RecordOutcome(
      "proc-1", R"({"result":{"antegrade_flow":true,"residual_thrombus_percent":5},)"
                R"("complications":[]})",
      1, "bob");
  ASSERT_TRUE(doc.ok()) << doc.errors()[0].message;
  EXPECT_NE(doc->find(R"("version":2)"), std::string::npos);
  EXPECT_NE(doc->find(R"("recanalization":true)"), std::string::npos) << *doc;
  EXPECT_NE(doc->find(R"("complication":false)"), std::string::npos) << *doc;
  EXPECT_EQ(*doc, *service_->Get("proc-1"));

  // Errors: the record's paths and rules; stale version; unknown procedure. Nothing written.
  auto bad = service_->RecordOutcome("proc-1", R"({"result":{"residual_thrombus_percent":101}})",
                                     2, "bob");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.kind(), core::ErrorKind::kInvalidInput);
  EXPECT_EQ(bad.errors()[0].path, "result.residual_thrombus_percent");
  EXPECT_EQ(bad.errors()[0].rule, "range");
  auto stale = service_->RecordOutcome("proc-1", "{}", 1, "bob");
  EXPECT_EQ(stale.kind(), core::ErrorKind::kConflict);
  EXPECT_EQ(service_->RecordOutcome("nope", "{}", 0, "bob").kind(), core::ErrorKind::kNotFound);

  // A correction replaces the outcome; the audit keeps what was replaced.
  auto again = service_->RecordOutcome(
      "proc-1", R"({"result":{"antegrade_flow":false},"complications":[{"type":"bleeding"}]})", 2,
      "carol");
  ASSERT_TRUE(again.ok());
  EXPECT_NE(again->find(R"("recanalization":false)"), std::string::npos) << *again;
  auto p = formats::ParseProcedure(store_->GetProcedure("proc-1")->procedure.record_json);
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(p->squeezes.size(), 1u);  // squeezes are kept
  ASSERT_TRUE(p->complications.has_value());
  EXPECT_EQ(p->complications->size(), 1u);
  auto audit = store_->ProcedureAudit("proc-1");
  ASSERT_TRUE(audit.ok());
  ASSERT_EQ(audit->size(), 4u);
  EXPECT_EQ((*audit)[3].action, "procedure.outcome");
  EXPECT_EQ((*audit)[3].actor, "carol");
  EXPECT_EQ((*audit)[3].change_json,
            R"({"version":3,"outcome":{"recorded":{"result":{"antegrade_flow":false},)"
            R"("complications":[{"type":"bleeding"}]},"replaced":{"result":{"antegrade_flow":)"
            R"(true,"residual_thrombus_percent":5},"complications":[]}}})");
  EXPECT_EQ((*audit)[3].change_json.find("P<1>"), std::string::npos);  // no patient data
  auto trail = service_->Audit("proc-1");
  ASSERT_TRUE(trail.ok());
  EXPECT_EQ(trail->rfind(R"({"procedure_id":"proc-1","entries":[{"id":)", 0), 0u) << *trail;
  EXPECT_NE(trail->find(R"("action":"procedure.outcome","change":{"version":3,)"),
            std::string::npos)
      << *trail;
  EXPECT_EQ(service_->Audit("nope").kind(), core::ErrorKind::kNotFound);
}

TEST_F(ProcedureServiceTest, HtmlReportEscapesEveryString) {
  ASSERT_TRUE(service_->Create(kRecord, "alice").ok());
  auto html = service_->GetHtml("proc-1");
  ASSERT_TRUE(html.ok());
  EXPECT_NE(html->find("P&lt;1&gt;"), std::string::npos);
  EXPECT_NE(html->find("Dr &lt;b&gt;&amp;"), std::string::npos);
  EXPECT_EQ(html->find("<b>"), std::string::npos);
  EXPECT_NE(html->find("no_embolic_protection"), std::string::npos);
  EXPECT_NE(html->find("Successful recanalization"), std::string::npos);
  EXPECT_EQ(service_->GetHtml("nope").kind(), core::ErrorKind::kNotFound);
}

TEST_F(ProcedureServiceTest, RegistryFiltersStoredProcedures) {
  ASSERT_TRUE(service_->Create(kRecord, "alice").ok());
  thrombectomy::RegistryFilter f;
  auto all = service_->Registry(f, RegistryFormat::kJson);
  ASSERT_TRUE(all.ok());
  EXPECT_NE(all->find(R"("procedures":1)"), std::string::npos);
  f.operator_name = "someone else";
  auto none = service_->Registry(f, RegistryFormat::kCsv);
  ASSERT_TRUE(none.ok());
  EXPECT_EQ(none->rfind(formats::kRegistryCsvHeader, 0), 0u);
  f.operator_name.reset();
  f.from = *core::Date::Parse("2026-03-01");
  f.to = *core::Date::Parse("2026-02-01");
  EXPECT_EQ(service_->Registry(f, RegistryFormat::kText).kind(), core::ErrorKind::kInvalidInput);
}

}  // namespace
}  // namespace calfdvt::server
