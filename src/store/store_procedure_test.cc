// Calf-squeeze procedures in the store suite (runs on every backend, see store_test.cc).
#include <gtest/gtest.h>

#include "store/store.h"
#include "store/store_test_env.h"

namespace calfdvt::store::testing {
namespace {

using core::ErrorKind;

const Actor kA = At("alice", "2026-03-01T10:00:00Z");

NewProcedure MakeProcedure(const std::string& id, const char* date, const std::string& op) {
  NewProcedure p;
  p.id = id;
  p.patient_id = "pt-" + id;
  p.date = D(date);
  p.operator_name = op;
  p.record_json = R"({"format":"calfdvt/procedure@1","squeezes":[]})";
  return p;
}

TEST_P(StoreTest, CreateGetAndDuplicateProcedure) {
  const NewProcedure p = MakeProcedure("pr1", "2026-02-10", "Dr A");
  ASSERT_TRUE(store_->CreateProcedure(p, kA).ok());
  auto r = store_->GetProcedure("pr1");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->procedure.id, "pr1");
  EXPECT_EQ(r->procedure.patient_id, "pt-pr1");
  EXPECT_EQ(r->procedure.date, D("2026-02-10"));
  EXPECT_EQ(r->procedure.operator_name, "Dr A");
  EXPECT_EQ(r->procedure.record_json, p.record_json);
  EXPECT_EQ(r->version, 0);
  EXPECT_EQ(r->created_by, "alice");
  EXPECT_EQ(r->created_at, kA.at);

  auto dup = store_->CreateProcedure(p, kA);
  ASSERT_FALSE(dup.ok());
  EXPECT_EQ(dup.kind(), ErrorKind::kConflict);
  auto missing = store_->GetProcedure("nope");
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.kind(), ErrorKind::kNotFound);
}

TEST_P(StoreTest, ListProceduresFiltersByDateAndOperator) {
  ASSERT_TRUE(store_->CreateProcedure(MakeProcedure("c", "2026-01-05", "Dr A"), kA).ok());
  ASSERT_TRUE(store_->CreateProcedure(MakeProcedure("a", "2026-01-20", "Dr B"), kA).ok());
  ASSERT_TRUE(store_->CreateProcedure(MakeProcedure("b", "2026-01-20", "Dr A"), kA).ok());
  ASSERT_TRUE(store_->CreateProcedure(MakeProcedure("d", "2026-02-01", ""), kA).ok());
  auto ids = [](const std::vector<ProcedureRecord>& v) {
    std::string out;
    for (const auto& r : v) out += r.procedure.id;
    return out;
  };
  ProcedureQuery q;
  auto all = store_->ListProcedures(q);
  ASSERT_TRUE(all.ok());
  EXPECT_EQ(ids(*all), "cabd");  // date, then id
  q.from = D("2026-01-20");
  q.to = D("2026-01-20");
  EXPECT_EQ(ids(*store_->ListProcedures(q)), "ab");  // bounds inclusive
  q.operator_name = "Dr A";
  EXPECT_EQ(ids(*store_->ListProcedures(q)), "b");
  q.from.reset();
  q.to.reset();
  EXPECT_EQ(ids(*store_->ListProcedures(q)), "cb");
  q.operator_name = "";
  q.limit = 2;
  EXPECT_EQ(ids(*store_->ListProcedures(q)), "ca");
  q.limit = 0;
  auto bad = store_->ListProcedures(q);
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.kind(), ErrorKind::kInvalidInput);
  EXPECT_EQ(bad.errors()[0].path, "limit");
}

