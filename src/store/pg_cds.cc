// PostgresStore: CDS Hooks feedback (docs/schema.md, "cds_feedback").
#include "store/pg_db.h"
#include "store/postgres_store.h"
#include "store/store_common.h"

namespace calfdvt::store {

using pg::Conn;
using pg::Params;
using pg::Res;
using pg::Tx;

core::Status PostgresStore::AddCdsFeedback(const std::vector<CdsFeedbackRow>& rows) {
  STORE_ASSIGN_OR_RETURN(auto conn, pool_->Acquire());
  Conn& c = *conn;
  STORE_ASSIGN_OR_RETURN(Tx tx, Tx::Begin(c));
  for (const CdsFeedbackRow& r : rows) {
    Params p;
    p.Add(r.service_id).Add(r.card).Add(r.outcome).Add(r.accepted_json).Add(r.override_json);
    p.Add(r.outcome_at).Add(r.client).Add(r.received_at);
    STORE_RETURN_IF_ERROR(c.Exec("INSERT INTO cds_feedback (service_id, card, outcome, "
                                 "accepted_json, override_json, outcome_at, client, received_at) "
                                 "VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
                                 p, "insert cds feedback"));
  }
  return tx.Commit();
}

core::Result<std::vector<CdsFeedbackRow>> PostgresStore::ListCdsFeedback(
    const CdsFeedbackQuery& q) {
  if (q.limit < 1 || q.limit > 10000)
    return core::Result<std::vector<CdsFeedbackRow>>::Invalid("limit", "range",
                                                              "must be from 1 to 10000");
  STORE_ASSIGN_OR_RETURN(auto conn, pool_->Acquire());
  Params p;
  p.Add(q.service_id).Add(q.after_id).Add(int64_t{q.limit});
  STORE_ASSIGN_OR_RETURN(
      Res r, conn->Exec("SELECT id, service_id, card, outcome, accepted_json, override_json, "
                        "outcome_at, client, received_at FROM cds_feedback "
                        "WHERE ($1 = '' OR service_id = $1) AND id > $2::bigint "
                        "ORDER BY id LIMIT $3",
                        p, "list cds feedback"));
  std::vector<CdsFeedbackRow> out;
  for (int i = 0; i < r.rows(); ++i) {
    CdsFeedbackRow row;
    row.id = r.Int(i, 0);
    row.service_id = r.Text(i, 1);
    row.card = r.Text(i, 2);
    row.outcome = r.Text(i, 3);
    row.accepted_json = r.Text(i, 4);
    row.override_json = r.Text(i, 5);
    row.outcome_at = r.Text(i, 6);
    row.client = r.Text(i, 7);
    row.received_at = r.Text(i, 8);
    out.push_back(std::move(row));
  }
  return out;
}

}  // namespace calfdvt::store
