// CDS Hooks feedback in the store suite (runs on every backend, see store_test.cc).
#include <gtest/gtest.h>

#include "store/store.h"
#include "store/store_test_env.h"

namespace calfdvt::store::testing {
namespace {

CdsFeedbackRow Row(const std::string& service, const std::string& card, const std::string& outcome) {
  CdsFeedbackRow r;
  r.service_id = service;
  r.card = card;
  r.outcome = outcome;
  r.accepted_json = outcome == "accepted" ? R"(["s1"])" : "[]";
  r.override_json = outcome == "overridden" ? R"({"userComment":"x"})" : "";
  r.outcome_at = "2026-11-21T10:00:00Z";
  r.client = "https://ehr.example";
  r.received_at = "2026-11-21T10:00:01Z";
  return r;
}

TEST_P(StoreTest, CdsFeedbackAddAndList) {
  ASSERT_TRUE(store_->AddCdsFeedback({Row("pv", "c1", "accepted"), Row("pv", "c1", "overridden"),
                                      Row("os", "c2", "accepted")}).ok());
  auto pv = store_->ListCdsFeedback(CdsFeedbackQuery{"pv", 0, 10});
  ASSERT_TRUE(pv.ok());
  ASSERT_EQ(pv->size(), 2u);
  EXPECT_EQ((*pv)[0].card, "c1");
  EXPECT_EQ((*pv)[0].accepted_json, R"(["s1"])");
  EXPECT_EQ((*pv)[1].override_json, R"({"userComment":"x"})");
  EXPECT_EQ((*pv)[1].client, "https://ehr.example");
  EXPECT_LT((*pv)[0].id, (*pv)[1].id);
  auto next = store_->ListCdsFeedback(CdsFeedbackQuery{"pv", (*pv)[0].id, 10});
  ASSERT_TRUE(next.ok());
  ASSERT_EQ(next->size(), 1u);
  EXPECT_EQ((*next)[0].outcome, "overridden");
  auto all = store_->ListCdsFeedback(CdsFeedbackQuery{"", 0, 10});
  ASSERT_TRUE(all.ok());
  EXPECT_EQ(all->size(), 3u);
  EXPECT_EQ(store_->ListCdsFeedback(CdsFeedbackQuery{"", 0, 0}).kind(), core::ErrorKind::kInvalidInput);
  // The outcome is constrained by the schema: a bad row is refused and nothing is written.
  EXPECT_FALSE(store_->AddCdsFeedback({Row("pv", "c3", "accepted"), Row("pv", "c4", "maybe")}).ok());
  EXPECT_EQ(store_->ListCdsFeedback(CdsFeedbackQuery{"pv", 0, 10})->size(), 2u);
}

}  // namespace
}  // namespace calfdvt::store::testing
