#include "formats/assessment_json.h"

#include <array>
#include <tuple>
#include <vector>

#include "formats/flat_memo.h"

namespace calfdvt::formats {

namespace pw = calfdvt::pathway;
using core::JsonWriter;

namespace {

// The "sources" array: provenance tags in registry order, deduplicated. Returns whether a
// literature source is among them (then a "references" array follows).
template <class W>
bool WriteSourceTags(W& w, const pw::Knowledge& k, pw::SourceSet s) {
  w.BeginArray();
  uint64_t written_tags = 0;  // bit i: the tag of source i was written
  bool literature = false;
  for (size_t i = 0; i < k.sources.size(); ++i) {
    if (!(s & (pw::SourceSet{1} << i))) continue;
    const std::string& tag = k.sources[i].tag;
    if (tag == "literature") literature = true;
    bool dup = false;
    for (size_t j = 0; j < i; ++j)
      if ((written_tags & (uint64_t{1} << j)) && k.sources[j].tag == tag) dup = true;
    if (dup) continue;
    written_tags |= uint64_t{1} << i;
    w.String(tag);
  }
  w.EndArray();
  return literature;
}

// The "references" array: labels of the literature sources.
template <class W>
void WriteReferences(W& w, const pw::Knowledge& k, pw::SourceSet s) {
  w.BeginArray();
  for (size_t i = 0; i < k.sources.size(); ++i)
    if ((s & (pw::SourceSet{1} << i)) && k.sources[i].tag == "literature")
      w.String(k.sources[i].label);
  w.EndArray();
}

}  // namespace

namespace {

template <class W>
void WriteSourceFieldsT(W& w, const pw::Knowledge& k, pw::SourceSet s) {
  w.Key("sources");
  if (!WriteSourceTags(w, k, s)) return;
  w.Key("references");
  WriteReferences(w, k, s);
}

template <class W>
void WriteKnowledgeStampT(W& w, const pw::Knowledge& k, const pw::ProfileDef& profile) {
  w.BeginObject();
  w.Key("id").String(k.id);
  w.Key("profile").String(profile.id);
  w.Key("version").String(k.version);
  w.Key("sha256").String(k.sha256);
  w.EndObject();
}

}  // namespace

void WriteSourceFields(JsonWriter& w, const pw::Knowledge& k, pw::SourceSet s) {
  WriteSourceFieldsT(w, k, s);
}

void WriteKnowledgeStamp(JsonWriter& w, const pw::Knowledge& k, const pw::ProfileDef& profile) {
  WriteKnowledgeStampT(w, k, profile);
}

namespace {

template <class W>
void WriteFeatureValue(W& w, const pw::FeatureValue& v) {
  if (const double* d = std::get_if<double>(&v)) w.Number(*d);
  else if (const bool* b = std::get_if<bool>(&v)) w.Bool(*b);
  else if (const auto* s = std::get_if<std::string_view>(&v)) w.String(*s);
  else w.Null();
}

template <class W, class E, size_t N>
void OptionalEnum(W& w, const std::optional<E>& v, const core::EnumNames<E, N>& names) {
  if (v) w.String(names.Name(*v));
  else w.Null();
}

template <class W>
void StringList(W& w, const std::vector<std::string>& items) {
  w.BeginArray();
  for (const auto& s : items) w.String(s);
  w.EndArray();
}

// The "evidence" array when evidence is shown (R9): constant for a knowledge file.
template <class W>
void WriteEvidence(W& w, const pw::Knowledge& k) {
  w.BeginArray();
  for (const pw::EvidenceDef& e : k.evidence) {
    const pw::SourceDef& s = k.sources[static_cast<size_t>(e.source)];
    w.BeginObject();
    w.Key("claim").String(e.claim);
    w.Key("source").String(s.label);
    w.Key("citation").String(s.citation);
    w.EndObject();
  }
  w.BeginObject();
  w.Key("claim").String(k.evidence_conclusion);
  const pw::SourceDef& cs = k.sources[static_cast<size_t>(k.evidence_conclusion_source)];
  w.Key("source").String(cs.label);
  w.Key("citation").String(cs.citation);
  w.EndObject();
  w.EndArray();
}

// One entry of "rules": constant for a knowledge file.
template <class W>
void WriteRule(W& w, const pw::Knowledge& k, const pw::RuleDef& r) {
  w.BeginObject();
  w.Key("id").String(r.id);
  w.Key("title").String(r.title);
  WriteSourceFieldsT(w, k, r.sources);
  w.EndObject();
}

// A feature object's members before the status value: id, label, then the "status" key.
template <class W>
void FeatureHead(W& w, const pw::Knowledge& k, pw::Feature id) {
  w.BeginObject();
  w.Key("id").String(pw::kFeatureNames.Name(id));
  w.Key("label").String(k.features[static_cast<size_t>(id)].label);
  w.Key("status");
}

// Continues a feature object from the status value to the "value" key.
template <class W>
void FeatureStatus(W& w, pw::FeatureStatus status, bool counted) {
  w.String(pw::kFeatureStatusNames.Name(status));
  w.Key("counted").Bool(counted);
  w.Key("value");
}

template <class W>
void FeatureRule(W& w, const pw::Knowledge& k, pw::Feature id) {
  w.Key("rule").String(k.features[static_cast<size_t>(id)].rule);
}

// Renders one JSON value with a fresh writer. A value's bytes do not depend on where it sits in
// the document (JsonWriter::Raw adds the separator before it), so the result can be spliced in.
template <class F>
std::string Render(F&& write) {
  std::string out;
  JsonWriter w(out);
  write(w);
  return out;
}

// Contexts for RenderPart where no separator precedes the part (RawPart writes the one needed):
// the start of an object, or right after a key.
void InObject(JsonWriter& w) { w.BeginObject(); }
void AfterKey(JsonWriter& w) { w.BeginObject().Key("status"); }

// Renders what `write` adds once `open` has put a fresh writer in the context (container, key
// just written or not) where the result will be spliced in with RawPart.
template <class Open, class F>
std::string RenderPart(Open&& open, F&& write) {
  std::string out;
  JsonWriter w(out);
  open(w);
  const size_t from = out.size();
  write(w);
  return out.substr(from);
}

std::string Escaped(std::string_view s) {
  std::string out;
  JsonWriter::AppendEscaped(out, s);
  return out;
}

}  // namespace

// Everything AssessmentJsonWriter renders up front, as the exact bytes the plain path writes.
struct AssessmentJsonWriter::Fragments {
  struct SourceSetHash {
    uint64_t operator()(pw::SourceSet s) const { return s; }
  };
  static constexpr size_t kMaxMemoisedSourceSets = 4096;

