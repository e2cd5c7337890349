// PostgresStore::BulkCreate: the rows of many CreateEpisode calls, sent with COPY.
#include "store/pg_db.h"
#include "store/postgres_store.h"
#include "store/store_common.h"

namespace calfdvt::store {

using pg::CopyField;
using pg::CopyNull;

core::Status PostgresStore::BulkCreate(std::span<const NewEpisode> episodes, const Actor& actor) {
  std::string ep, scans, alerts, audit;
  int widest = 0;
  for (const NewEpisode& e : episodes) {
    const Projection& p = e.projection;
    const std::string imaging = e.imaging_date.ToString();
    CopyField(ep, e.id, true);
    for (std::string_view v :
         {std::string_view(e.patient_id), std::string_view("0"), std::string_view(p.phase),
          std::string_view(p.strategy), std::string_view(p.classification)}) {
      CopyField(ep, v);
    }
    CopyField(ep, std::to_string(p.alert_flags));
    for (std::string_view v :
         {std::string_view(imaging), std::string_view(e.case_json),
          std::string_view(e.assessment_json), std::string_view(e.knowledge_id),
          std::string_view(e.knowledge_version), std::string_view(e.knowledge_sha256),
          std::string_view(e.profile), std::string_view(actor.at), std::string_view(actor.name)}) {
      CopyField(ep, v);
    }
    ep += '\n';
    const bool active = internal::PhaseIsActive(p.phase);
    for (const ScanRow& s : p.scans) {
      CopyField(scans, e.id, true);
      CopyField(scans, std::to_string(s.day));
      CopyField(scans, s.due.ToString());
      CopyField(scans, s.window_start.ToString());
      CopyField(scans, s.window_end.ToString());
      if (s.booked) {
        CopyField(scans, s.booked->ToString());
      } else {
        CopyNull(scans);
      }
      CopyField(scans, s.state);
      CopyField(scans, s.result);
      CopyField(scans, internal::ScanPending(s, active) ? "t" : "f");
      scans += '\n';
    }
    if (active) {
      for (int code : internal::AlertCodes(p.alert_flags)) {
        CopyField(alerts, e.id, true);
        CopyField(alerts, std::to_string(code));
        CopyField(alerts, imaging);
        alerts += '\n';
      }
    }
    widest = std::max(widest, internal::MaxWindowDays(p));
    CopyField(audit, e.id, true);
    CopyField(audit, actor.name);
    CopyField(audit, actor.at);
    CopyField(audit, "episode.create");
    CopyField(audit, internal::EpisodeCreateChange(e));
    audit += '\n';
  }

  STORE_ASSIGN_OR_RETURN(auto conn, pool_->Acquire());
  pg::Conn& c = *conn;
  STORE_ASSIGN_OR_RETURN(pg::Tx tx, pg::Tx::Begin(c));
  STORE_RETURN_IF_ERROR(
      c.Copy("COPY episodes (id, patient_id, version, phase, strategy, "
             "classification, alert_flags, imaging_date, case_json, "
             "assessment_json, knowledge_id, knowledge_version, "
             "knowledge_sha256, profile, created_at, created_by) FROM STDIN",
             ep, "copy episodes"));
  STORE_RETURN_IF_ERROR(
      c.Copy("COPY scans (episode_id, day, due, window_start, window_end, "
             "booked, state, result, pending) FROM STDIN",
             scans, "copy scans"));
  STORE_RETURN_IF_ERROR(c.Copy("COPY episode_alerts (episode_id, code, imaging_date) FROM STDIN",
                               alerts, "copy alerts"));
  STORE_RETURN_IF_ERROR(
      c.Copy("COPY audit (episode_id, actor, at, action, change_json) "
             "FROM STDIN",
             audit, "copy audit"));
  if (widest > 0) {
    pg::Params p;
    p.Add(int64_t{widest});
    STORE_RETURN_IF_ERROR(
        c.Exec("UPDATE store_meta SET value = $1 WHERE key = "
               "'max_scan_window_days' AND value < $1",
               p, "update scan window bound"));
  }
  return tx.Commit();
}

}  // namespace calfdvt::store