TEST_P(StoreTest, AppendSqueezeChecksVersionAndAudits) {
  ASSERT_TRUE(store_->CreateProcedure(MakeProcedure("pr1", "2026-02-10", "Dr A"), kA).ok());
  const std::string squeeze = R"({"target_veins":["peroneal"]})";
  const std::string rec1 = R"({"format":"calfdvt/procedure@1","squeezes":[1]})";
  const Actor bob = At("bob", "2026-03-01T10:05:00Z");
  ASSERT_TRUE(store_->AppendSqueeze("pr1", 0, squeeze, rec1, bob).ok());
  auto stale = store_->AppendSqueeze("pr1", 0, squeeze, "{}", bob);
  ASSERT_FALSE(stale.ok());
  EXPECT_EQ(stale.kind(), ErrorKind::kConflict);
  auto missing = store_->AppendSqueeze("nope", 0, squeeze, "{}", bob);
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.kind(), ErrorKind::kNotFound);
  auto r = store_->GetProcedure("pr1");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->version, 1);
  EXPECT_EQ(r->procedure.record_json, rec1);

  auto audit = store_->ProcedureAudit("pr1");
  ASSERT_TRUE(audit.ok());
  ASSERT_EQ(audit->size(), 2u);
  EXPECT_EQ((*audit)[0].action, "procedure.create");
  EXPECT_EQ((*audit)[0].procedure_id, "pr1");
  EXPECT_NE((*audit)[0].change_json.find(R"("patient_id":"pt-pr1")"), std::string::npos);
  EXPECT_EQ((*audit)[0].change_json.find("squeezes"), std::string::npos);  // never the record
  EXPECT_EQ((*audit)[1].action, "procedure.squeeze");
  EXPECT_EQ((*audit)[1].actor, "bob");
  EXPECT_NE((*audit)[1].change_json.find(R"("squeeze":{"target_veins":["peroneal"]})"),
            std::string::npos);
  EXPECT_NE((*audit)[1].change_json.find(R"("version":1)"), std::string::npos);
  EXPECT_LT((*audit)[0].id, (*audit)[1].id);
  // Procedure entries are neither episode entries nor the "not about an episode" entries.
  EXPECT_TRUE(store_->Audit("")->empty());
  EXPECT_TRUE(store_->Audit("pr1")->empty());
}

// Outcomes share the versioned update of squeezes: one version sequence, one audit trail.
TEST_P(StoreTest, ReplaceProcedureRecordsOutcomeWithVersionAndAudit) {
  ASSERT_TRUE(store_->CreateProcedure(MakeProcedure("pr1", "2026-02-10", "Dr A"), kA).ok());
  const Actor bob = At("bob", "2026-03-01T10:05:00Z");
  const std::string rec1 = R"({"format":"calfdvt/procedure@1","squeezes":[1]})";
  ASSERT_TRUE(store_->AppendSqueeze("pr1", 0, R"({"target_veins":["popliteal"]})", rec1, bob).ok());

  const std::string outcome = R"({"result":{"antegrade_flow":true},"complications":[]})";
  const std::string rec2 =
      R"({"format":"calfdvt/procedure@1","squeezes":[1],"result":{"antegrade_flow":true}})";
  ASSERT_TRUE(
      store_->ReplaceProcedure("pr1", 1, ProcedureChange::kOutcome, outcome, rec2, bob).ok());
  auto r = store_->GetProcedure("pr1");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->version, 2);
  EXPECT_EQ(r->procedure.record_json, rec2);
  EXPECT_EQ(r->created_by, "alice");  // creation columns are never rewritten

  // A stale version is a conflict and writes nothing: neither the record nor an audit entry.
  auto stale = store_->ReplaceProcedure("pr1", 1, ProcedureChange::kOutcome, outcome, "{}", bob);
  ASSERT_FALSE(stale.ok());
  EXPECT_EQ(stale.kind(), ErrorKind::kConflict);
  auto missing =
      store_->ReplaceProcedure("nope", 0, ProcedureChange::kOutcome, outcome, "{}", bob);
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.kind(), ErrorKind::kNotFound);
  r = store_->GetProcedure("pr1");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->version, 2);
  EXPECT_EQ(r->procedure.record_json, rec2);

  // Recording the outcome again replaces it, with its own audit entry.
  const std::string rec3 = R"({"format":"calfdvt/procedure@1","squeezes":[1]})";
  ASSERT_TRUE(store_->ReplaceProcedure("pr1", 2, ProcedureChange::kOutcome, R"({"result":null})",
                                       rec3, At("carol", "2026-03-01T11:00:00Z"))
                  .ok());
  auto audit = store_->ProcedureAudit("pr1");
  ASSERT_TRUE(audit.ok());
  ASSERT_EQ(audit->size(), 4u);
  EXPECT_EQ((*audit)[1].action, "procedure.squeeze");
  EXPECT_EQ((*audit)[2].action, "procedure.outcome");
  EXPECT_EQ((*audit)[2].actor, "bob");
  EXPECT_EQ((*audit)[2].procedure_id, "pr1");
  EXPECT_EQ((*audit)[2].change_json, R"({"version":2,"outcome":)" + outcome + "}");
  EXPECT_EQ((*audit)[3].action, "procedure.outcome");
  EXPECT_EQ((*audit)[3].actor, "carol");
  EXPECT_EQ((*audit)[3].change_json, R"({"version":3,"outcome":{"result":null}})");
  EXPECT_TRUE(store_->Audit("")->empty());
}

}  // namespace
}  // namespace calfdvt::store::testing
