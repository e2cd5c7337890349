#include "server/cds/service.h"

#include <simdjson.h>

#include <algorithm>
#include <array>

#include "core/json_writer.h"
#include "fhir/emit.h"
#include "fhir/record.h"
#include "pathway/engine.h"
#include "pathway/validate.h"
#include "server/cds/cards.h"

namespace calfdvt::server::cds {
namespace {

namespace pw = calfdvt::pathway;
using core::JsonWriter;
using simdjson::dom::element;
using simdjson::dom::object;

// Prefetch templates of both services (§"Prefetch Template"). Each key is also the query used
// against fhirServer when the client sends no value for it.
struct Template {
  std::string_view key;
  std::string_view query;  // "{{context.patientId}}" is the only token used
};
constexpr std::array<Template, 9> kPrefetch = {{
    {"patient", "Patient/{{context.patientId}}"},
    {"conditions", "Condition?patient={{context.patientId}}"},
    {"observations", "Observation?patient={{context.patientId}}"},
    {"reports", "DiagnosticReport?patient={{context.patientId}}"},
    {"medications", "MedicationRequest?patient={{context.patientId}}"},
    {"medicationstatements", "MedicationStatement?patient={{context.patientId}}"},
    {"servicerequests", "ServiceRequest?patient={{context.patientId}}"},
    {"encounters", "Encounter?patient={{context.patientId}}"},
    {"procedures", "Procedure?patient={{context.patientId}}"},
}};
constexpr std::string_view kToken = "{{context.patientId}}";

struct Hook {
  std::string_view id;
  std::string_view hook;
  std::string_view title;
  std::string_view description;
  HookKind kind;
};
constexpr std::array<Hook, 2> kHooks = {{
    {kPatientViewId, "patient-view", "calfdvt: isolated distal DVT",
     "Opens a patient's chart: for an acute calf (distal) DVT, recommends anticoagulation or serial "
     "ultrasound surveillance with the reasons, and flags untreated patients without a repeat "
     "duplex booked.",
     HookKind::kPatientView},
    {kOrderSignId, "order-sign", "calfdvt: distal DVT orders",
     "Signing orders: fires when an anticoagulant is signed for a patient whose distal DVT the "
     "pathway would survey with serial ultrasound, or when such a patient has no repeat duplex "
     "booked or drafted.",
     HookKind::kOrderSign},
}};

const Hook* FindHook(std::string_view id) {
  for (const auto& h : kHooks)
    if (h.id == id) return &h;
  return nullptr;
}

Response Bad(std::string path, std::string rule, std::string message) {
  return ErrorResponse({core::Error{std::move(path), std::move(rule), std::move(message)}},
                       core::ErrorKind::kInvalidInput);
}

std::string PercentEncode(std::string_view in) {
  std::string out;
  for (unsigned char c : in) {
    if (std::isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~') {
      out.push_back(static_cast<char>(c));
    } else {
      static constexpr char kHex[] = "0123456789ABCDEF";
      out.push_back('%');
      out.push_back(kHex[c >> 4]);
      out.push_back(kHex[c & 15]);
    }
  }
  return out;
}

bool IsUuid(std::string_view s) {
  if (s.size() != 36) return false;
  for (size_t i = 0; i < s.size(); ++i) {
    const char c = s[i];
    if (i == 8 || i == 13 || i == 18 || i == 23) {
      if (c != '-') return false;
    } else if (!std::isxdigit(static_cast<unsigned char>(c))) {
      return false;
    }
  }
  return true;
}

// A FHIR id (R4 §2.24.0.1 "id"): [A-Za-z0-9\-\.]{1,64}.
bool IsFhirId(std::string_view s) {
  if (s.empty() || s.size() > 64) return false;
  for (char c : s)
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-' && c != '.') return false;
  return true;
}

constexpr size_t kNotAnEntry = static_cast<size_t>(-1);

// A JSON path in two pieces ("prefetch." + key), joined only for an error message.
struct PathRef {
  std::string_view head, tail;
  std::string Str() const { return std::string(head).append(tail); }
};

// The JSON path of entry `i` of the Bundle at `path` (or `path` itself for kNotAnEntry); built only
// for an error message.
std::string EntryPath(const PathRef& path, size_t i) {
  return i == kNotAnEntry ? path.Str()
                          : path.Str() + ".entry[" + std::to_string(i) + "].resource";
}

// Calls `fn(resource, i)` for a resource (i = kNotAnEntry), or for every entry.resource of a Bundle
// (i = the entry's index; entries without a resource are skipped). The first error (a value that
// is not a resource or Bundle, a malformed entry list, or one returned by `fn`) stops the walk.
template <class Fn>
std::optional<Response> ForEachResource(element value, const PathRef& path, Fn&& fn) {
  object o;
  if (value.get_object().get(o) != simdjson::SUCCESS)
    return Bad(path.Str(), "type", "must be a FHIR resource or Bundle (a JSON object)");
  std::string_view type;
  if (o["resourceType"].get_string().get(type) != simdjson::SUCCESS)
    return Bad(path.Str() + ".resourceType", "required", "a FHIR resource needs resourceType");
  if (type != "Bundle") return fn(value, kNotAnEntry);
  simdjson::dom::array entries;
  if (o["entry"].error() == simdjson::NO_SUCH_FIELD) return std::nullopt;  // empty searchset
  if (o["entry"].get_array().get(entries) != simdjson::SUCCESS)
    return Bad(path.Str() + ".entry", "type", "Bundle.entry must be an array");
  size_t i = 0;
  for (element e : entries) {
    element r;
    if (e["resource"].get(r) == simdjson::SUCCESS)
      if (auto bad = fn(r, i)) return bad;
    ++i;
  }
  return std::nullopt;
}

// Adds a resource or every entry.resource of a Bundle to `record`, from the request's own parse
// (no resource is parsed or serialised twice). Orders in context.draftOrders keep their status
// "draft": the mapping reports them as CareFacts::anticoagulant_draft and draft_followups, which
// order-sign reads as what signing would create.
std::optional<Response> AddResources(element value, const PathRef& path,
                                     fhir::PatientRecord& record) {
  return ForEachResource(value, path, [&](element r, size_t i) -> std::optional<Response> {
    if (auto st = record.AddParsed(r); !st.ok())
      return Bad(EntryPath(path, i), "resource",
                 "not a FHIR resource (a JSON object with resourceType)");
    return std::nullopt;
  });
}

simdjson::dom::parser& BodyParser() {
  thread_local simdjson::dom::parser p;
  return p;
}

}  // namespace

Service::Service(ServiceContext ctx, ServiceOptions options)
    : ctx_(ctx), options_(std::move(options)), fhir_(std::make_unique<FhirClient>(options_.fhir)) {
  profile_ = ctx_.knowledge->FindProfile(options_.profile.empty() ? ctx_.knowledge->default_profile
                                                                  : options_.profile);
  if (profile_ == nullptr) profile_ = &ctx_.knowledge->profiles.front();
}

bool Service::Known(std::string_view id) const { return FindHook(id) != nullptr; }

std::string Service::Discovery() const {
  std::string out;
  JsonWriter w(out);
  w.BeginObject().Key("services").BeginArray();
  for (const auto& h : kHooks) {
    w.BeginObject();
    w.Key("hook").String(h.hook).Key("id").String(h.id).Key("title").String(h.title);
    w.Key("description").String(h.description);
    w.Key("prefetch").BeginObject();
    for (const auto& t : kPrefetch) w.Key(t.key).String(t.query);
    w.EndObject();
    w.Key("usageRequirements")
        .String("Send the prefetch keys, or fhirServer with fhirAuthorization (read access to the "
                "patient's Patient, Condition, Observation, DiagnosticReport, MedicationRequest, "
                "MedicationStatement, ServiceRequest, Encounter and Procedure). Card links open the calfdvt web app.");
    w.EndObject();
  }
  w.EndArray().EndObject();
  return out;
}

Response Service::Call(std::string_view service_id, std::string_view body, const std::string& app_base) {
  const Hook* hook = FindHook(service_id);
  if (hook == nullptr) return Error(404, "not_found", "no such CDS service", "");
  if (body.empty()) return Bad("body", "required", "a JSON body is required");
  object req;
  auto& parser = BodyParser();
  if (parser.parse(body.data(), body.size()).get_object().get(req) != simdjson::SUCCESS)
    return Bad("body", "json", "the body must be a JSON object");

  // §"HTTP Request": hook, hookInstance, context are required; fhirServer, fhirAuthorization,
  // prefetch optional.
  std::string_view hook_name, instance, patient_id, user_id;
  if (req["hook"].get_string().get(hook_name) != simdjson::SUCCESS)
    return Bad("hook", "required", "hook is required (a string)");
  if (hook_name != hook->hook)
    return Bad("hook", "hook", "this service answers the " + std::string(hook->hook) + " hook");
  if (req["hookInstance"].get_string().get(instance) != simdjson::SUCCESS || !IsUuid(instance))
    return Bad("hookInstance", "format", "hookInstance must be a UUID");
  object context;
  if (req["context"].get_object().get(context) != simdjson::SUCCESS)
    return Bad("context", "required", "context is required (an object)");
  if (context["userId"].get_string().get(user_id) != simdjson::SUCCESS || user_id.empty())
    return Bad("context.userId", "required", "context.userId is required (a string)");
  if (context["patientId"].get_string().get(patient_id) != simdjson::SUCCESS)
    return Bad("context.patientId", "required", "context.patientId is required (a string)");
  if (!IsFhirId(patient_id))
    return Bad("context.patientId", "format", "context.patientId must be a FHIR id");
  element draft_orders;
  if (hook->kind == HookKind::kOrderSign &&
      context["draftOrders"].get(draft_orders) != simdjson::SUCCESS)
    return Bad("context.draftOrders", "required", "order-sign needs context.draftOrders (a Bundle)");

  std::string_view fhir_server, access_token;
  if (req["fhirServer"].error() != simdjson::NO_SUCH_FIELD &&
      req["fhirServer"].get_string().get(fhir_server) != simdjson::SUCCESS)
    return Bad("fhirServer", "type", "fhirServer must be a URL string");
  element auth;
  if (req["fhirAuthorization"].get(auth) == simdjson::SUCCESS && !auth.is_null()) {
    object a;
    if (auth.get_object().get(a) != simdjson::SUCCESS)
      return Bad("fhirAuthorization", "type", "fhirAuthorization must be an object");
    if (fhir_server.empty())
      return Bad("fhirAuthorization", "fhirServer", "fhirAuthorization needs fhirServer");
    std::string_view token_type, scope, subject;
    int64_t expires_in = 0;
    if (a["access_token"].get_string().get(access_token) != simdjson::SUCCESS || access_token.empty())
      return Bad("fhirAuthorization.access_token", "required", "access_token is required");
    if (a["token_type"].get_string().get(token_type) != simdjson::SUCCESS || token_type != "Bearer")
      return Bad("fhirAuthorization.token_type", "required", "token_type must be \"Bearer\"");
    if (a["expires_in"].get_int64().get(expires_in) != simdjson::SUCCESS || expires_in < 0)
      return Bad("fhirAuthorization.expires_in", "required", "expires_in is required (seconds)");
    if (a["scope"].get_string().get(scope) != simdjson::SUCCESS)
      return Bad("fhirAuthorization.scope", "required", "scope is required (a string)");
    if (a["subject"].get_string().get(subject) != simdjson::SUCCESS)
      return Bad("fhirAuthorization.subject", "required", "subject is required (a string)");
  }
  object prefetch;
  const bool has_prefetch = req["prefetch"].get_object().get(prefetch) == simdjson::SUCCESS;
  if (!has_prefetch && req["prefetch"].error() != simdjson::NO_SUCH_FIELD &&
      !req["prefetch"].is_null())
    return Bad("prefetch", "type", "prefetch must be an object");

  // One record per thread, cleared for each call: its facts and text arena keep their capacity.
  thread_local fhir::PatientRecord record(fhir::DefaultCodeMap());
  record.Clear();
  std::vector<FhirQuery> missing;
  const std::string pid(patient_id);
  for (const auto& t : kPrefetch) {
    element v;
    if (has_prefetch && prefetch.at_key(t.key).get(v) == simdjson::SUCCESS && !v.is_null()) {
      if (auto bad = AddResources(v, {"prefetch.", t.key}, record)) return *bad;
    } else {
      std::string q(t.query);
      q.replace(q.find(kToken), kToken.size(), PercentEncode(pid));
      missing.push_back(FhirQuery{std::string(t.key), std::move(q)});
    }
  }
  std::optional<fhir::PatientRecord> drafts;  // order-sign only
  if (hook->kind == HookKind::kOrderSign) {
    std::string_view type;
    if (draft_orders["resourceType"].get_string().get(type) != simdjson::SUCCESS || type != "Bundle")
      return Bad("context.draftOrders", "type", "context.draftOrders must be a FHIR Bundle");
    drafts.emplace(fhir::DefaultCodeMap());
    if (auto bad = AddResources(draft_orders, {"context.draftOrders", ""}, *drafts)) return *bad;
  }

  // §"Prefetch": data the service needs and did not receive comes from fhirServer, else 412.
  if (!missing.empty()) {
    if (fhir_server.empty()) {
      Response r = Error(412, "prefetch_required",
                         "prefetch \"" + missing.front().key + "\" (and " +
                             std::to_string(missing.size() - 1) +
                             " more) is missing and no fhirServer was given to fetch it",
                         "prefetch." + missing.front().key);
      return r;
    }
    auto fetched = fhir_->Fetch(fhir_server, access_token, missing);
    if (!fetched.ok()) {
      const auto& e = fetched.errors().front();
      if (fetched.kind() == core::ErrorKind::kConflict) {
        Response r = Error(503, "busy", e.message, e.path);
        r.headers.Set("Retry-After", "1");
        return r;
      }
      // The data is still unavailable: the precondition the service needs is not met.
      return Error(412, "prefetch_unavailable", e.message, e.path);
    }
    simdjson::dom::parser fetched_parser;
    for (const auto& answer : *fetched) {
      element v;
      if (fetched_parser.parse(answer.body).get(v) != simdjson::SUCCESS)
        return Error(412, "prefetch_unavailable", "the FHIR server's answer is not JSON",
                     "prefetch." + answer.key);
      if (auto bad = AddResources(v, {"prefetch.", answer.key}, record)) {
        Response r = Error(412, "prefetch_unavailable", "the FHIR server's answer is not a FHIR resource",
                           "prefetch." + answer.key);
        return r;
      }
    }
  }

  const core::Date today = ctx_.clock->Today();
  fhir::MappedCase mapped = record.ToCase(today);
  fhir::ApplyBleedingFactors(mapped, *ctx_.knowledge);
  if (!mapped.patient_id.empty() && mapped.patient_id != pid)
    return Bad("prefetch.patient", "patient", "the Patient resource is not context.patientId");
  CardInput in;
  in.hook = hook->kind;
  in.mapped = &mapped;
  in.patient_id = pid;
  in.app_base = app_base;
  in.uuid = [this] { return ctx_.random->Uuid(); };
  if (hook->kind == HookKind::kOrderSign) {
    const fhir::MappedCase d = drafts->ToCase(today);
    in.drafts.anticoagulant = d.care.anticoagulant_draft || d.care.anticoagulant_active;
    in.drafts.followup = !d.care.draft_followups.empty() || !d.care.followups.empty();
  }
  if (mapped.usable && pw::CheckCase(mapped.c, *ctx_.knowledge).empty()) {
    // One assessment per thread, recycled (its vectors and strings keep their capacity); it is
    // only read until this call returns.
    thread_local pw::Assessment assessment;
    pw::Assess(mapped.c, *ctx_.knowledge, *profile_, assessment);
    in.assessment = &assessment;
    // The cards suggest orders only: no DetectedIssue is written.
    in.proposals = fhir::EmitProposals(assessment, "Patient/" + pid, fhir::ProposalKinds::kOrdersOnly);
  }
  return Json(200, BuildCardsResponse(in));
}

Response Service::Feedback(std::string_view service_id, std::string_view body, const std::string& client) {
  if (FindHook(service_id) == nullptr) return Error(404, "not_found", "no such CDS service", "");
  object req;
  auto& parser = BodyParser();
  if (body.empty() || parser.parse(body.data(), body.size()).get_object().get(req) != simdjson::SUCCESS)
    return Bad("body", "json", "the body must be a JSON object");
  simdjson::dom::array items;
  if (req["feedback"].get_array().get(items) != simdjson::SUCCESS || items.size() == 0)
    return Bad("feedback", "required", "feedback must be a non-empty array");
  if (items.size() > 100) return Bad("feedback", "range", "at most 100 feedback items per call");
  std::vector<store::CdsFeedbackRow> rows;
  const std::string now = ctx_.clock->NowRfc3339();
  size_t i = 0;
  for (element item : items) {
    const std::string path = "feedback[" + std::to_string(i++) + "]";
    object f;
    if (item.get_object().get(f) != simdjson::SUCCESS) return Bad(path, "type", "must be an object");
    store::CdsFeedbackRow row;
    row.service_id = std::string(service_id);
    row.client = client;
    row.received_at = now;
    std::string_view card, outcome, at;
    if (f["card"].get_string().get(card) != simdjson::SUCCESS || card.empty() || card.size() > 128)
      return Bad(path + ".card", "required", "card is required (the card's uuid)");
    if (f["outcome"].get_string().get(outcome) != simdjson::SUCCESS ||
        (outcome != "accepted" && outcome != "overridden"))
      return Bad(path + ".outcome", "enum", "outcome must be accepted or overridden");
    if (f["outcomeTimestamp"].get_string().get(at) != simdjson::SUCCESS || at.size() < 10 ||
        !core::Date::Parse(at.substr(0, 10)))
      return Bad(path + ".outcomeTimestamp", "required", "outcomeTimestamp must be an ISO 8601 instant");
    row.card = std::string(card);
    row.outcome = std::string(outcome);
    row.outcome_at = std::string(at);
    row.accepted_json = "[]";
    simdjson::dom::array accepted;
    if (f["acceptedSuggestions"].get_array().get(accepted) == simdjson::SUCCESS) {
      std::string ids;
      JsonWriter w(ids);
      w.BeginArray();
      size_t j = 0;
      for (element s : accepted) {
        std::string_view id;
        if (s["id"].get_string().get(id) != simdjson::SUCCESS || id.empty())
          return Bad(path + ".acceptedSuggestions[" + std::to_string(j) + "].id", "required",
                     "each accepted suggestion needs its id");
        w.String(id);
        ++j;
      }
      w.EndArray();
      row.accepted_json = ids;
    } else if (f["acceptedSuggestions"].error() != simdjson::NO_SUCH_FIELD) {
      return Bad(path + ".acceptedSuggestions", "type", "acceptedSuggestions must be an array");
    }
    if (outcome == "accepted" && row.accepted_json == "[]")
      return Bad(path + ".acceptedSuggestions", "required", "an accepted outcome names the suggestions");
    object reason;
    if (f["overrideReason"].get_object().get(reason) == simdjson::SUCCESS) {
      if (outcome != "overridden")
        return Bad(path + ".overrideReason", "outcome", "overrideReason goes with outcome overridden");
      std::string r;
      JsonWriter w(r);
      w.BeginObject();
      object coding;
      if (reason["reason"].get_object().get(coding) == simdjson::SUCCESS) {
        w.Key("reason").BeginObject();
        for (std::string_view k : {"system", "code", "display"}) {
          std::string_view v;
          if (coding[k].get_string().get(v) == simdjson::SUCCESS && !v.empty()) w.Key(k).String(v);
        }
        w.EndObject();
      }
      std::string_view comment;
      if (reason["userComment"].get_string().get(comment) == simdjson::SUCCESS && !comment.empty())
        w.Key("userComment").String(comment.substr(0, 1000));
      w.EndObject();
      if (r != "{}") row.override_json = r;
    }
    rows.push_back(std::move(row));
  }
  if (auto st = ctx_.store->AddCdsFeedback(rows); !st.ok()) return ErrorResponse(st.errors(), st.kind());
  std::string out;
  JsonWriter w(out);
  w.BeginObject().Key("stored").Int(static_cast<int64_t>(rows.size())).EndObject();
  return Json(200, std::move(out));
}

Response Service::FeedbackReport(std::string_view service_id, int64_t after_id, int limit) {
  if (FindHook(service_id) == nullptr) return Error(404, "not_found", "no such CDS service", "");
  store::CdsFeedbackQuery q;
  q.service_id = std::string(service_id);
  q.after_id = after_id;
  q.limit = limit;
  auto rows = ctx_.store->ListCdsFeedback(q);
  if (!rows.ok()) return ErrorResponse(rows.errors(), rows.kind());
  int64_t accepted = 0, overridden = 0;
  std::string out;
  JsonWriter w(out);
  w.BeginObject().Key("service").String(service_id).Key("items").BeginArray();
  for (const auto& r : *rows) {
    (r.outcome == "accepted" ? accepted : overridden) += 1;
    w.BeginObject();
    w.Key("id").Int(r.id).Key("card").String(r.card).Key("outcome").String(r.outcome);
    w.Key("acceptedSuggestions").Raw(r.accepted_json);
    if (!r.override_json.empty()) w.Key("overrideReason").Raw(r.override_json);
    w.Key("outcomeTimestamp").String(r.outcome_at);
    if (!r.client.empty()) w.Key("client").String(r.client);
    w.Key("receivedAt").String(r.received_at);
    w.EndObject();
  }
  w.EndArray();
  w.Key("counts").BeginObject().Key("accepted").Int(accepted).Key("overridden").Int(overridden).EndObject();
  if (static_cast<int>(rows->size()) == limit && !rows->empty()) w.Key("next_after").Int(rows->back().id);
  w.EndObject();
  return Json(200, std::move(out));
}

}  // namespace calfdvt::server::cds
