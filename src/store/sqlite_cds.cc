// SqliteStore: CDS Hooks feedback (docs/schema.md, "cds_feedback").
#include "store/sqlite_db.h"
#include "store/sqlite_store.h"
#include "store/store_common.h"

namespace calfdvt::store {

using sqlite::Stmt;
using sqlite::Tx;

core::Status SqliteStore::AddCdsFeedback(const std::vector<CdsFeedbackRow>& rows) {
  STORE_ASSIGN_OR_RETURN(auto conn, pool_->Acquire());
  STORE_ASSIGN_OR_RETURN(Tx tx, Tx::Begin(*conn, true));
  for (const CdsFeedbackRow& r : rows) {
    STORE_ASSIGN_OR_RETURN(
        Stmt s, conn->Prepare("INSERT INTO cds_feedback (service_id, card, outcome, accepted_json, "
                              "override_json, outcome_at, client, received_at) "
                              "VALUES (?1,?2,?3,?4,?5,?6,?7,?8)"));
    s.Bind(1, r.service_id).Bind(2, r.card).Bind(3, r.outcome).Bind(4, r.accepted_json);
    s.Bind(5, r.override_json).Bind(6, r.outcome_at).Bind(7, r.client).Bind(8, r.received_at);
    STORE_RETURN_IF_ERROR(s.Run("insert cds feedback"));
  }
  return tx.Commit();
}

core::Result<std::vector<CdsFeedbackRow>> SqliteStore::ListCdsFeedback(const CdsFeedbackQuery& q) {
  if (q.limit < 1 || q.limit > 10000)
    return core::Result<std::vector<CdsFeedbackRow>>::Invalid("limit", "range",
                                                              "must be from 1 to 10000");
  STORE_ASSIGN_OR_RETURN(auto conn, pool_->Acquire());
  STORE_ASSIGN_OR_RETURN(
      Stmt s, conn->Prepare("SELECT id, service_id, card, outcome, accepted_json, override_json, "
                            "outcome_at, client, received_at FROM cds_feedback "
                            "WHERE (?1 = '' OR service_id = ?1) AND id > ?2 ORDER BY id LIMIT ?3"));
  s.Bind(1, q.service_id).Bind(2, q.after_id).Bind(3, int64_t{q.limit});
  std::vector<CdsFeedbackRow> out;
  for (;;) {
    STORE_ASSIGN_OR_RETURN(bool row, s.Step("list cds feedback"));
    if (!row) break;
    CdsFeedbackRow r;
    r.id = s.Int(0);
    r.service_id = s.Text(1);
    r.card = s.Text(2);
    r.outcome = s.Text(3);
    r.accepted_json = s.Text(4);
    r.override_json = s.Text(5);
    r.outcome_at = s.Text(6);
    r.client = s.Text(7);
    r.received_at = s.Text(8);
    out.push_back(std::move(r));
  }
  return out;
}

}  // namespace calfdvt::store