  const pw::Knowledge* k = nullptr;
  std::string evidence;
  std::vector<std::string> rules;   // by index in k->rules
  std::vector<std::string> stamps;  // by index in k->profiles
  static constexpr size_t kFeatureStatuses = pw::kFeatureStatusNames.size();
  // Spliced into feature objects: per feature the object up to the "status" key, and the "rule"
  // member; per status and counted flag, the part from the status value to the "value" key.
  std::array<std::string, pw::kFeatureCount> feature_heads, feature_rules;
  std::array<std::array<std::string, 2>, kFeatureStatuses> feature_statuses;
  static constexpr size_t kStrategies = std::tuple_size_v<decltype(pw::Knowledge::strategy_labels)>;
  static constexpr size_t kAgents = std::tuple_size_v<decltype(pw::RegimenDef::agents)>;
  std::array<std::string, kStrategies> strategy_labels;
  std::array<std::string, kAgents> agent_labels;
  std::array<std::string, pw::kAlertCodeCount> alert_messages, alert_messages_proximal;
  // The "sources" member, and "references" when there are any, by source set; memoised on first
  // use.
  internal::FlatMemo<pw::SourceSet, std::string, SourceSetHash> sources;

  explicit Fragments(const pw::Knowledge& know) : k(&know) {
    evidence = Render([&](JsonWriter& w) { WriteEvidence(w, know); });
    for (const pw::RuleDef& r : know.rules)
      rules.push_back(Render([&](JsonWriter& w) { WriteRule(w, know, r); }));
    for (const pw::ProfileDef& p : know.profiles)
      stamps.push_back(Render([&](JsonWriter& w) { WriteKnowledgeStamp(w, know, p); }));
    for (size_t i = 0; i < pw::kFeatureCount; ++i) {
      const auto id = static_cast<pw::Feature>(i);
      feature_heads[i] = Render([&](JsonWriter& w) { FeatureHead(w, know, id); });
      feature_rules[i] = RenderPart(InObject, [&](JsonWriter& w) { FeatureRule(w, know, id); });
    }
    for (size_t s = 0; s < kFeatureStatuses; ++s)
      for (bool counted : {false, true})
        feature_statuses[s][counted] = RenderPart(AfterKey, [&](JsonWriter& w) {
          FeatureStatus(w, static_cast<pw::FeatureStatus>(s), counted);
        });
    for (size_t i = 0; i < kStrategies; ++i) strategy_labels[i] = Escaped(know.strategy_labels[i]);
    for (size_t i = 0; i < kAgents; ++i) agent_labels[i] = Escaped(know.regimen.agents[i].label);
    for (size_t i = 0; i < pw::kAlertCodeCount; ++i) {
      alert_messages[i] = Escaped(know.alerts[i].message);
      alert_messages_proximal[i] = Escaped(know.alerts[i].message_proximal);
    }
  }

