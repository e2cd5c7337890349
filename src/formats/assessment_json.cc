#include "formats/assessment_json.h"

namespace calfdvt::formats {

namespace pw = calfdvt::pathway;
using core::JsonWriter;

void WriteSourceFields(JsonWriter& w, const pw::Knowledge& k, pw::SourceSet s) {
  // Tags in registry order, deduplicated.
  w.Key("sources").BeginArray();
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
  if (!literature) return;
  w.Key("references").BeginArray();
  for (size_t i = 0; i < k.sources.size(); ++i)
    if ((s & (pw::SourceSet{1} << i)) && k.sources[i].tag == "literature") w.String(k.sources[i].label);
  w.EndArray();
}

void WriteKnowledgeStamp(JsonWriter& w, const pw::Knowledge& k, const pw::ProfileDef& profile) {
  w.BeginObject();
  w.Key("id").String(k.id);
  w.Key("profile").String(profile.id);
  w.Key("version").String(k.version);
  w.Key("sha256").String(k.sha256);
  w.EndObject();
}

namespace {

void WriteFeatureValue(JsonWriter& w, const pw::FeatureValue& v) {
  if (const double* d = std::get_if<double>(&v)) w.Number(*d);
  else if (const bool* b = std::get_if<bool>(&v)) w.Bool(*b);
  else if (const auto* s = std::get_if<std::string_view>(&v)) w.String(*s);
  else w.Null();
}

template <class E, size_t N>
void OptionalEnum(JsonWriter& w, const std::optional<E>& v, const core::EnumNames<E, N>& names) {
  if (v) w.String(names.Name(*v));
  else w.Null();
}

void StringList(JsonWriter& w, const std::vector<std::string>& items) {
  w.BeginArray();
  for (const auto& s : items) w.String(s);
  w.EndArray();
}

}  // namespace

void AppendAssessmentJson(const pw::Assessment& a, std::string& out) {
  const pw::Knowledge& k = *a.knowledge;
  JsonWriter w(out);
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
  w.Key("label").String(k.strategy_labels[static_cast<size_t>(a.strategy)]);
  w.Key("rule").String(a.strategy_rule);
  WriteSourceFields(w, k, a.strategy_sources);
  w.EndObject();

  w.Key("features").BeginArray();
  for (const pw::FeatureResult& f : a.features) {
    const pw::FeatureDef& def = k.features[static_cast<size_t>(f.id)];
    w.BeginObject();
    w.Key("id").String(pw::kFeatureNames.Name(f.id));
    w.Key("label").String(def.label);
    w.Key("status").String(pw::kFeatureStatusNames.Name(f.status));
    w.Key("counted").Bool(f.counted);
    w.Key("value");
    WriteFeatureValue(w, f.value);
    w.Key("threshold");
    if (f.threshold) w.Number(*f.threshold);
    else w.Null();
    w.Key("rule").String(def.rule);
    WriteSourceFields(w, k, f.sources);
    w.EndObject();
  }
  w.EndArray();

  w.Key("favouring_imaging").BeginArray();
  for (pw::Favouring f : a.favouring_imaging) w.String(pw::kFavouringNames.Name(f));
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
  WriteSourceFields(w, k, k.bleeding.sources);
  w.EndObject();

  w.Key("regimen");
  if (a.regimen) {
    const pw::RegimenResult& r = *a.regimen;
    w.BeginObject();
    w.Key("agent").String(pw::kAgentNames.Name(r.agent));
    w.Key("agent_label").String(k.regimen.agents[static_cast<size_t>(r.agent)].label);
    w.Key("minimum_months").Int(r.minimum_months);
    w.Key("extended").Bool(r.extended);
    w.Key("earliest_stop");
    if (r.earliest_stop) w.DateValue(*r.earliest_stop);
    else w.Null();
    w.Key("notes");
    StringList(w, r.notes);
    w.Key("rule").String("R7");
    WriteSourceFields(w, k, r.sources | k.regimen.agents[static_cast<size_t>(r.agent)].sources);
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
    WriteSourceFields(w, k, k.surveillance.sources);
    w.EndObject();
  } else {
    w.Null();
  }

  w.Key("alerts").BeginArray();
  for (const pw::AlertResult& al : a.alerts) {
    w.BeginObject();
    w.Key("code").String(pw::kAlertCodeNames.Name(al.code));
    w.Key("severity").String(pw::kSeverityNames.Name(al.severity));
    w.Key("message").String(al.message);
    if (!al.detail.empty()) w.Key("detail").String(al.detail);
    w.Key("rule").String(al.rule);
    WriteSourceFields(w, k, al.sources);
    w.EndObject();
  }
  w.EndArray();

  w.Key("unknowns");
  StringList(w, a.unknowns);
  w.Key("decisive_unknowns");
  StringList(w, a.decisive_unknowns);

  w.Key("evidence").BeginArray();
  if (a.show_evidence) {
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
  }
  w.EndArray();

  w.Key("trace");
  StringList(w, a.trace);
  w.Key("rules").BeginArray();
  for (std::string_view id : a.rules_fired) {
    const pw::RuleDef* r = k.FindRule(id);
    if (!r) continue;
    w.BeginObject();
    w.Key("id").String(r->id);
    w.Key("title").String(r->title);
    WriteSourceFields(w, k, r->sources);
    w.EndObject();
  }
  w.EndArray();
  w.Key("knowledge");
  WriteKnowledgeStamp(w, k, *a.profile);
  w.EndObject();
}

std::string AssessmentJson(const pw::Assessment& a) {
  std::string out;
  out.reserve(8192);
  AppendAssessmentJson(a, out);
  return out;
}

}  // namespace calfdvt::formats
