#include "store/store_common.h"

#include "core/json_writer.h"

namespace calfdvt::store::internal {

bool PhaseIsActive(std::string_view phase) { return phase != "completed" && phase != "closed"; }

int MaxWindowDays(const Projection& p) {
  int widest = 0;
  for (const ScanRow& s : p.scans)
    widest = std::max(widest, static_cast<int>(s.window_end.days() - s.window_start.days()));
  return widest;
}

std::vector<int> AlertCodes(uint32_t flags) {
  std::vector<int> codes;
  for (int i = 0; i < 32; ++i)
    if (flags & (uint32_t{1} << i)) codes.push_back(i);
  return codes;
}

std::string EpisodeCreateChange(const NewEpisode& e) {
  std::string out;
  core::JsonWriter w(out);
  w.BeginObject();
  w.Key("patient_id").String(e.patient_id);
  w.Key("strategy").String(e.projection.strategy);
  w.Key("phase").String(e.projection.phase);
  w.Key("knowledge").BeginObject();
  w.Key("id").String(e.knowledge_id);
  w.Key("version").String(e.knowledge_version);
  w.Key("sha256").String(e.knowledge_sha256);
  w.EndObject();
  w.Key("profile").String(e.profile);
  w.EndObject();
  return out;
}

namespace {
// The event body is the validated calfdvt/event@1 object; anything else is kept as a string so
// the audit document stays well-formed JSON.
bool LooksLikeObject(std::string_view s) {
  while (!s.empty() &&
         (s.front() == ' ' || s.front() == '\n' || s.front() == '\t' || s.front() == '\r'))
    s.remove_prefix(1);
  while (!s.empty() &&
         (s.back() == ' ' || s.back() == '\n' || s.back() == '\t' || s.back() == '\r'))
    s.remove_suffix(1);
  return s.size() >= 2 && s.front() == '{' && s.back() == '}';
}
}  // namespace

std::string EventChange(int64_t seq, const EventRow& ev, const Projection& p) {
  std::string out;
  core::JsonWriter w(out);
  w.BeginObject();
  w.Key("seq").Int(seq);
  w.Key("type").String(ev.type);
  w.Key("body");
  if (LooksLikeObject(ev.body_json)) {
    w.Raw(ev.body_json);
  } else {
    w.String(ev.body_json);
  }
  w.Key("reassessed").Bool(!ev.assessment_json.empty());
  w.Key("phase").String(p.phase);
  w.Key("strategy").String(p.strategy);
  w.Key("alert_flags").Int(p.alert_flags);
  w.EndObject();
  return out;
}

std::string TokenCreateChange(const TokenRow& t) {
  std::string out;
  core::JsonWriter w(out);
  w.BeginObject();
  w.Key("id").String(t.id);
  w.Key("role").String(t.role);
  w.Key("label").String(t.label);
  w.EndObject();
  return out;
}

std::string ProcedureCreateChange(const NewProcedure& p) {
  std::string out;
  core::JsonWriter w(out);
  w.BeginObject();
  w.Key("procedure_id").String(p.id);
  w.Key("patient_id").String(p.patient_id);
  w.Key("date").String(p.date.ToString());
  w.Key("operator").String(p.operator_name);
  w.EndObject();
  return out;
}

std::string_view ProcedureChangeAction(ProcedureChange change) {
  return change == ProcedureChange::kOutcome ? "procedure.outcome" : "procedure.squeeze";
}

std::string ProcedureUpdateChange(ProcedureChange change, int64_t version,
                                  std::string_view change_json) {
  std::string out;
  core::JsonWriter w(out);
  w.BeginObject();
  w.Key("version").Int(version);
  w.Key(std::string_view(change == ProcedureChange::kOutcome ? "outcome" : "squeeze"));
  if (LooksLikeObject(change_json)) {
    w.Raw(change_json);
  } else {
    w.String(change_json);
  }
  w.EndObject();
  return out;
}

core::Status CheckProcedureLimit(int limit) {
  if (limit < 1 || limit > kMaxProcedureLimit) {
    return Fail(core::ErrorKind::kInvalidInput, "limit", "range",
                "limit must be between 1 and " + std::to_string(kMaxProcedureLimit));
  }
  return core::OkStatus();
}

core::Status CheckListLimit(int limit) {
  if (limit < 1 || limit > kMaxListLimit) {
    return Fail(core::ErrorKind::kInvalidInput, "limit", "range",
                "limit must be between 1 and " + std::to_string(kMaxListLimit));
  }
  return core::OkStatus();
}

CursorKey KeyOf(const WorklistItem& item) {
  CursorKey k;
  k.rank = item.rank;
  k.episode_id = item.episode_id;
  if (item.rank == 0) {
    k.date = item.imaging_date;
    k.tie = item.alert_code.value_or(0);
  } else if (item.scan) {
    k.date = item.rank == 3 ? item.scan->window_start : item.scan->window_end;
    k.tie = item.scan->day;
  }
  return k;
}

core::Result<WorklistPage> AssembleWorklist(const WorklistQuery& q, const RankFetcher& fetch) {
  if (q.limit < 1 || q.limit > kMaxWorklistLimit) {
    return Fail<WorklistPage>(core::ErrorKind::kInvalidInput, "limit", "range",
                              "limit must be between 1 and " + std::to_string(kMaxWorklistLimit));
  }
  std::optional<CursorKey> after;
  if (!q.cursor.empty()) {
    auto key = DecodeCursor(q.cursor);
    if (!key.ok()) return Forward<WorklistPage>(key);
    after = std::move(key).value();
  }
  const bool enabled[4] = {q.alerts, q.overdue, q.due, q.upcoming};
  const int want = q.limit + 1;
  std::vector<WorklistItem> items;
  for (int rank = 0; rank < 4 && static_cast<int>(items.size()) < want; ++rank) {
    if (!enabled[rank]) continue;
    if (after && after->rank > rank) continue;
    std::optional<CursorKey> from;
    if (after && after->rank == rank) from = after;
    auto st = fetch(rank, from, want - static_cast<int>(items.size()), items);
    if (!st.ok()) return Forward<WorklistPage>(st);
  }
  WorklistPage page;
  if (static_cast<int>(items.size()) > q.limit) {
    items.resize(static_cast<size_t>(q.limit));
    page.next_cursor = EncodeCursor(KeyOf(items.back()));
  }
  page.items = std::move(items);
  return page;
}

}  // namespace calfdvt::store::internal