  // Same bytes as WriteSourceFields(w, *k, s).
  template <class W>
  void SourceFields(W& w, pw::SourceSet s) {
    const std::string* members = sources.Find(s);
    if (!members) {
      if (sources.size() >= kMaxMemoisedSourceSets) {
        WriteSourceFieldsT(w, *k, s);
        return;
      }
      members = &sources.Insert(
          s, RenderPart(InObject, [&](JsonWriter& v) { WriteSourceFieldsT(v, *k, s); }));
    }
    w.RawPart(*members);
  }

  // k->FindRule(id), memoised on the identity of the view (rule ids in an assessment point to
  // string literals in the engine or into the knowledge file, so a few distinct views recur).
  const pw::RuleDef* FindRule(std::string_view id) {
    const RuleKey key{id.data(), id.size()};
    if (const auto* r = rule_memo.Find(key)) return *r;
    const pw::RuleDef* r = k->FindRule(id);
    if (rule_memo.size() < kMaxMemoisedSourceSets) rule_memo.Insert(key, r);
    return r;
  }
  struct RuleKey {
    const char* data;
    size_t size;
    bool operator==(const RuleKey& o) const { return data == o.data && size == o.size; }
  };
  struct RuleKeyHash {
    uint64_t operator()(const RuleKey& k) const {
      return reinterpret_cast<uintptr_t>(k.data) ^ (uint64_t{k.size} << 48);
    }
  };
  internal::FlatMemo<RuleKey, const pw::RuleDef*, RuleKeyHash> rule_memo;

