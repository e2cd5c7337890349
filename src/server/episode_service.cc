#include "server/episode_service.h"

#include <memory>

#include "core/json_writer.h"
#include "formats/assessment_json.h"
#include "formats/case_json.h"
#include "formats/episode_index_json.h"
#include "formats/event_json.h"
#include "pathway/engine.h"
#include "pathway/extension.h"
#include "server/episode_view.h"
#include "server/utf8.h"
#include "surveillance/episode.h"

namespace calfdvt::server {

namespace pw = calfdvt::pathway;
namespace sv = calfdvt::surveillance;
using core::Result;

namespace {

constexpr int kAppendRetries = 5;

formats::CaseParser& ThreadParser() {
  thread_local formats::CaseParser parser;
  return parser;
}

// An episode id that cannot exist (ids are UUIDs the service chose): answered as not found
// without asking the store.
template <class T>
std::optional<Result<T>> ImpossibleId(std::string_view id) {
  if (ValidUtf8(id)) return std::nullopt;
  return Result<T>(core::ErrorKind::kNotFound, {{"", "not_found", "episode not found"}});
}

// One prepared serialiser per thread (AssessmentJsonWriter is not thread-safe), rebuilt if the
// service's knowledge differs from the one it was prepared for.
formats::AssessmentJsonWriter& ThreadWriter(const pw::Knowledge& k) {
  thread_local const pw::Knowledge* prepared_for = nullptr;
  thread_local std::unique_ptr<formats::AssessmentJsonWriter> writer;
  if (!writer || prepared_for != &k) {
    writer = std::make_unique<formats::AssessmentJsonWriter>(k);
    prepared_for = &k;
  }
  return *writer;
}

Result<const pw::ProfileDef*> Profile(const pw::Knowledge& k, std::string_view name) {
  const pw::ProfileDef* p = k.FindProfile(name.empty() ? std::string_view(k.default_profile) : name);
  if (!p) {
    std::string names;
    for (const auto& pr : k.profiles) names += (names.empty() ? "" : ", ") + pr.id;
    return Result<const pw::ProfileDef*>::Invalid(
        "profile", "enum",
        (ValidUtf8(name) ? "unknown profile \"" + std::string(name) + "\"" : std::string("unknown profile")) +
            " (one of " + names + ")");
  }
  return p;
}

template <class T, class U>
Result<T> Forward(const Result<U>& r) {
  return Result<T>(r.kind(), r.errors());
}

core::Status CheckPatientId(std::string_view id) {
  if (id.empty())
    return core::Status::Invalid("patient", "required",
                                 "a patient identifier is required (query parameter patient, or the case's id)");
  if (id.size() > 128) return core::Status::Invalid("patient", "range", "must be at most 128 characters");
  for (char c : id)
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f)
      return core::Status::Invalid("patient", "format", "must not contain control characters");
  if (!ValidUtf8(id)) return core::Status::Invalid("patient", "format", "must be UTF-8 text");
  return core::OkStatus();
}

// Rebuilds the episode state from the stored index assessment and event log.
Result<sv::EpisodeState> StateOf(const store::EpisodeRecord& rec) {
  auto index = formats::ParseEpisodeIndex(rec.episode.assessment_json, rec.episode.imaging_date);
  if (!index.ok()) return Forward<sv::EpisodeState>(index);
  sv::EpisodeState s = sv::InitialState(*index);
  for (const auto& ev : rec.events) {
    auto parsed = formats::ParseEvent(ev.body_json);
    if (!parsed.ok())
      return Result<sv::EpisodeState>(core::ErrorKind::kInternal,
                                      {{"events", "stored_event", "a stored event is unreadable"}});
    auto applied = sv::Apply(s, parsed->event);
    if (!applied.ok())
      return Result<sv::EpisodeState>(core::ErrorKind::kInternal,
                                      {{"events", "stored_event", "a stored event no longer replays"}});
  }
  return s;
}

std::string Render(const store::EpisodeRecord& rec, const sv::EpisodeState& s, core::Date as_of,
                   const pw::Knowledge& k) {
  std::string out;
  out.reserve(16384);
  AppendEpisodeJson(rec, s, as_of, k, out);
  return out;
}

}  // namespace