  // The pre-escaped copy of an alert message when `message` is the knowledge file's own text.
  const std::string* AlertMessage(const pw::AlertResult& al) const {
    const auto i = static_cast<size_t>(al.code);
    const pw::AlertDef& def = k->alerts[i];
    if (al.message.data() == def.message.data() && al.message.size() == def.message.size())
      return &alert_messages[i];
    if (al.message.data() == def.message_proximal.data() &&
        al.message.size() == def.message_proximal.size())
      return &alert_messages_proximal[i];
    return nullptr;
  }
};

namespace {

using Fragments = AssessmentJsonWriter::Fragments;

template <class W>
void SourceFields(W& w, const pw::Knowledge& k, pw::SourceSet s, Fragments* f) {
  if (f) f->SourceFields(w, s);
  else WriteSourceFieldsT(w, k, s);
}

// A string held by the knowledge file: copied when already escaped, escaped now otherwise.
template <class W>
void KnowledgeString(W& w, std::string_view s, const std::string* escaped) {
  if (escaped) w.Raw(*escaped);
  else w.String(s);
}

// The one serialisation. With `f` (whose knowledge is a.knowledge) constant parts are copied
// from it; without, everything is written afresh. Both give the same bytes.
void WriteAssessment(const pw::Assessment& a, std::string& out, Fragments* f) {
  const pw::Knowledge& k = *a.knowledge;
  core::JsonBufferWriter w(out);
  w.BeginObject();
  w.Key("format").String(kAssessmentFormat);
  if (a.case_id) w.Key("case_id").String(*a.case_id);
  w.Key("as_of").DateValue(a.as_of);
  w.Key("classification").String(pw::kClassificationNames.Name(a.classification));
  w.Key("pattern");
  OptionalEnum(w, a.pattern, pw::kPatternNames);
  w.Key("strategy").String(pw::kStrategyNames.Name(a.strategy));
  w.Key("strength");
  OptionalEnum(w, a.strength, pw::kStrengthNames);
  w.Key("shared_decision").Bool(a.shared_decision);
  w.Key("alternative");
  OptionalEnum(w, a.alternative, pw::kStrategyNames);
  w.Key("recommendation").BeginObject();
  const auto strategy = static_cast<size_t>(a.strategy);
  w.Key("label");
  KnowledgeString(w, k.strategy_labels[strategy], f ? &f->strategy_labels[strategy] : nullptr);
  w.Key("rule").String(a.strategy_rule);
  SourceFields(w, k, a.strategy_sources, f);
  w.EndObject();

  w.Key("features").BeginArray();
  for (const pw::FeatureResult& fr : a.features) {
    const auto id = static_cast<size_t>(fr.id);
    if (f) {
      w.RawObjectHead(f->feature_heads[id]);
      w.RawPart(f->feature_statuses[static_cast<size_t>(fr.status)][fr.counted],
                /*ends_with_key=*/true);
    } else {
      FeatureHead(w, k, fr.id);
      FeatureStatus(w, fr.status, fr.counted);
    }
    WriteFeatureValue(w, fr.value);
    w.Key("threshold");
    if (fr.threshold) w.Number(*fr.threshold);
    else w.Null();
    if (f)
      w.RawPart(f->feature_rules[id]);
    else
      FeatureRule(w, k, fr.id);
    SourceFields(w, k, fr.sources, f);
    w.EndObject();
  }
  w.EndArray();

  w.Key("favouring_imaging").BeginArray();
  for (pw::Favouring fav : a.favouring_imaging) w.String(pw::kFavouringNames.Name(fav));
  w.EndArray();
  w.Key("notes");
  StringList(w, a.notes);

  w.Key("bleeding").BeginObject();
  w.Key("category").String(pw::kBleedingCategoryNames.Name(a.bleeding.category));
  w.Key("points");
  if (a.bleeding.points) w.Int(*a.bleeding.points);
  else w.Null();
  w.Key("major_bleeding_3mo");
  if (a.bleeding.major_bleeding_3mo) w.Number(*a.bleeding.major_bleeding_3mo);
  else w.Null();
  w.Key("basis").String(a.bleeding.basis);
  SourceFields(w, k, k.bleeding.sources, f);
  w.EndObject();

  w.Key("regimen");
  if (a.regimen) {
    const pw::RegimenResult& r = *a.regimen;
    const auto agent = static_cast<size_t>(r.agent);
    w.BeginObject();
    w.Key("agent").String(pw::kAgentNames.Name(r.agent));
    w.Key("agent_label");
    KnowledgeString(w, k.regimen.agents[agent].label, f ? &f->agent_labels[agent] : nullptr);
    w.Key("minimum_months").Int(r.minimum_months);
    w.Key("extended").Bool(r.extended);
    w.Key("earliest_stop");
    if (r.earliest_stop) w.DateValue(*r.earliest_stop);
    else w.Null();
    w.Key("notes");
    StringList(w, r.notes);
    w.Key("rule").String("R7");
    SourceFields(w, k, r.sources | k.regimen.agents[agent].sources, f);
    w.EndObject();
  } else {
    w.Null();
  }

  w.Key("surveillance");
  if (a.surveillance) {
    w.BeginObject();
    w.Key("scans").BeginArray();
    for (const pw::ScanPlan& s : a.surveillance->scans) {
      w.BeginObject();
      w.Key("day").Int(s.day);
      w.Key("due").DateValue(s.due);
      w.Key("window").BeginArray().DateValue(s.window_start).DateValue(s.window_end).EndArray();
      w.EndObject();
    }
    w.EndArray();
    w.Key("on_extension").String(pw::kOnExtensionNames.Name(a.surveillance->on_extension));
    w.Key("rule").String("R8");
    SourceFields(w, k, k.surveillance.sources, f);
    w.EndObject();
  } else {
    w.Null();
  }

  w.Key("alerts").BeginArray();
  for (const pw::AlertResult& al : a.alerts) {
    w.BeginObject();
    w.Key("code").String(pw::kAlertCodeNames.Name(al.code));
    w.Key("severity").String(pw::kSeverityNames.Name(al.severity));
    w.Key("message");
    const std::string* message = f ? f->AlertMessage(al) : nullptr;
    if (message) w.Raw(*message);
    else w.String(al.message);
    if (!al.detail.empty()) w.Key("detail").String(al.detail);
    w.Key("rule").String(al.rule);
    SourceFields(w, k, al.sources, f);
    w.EndObject();
  }
  w.EndArray();

  w.Key("unknowns");
  StringList(w, a.unknowns);
  w.Key("decisive_unknowns");
  StringList(w, a.decisive_unknowns);

  w.Key("evidence");
  if (!a.show_evidence) w.BeginArray().EndArray();
  else if (f) w.Raw(f->evidence);
  else WriteEvidence(w, k);

  w.Key("trace");
  StringList(w, a.trace);
  w.Key("rules").BeginArray();
  for (std::string_view id : a.rules_fired) {
    const pw::RuleDef* r = f ? f->FindRule(id) : k.FindRule(id);
    if (!r) continue;
    if (f) w.Raw(f->rules[static_cast<size_t>(r - k.rules.data())]);
    else WriteRule(w, k, *r);
  }
  w.EndArray();
  w.Key("knowledge");
  const std::string* stamp = nullptr;
  if (f)
    for (size_t i = 0; i < k.profiles.size(); ++i)
      if (&k.profiles[i] == a.profile) stamp = &f->stamps[i];
  if (stamp) w.Raw(*stamp);
  else WriteKnowledgeStampT(w, k, *a.profile);
  w.EndObject();
  w.Finish();
}

}  // namespace

void AppendAssessmentJson(const pw::Assessment& a, std::string& out) {
  WriteAssessment(a, out, nullptr);
}

std::string AssessmentJson(const pw::Assessment& a) {
  std::string out;
  out.reserve(8192);
  AppendAssessmentJson(a, out);
  return out;
}

AssessmentJsonWriter::AssessmentJsonWriter(const pw::Knowledge& k)
    : f_(std::make_unique<Fragments>(k)) {}
AssessmentJsonWriter::~AssessmentJsonWriter() = default;

void AssessmentJsonWriter::Append(const pw::Assessment& a, std::string& out) {
  WriteAssessment(a, out, a.knowledge == f_->k ? f_.get() : nullptr);
}

}  // namespace calfdvt::formats