Result<std::string> EpisodeService::Assess(std::string_view case_json, std::string_view profile) const {
  auto p = Profile(*ctx_.knowledge, profile);
  if (!p.ok()) return Forward<std::string>(p);
  auto c = ThreadParser().Parse(case_json, *ctx_.knowledge);
  if (!c.ok()) return Forward<std::string>(c);
  std::string out;
  out.reserve(8192);
  ThreadWriter(*ctx_.knowledge).Append(pw::Assess(*c, *ctx_.knowledge, **p), out);
  return out;
}

Result<Created> EpisodeService::CreateEpisode(std::string_view case_json, std::string_view patient_id,
                                              std::string_view profile, const std::string& actor) {
  auto p = Profile(*ctx_.knowledge, profile);
  if (!p.ok()) return Forward<Created>(p);
  auto c = ThreadParser().Parse(case_json, *ctx_.knowledge);
  if (!c.ok()) return Forward<Created>(c);
  std::string pid(patient_id.empty() && c->id ? std::string_view(*c->id) : patient_id);
  if (auto st = CheckPatientId(pid); !st.ok()) return Forward<Created>(st);
  const pw::Assessment a = pw::Assess(*c, *ctx_.knowledge, **p);
  const sv::EpisodeState state = sv::InitialState(sv::IndexFromAssessment(a, c->imaging.date));

  store::NewEpisode e;
  e.id = ctx_.random->Uuid();
  e.patient_id = pid;
  e.case_json = std::string(case_json);
  e.assessment_json = formats::AssessmentJson(a);
  e.knowledge_id = ctx_.knowledge->id;
  e.knowledge_version = ctx_.knowledge->version;
  e.knowledge_sha256 = ctx_.knowledge->sha256;
  e.profile = (*p)->id;
  e.imaging_date = c->imaging.date;
  e.projection = ProjectionOf(state);
  const store::Actor who{actor, ctx_.clock->NowRfc3339()};
  if (auto st = ctx_.store->CreateEpisode(e, who); !st.ok()) return Forward<Created>(st);

  store::EpisodeRecord rec;
  rec.episode = std::move(e);
  rec.created_at = who.at;
  rec.created_by = actor;
  rec.projection = rec.episode.projection;
  Created out;
  out.id = rec.episode.id;
  out.json = Render(rec, state, ctx_.clock->Today(), *ctx_.knowledge);
  return out;
}

Result<std::string> EpisodeService::GetEpisode(std::string_view id, std::optional<core::Date> as_of) {
  if (auto none = ImpossibleId<std::string>(id)) return std::move(*none);
  auto rec = ctx_.store->GetEpisode(id);
  if (!rec.ok()) return Forward<std::string>(rec);
  auto s = StateOf(*rec);
  if (!s.ok()) return Forward<std::string>(s);
  return Render(*rec, *s, as_of.value_or(ctx_.clock->Today()), *ctx_.knowledge);
}

Result<std::string> EpisodeService::ListEpisodes(std::string_view patient_id,
                                                 std::optional<core::Date> as_of) {
  if (auto st = CheckPatientId(patient_id); !st.ok()) return Forward<std::string>(st);
  auto list = ctx_.store->ListEpisodes(patient_id, 100);
  if (!list.ok()) return Forward<std::string>(list);
  const core::Date day = as_of.value_or(ctx_.clock->Today());
  std::string out = "{\"patient_id\":";
  core::JsonWriter::AppendEscaped(out, patient_id);
  out += ",\"episodes\":[";
  bool first = true;
  for (const auto& summary : *list) {
    // Listings carry no events: load each episode whole so states replay exactly.
    auto rec = ctx_.store->GetEpisode(summary.episode.id);
    if (!rec.ok()) return Forward<std::string>(rec);
    auto s = StateOf(*rec);
    if (!s.ok()) return Forward<std::string>(s);
    if (!first) out += ',';
    first = false;
    AppendEpisodeJson(*rec, *s, day, *ctx_.knowledge, out);
  }
  out += "]}";
  return out;
}

Result<std::string> EpisodeService::AppendEvent(std::string_view id, std::string_view event_json,
                                                const std::string& actor) {
  for (int attempt = 0;; ++attempt) {
    bool conflict = false;
    auto r = AppendOnce(id, event_json, actor, &conflict);
    if (!conflict || attempt + 1 >= kAppendRetries) return r;
  }
}

Result<std::string> EpisodeService::AppendOnce(std::string_view id, std::string_view event_json,
                                               const std::string& actor, bool* retry) {
  auto parsed = formats::ParseEvent(event_json);
  if (!parsed.ok()) return Forward<std::string>(parsed);
  if (auto none = ImpossibleId<std::string>(id)) return std::move(*none);
  auto rec = ctx_.store->GetEpisode(id);
  if (!rec.ok()) return Forward<std::string>(rec);
  if (parsed->expected_version && *parsed->expected_version != rec->version)
    return Result<std::string>(
        core::ErrorKind::kConflict,
        {{"expected_version", "conflict",
          "the episode is at version " + std::to_string(rec->version) + ", not " +
              std::to_string(*parsed->expected_version)}});
  auto state = StateOf(*rec);
  if (!state.ok()) return Forward<std::string>(state);
  sv::EpisodeState s = std::move(state).value();
  const sv::Event& event = parsed->event;
  const core::Date today = ctx_.clock->Today();
  if (event.type == sv::EventType::kScanResult && event.date && *event.date > today)
    return Result<std::string>::Invalid("date", "future_date",
                                        "a scan result cannot be dated after today (" + today.ToString() + ")");
  auto effect = sv::Apply(s, event);
  if (!effect.ok()) return Forward<std::string>(effect);

  store::EventRow row;
  row.seq = rec->version + 1;
  row.type = std::string(sv::kEventTypeNames.Name(event.type));
  row.body_json = formats::EventJson(event);
  row.actor = actor;
  row.at = ctx_.clock->NowRfc3339();
  if (effect->reassess) {
    // §6: extension stamps a new assessment on the episode.
    auto index_case = ThreadParser().Parse(rec->episode.case_json);
    if (!index_case.ok())
      return Result<std::string>(core::ErrorKind::kInternal,
                                 {{"case", "stored_case", "the stored index case is unreadable"}});
    const pw::ProfileDef* profile = ctx_.knowledge->FindProfile(rec->episode.profile);
    if (!profile) profile = ctx_.knowledge->FindProfile(ctx_.knowledge->default_profile);
    pw::ExtensionFinding f;
    f.proximal = *effect->reassess == sv::ScanResult::kExtendedProximal;
    f.date = *event.date;
    f.scan_day = *event.scan_day;
    f.findings = event.findings;
    row.assessment_json =
        formats::AssessmentJson(pw::AssessExtension(*index_case, f, *ctx_.knowledge, *profile));
  }
  const store::Projection projection = ProjectionOf(s);
  auto st = ctx_.store->AppendEvent(id, rec->version, row, projection, store::Actor{actor, row.at});
  if (!st.ok()) {
    // Someone else wrote first. Without an expected_version the client asked us to apply the
    // event to the latest state: re-read and retry.
    if (st.kind() == core::ErrorKind::kConflict && !parsed->expected_version) *retry = true;
    return Forward<std::string>(st);
  }
  store::EpisodeRecord updated = std::move(rec).value();
  updated.events.push_back(std::move(row));
  updated.version += 1;
  updated.projection = projection;
  return Render(updated, s, today, *ctx_.knowledge);
}

Result<std::string> EpisodeService::Worklist(const store::WorklistQuery& q) {
  auto page = ctx_.store->Worklist(q);
  if (!page.ok()) return Forward<std::string>(page);
  return WorklistJson(*page, q, *ctx_.knowledge);
}

Result<std::string> EpisodeService::Audit(std::string_view id) {
  if (auto none = ImpossibleId<std::string>(id)) return std::move(*none);
  auto rec = ctx_.store->GetEpisode(id);
  if (!rec.ok()) return Forward<std::string>(rec);
  auto entries = ctx_.store->Audit(id);
  if (!entries.ok()) return Forward<std::string>(entries);
  return AuditJson("episode_id", id, *entries);
}

}  // namespace calfdvt::server
