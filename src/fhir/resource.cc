#include "fhir/resource.h"

#include <algorithm>
#include <array>

namespace calfdvt::fhir::internal {
namespace {

using simdjson::dom::array;
using simdjson::dom::element;
using simdjson::dom::object;

constexpr std::array<std::string_view, 11> kMappedTypes = {"Patient",
                                                           "Condition",
                                                           "Observation",
                                                           "DiagnosticReport",
                                                           "MedicationRequest",
                                                           "MedicationStatement",
                                                           "Medication",
                                                           "Encounter",
                                                           "Procedure",
                                                           "ServiceRequest",
                                                           "MedicationAdministration"};

// A location in the resource, kept as pieces and joined only when a note is written (paths are
// needed for the rare wrong-typed field; building them for every field read was the main cost of
// Add on the Bulk/CDS hot path).
class Path {
 public:
  Path(const char* s) { parts_[n_++] = s; }  // NOLINT: implicit, as the std::string it replaces
  Path(std::string_view s) { parts_[n_++] = s; }
  Path(const std::string& s) { parts_[n_++] = s; }
  Path operator+(std::string_view more) const {
    Path p = *this;
    p.parts_[p.n_++] = more;  // depth is bounded by Reader's call structure (at most 5 pieces)
    return p;
  }
  std::string Str() const {
    std::string out;
    for (size_t i = 0; i < n_; ++i) out += parts_[i];
    return out;
  }

 private:
  std::string_view parts_[5];
  size_t n_ = 0;
};

// Reads one resource; wrong-typed fields are noted (path + reason) and treated as absent.
class Reader {
 public:
  Reader(Facts& f, const CodeMap* codes, TextArena& arena) : f_(f), codes_(codes), arena_(arena) {}

  std::optional<element> Key(element e, std::string_view key) {
    element v;
    if (e.at_key(key).get(v) != simdjson::SUCCESS || v.is_null()) return std::nullopt;
    return v;
  }
  std::optional<std::string_view> Str(element e, std::string_view key, const Path& path) {
    auto v = Key(e, key);
    if (!v) return std::nullopt;
    std::string_view s;
    if (v->get(s) != simdjson::SUCCESS) {
      Note(path, "must be a string; ignored");
      return std::nullopt;
    }
    return s;
  }
  std::optional<array> Arr(element e, std::string_view key, const Path& path) {
    auto v = Key(e, key);
    if (!v) return std::nullopt;
    array a;
    if (v->get(a) != simdjson::SUCCESS) {
      Note(path, "must be an array; ignored");
      return std::nullopt;
    }
    return a;
  }
  std::optional<object> ObjAt(element e, std::string_view key, const Path& path) {
    auto v = Key(e, key);
    if (!v) return std::nullopt;
    object o;
    if (v->get(o) != simdjson::SUCCESS) {
      Note(path, "must be an object; ignored");
      return std::nullopt;
    }
    return o;
  }
  void Note(const Path& path, std::string reason) {
    f_.notes.push_back(
        {std::string(f_.type) + "/" + std::string(f_.id), path.Str(), "", std::move(reason)});
  }

  std::string_view Keep(std::string_view s) { return arena_.Copy(s); }
  std::string_view KeepStr(element e, std::string_view key, const Path& path) {
    auto s = Str(e, key, path);
    return s ? Keep(*s) : std::string_view();
  }

  Coding ReadCoding(element e, const Path& path) {
    Coding c;
    c.system = KeepStr(e, "system", path + ".system");
    c.code = KeepStr(e, "code", path + ".code");
    c.display = KeepStr(e, "display", path + ".display");
    return c;
  }

  Concept ReadConcept(element e, const Path& path) {
    Concept c;
    if (auto a = Arr(e, "coding", path + ".coding")) {
      std::span<Coding> codings = arena_.Array<Coding>(a->size());
      size_t n = 0;
      for (element item : *a) codings[n++] = ReadCoding(item, path + ".coding");
      c.codings = codings.first(n);
    }
    c.text = KeepStr(e, "text", path + ".text");
    return c;
  }
  Concept ConceptAt(element e, std::string_view key) {
    if (!ObjAt(e, key, key)) return {};
    return ReadConcept(*Key(e, key), key);
  }
  std::span<const Concept> Concepts(element e, std::string_view key) {
    auto a = Arr(e, key, key);
    if (!a) return {};
    std::span<Concept> out = arena_.Array<Concept>(a->size());
    size_t n = 0;
    for (element item : *a) out[n++] = ReadConcept(item, key);
    return out.first(n);
  }
  template <class T>
  std::span<const T> One(const T& value) {
    std::span<T> out = arena_.Array<T>(1);
    out[0] = value;
    return out;
  }

  Quantity ReadQuantity(element e, const Path& path) {
    Quantity q;
    if (auto v = Key(e, "value")) {
      double d;
      if (v->get(d) == simdjson::SUCCESS)
        q.value = d;
      else
        Note(path + ".value", "must be a number; ignored");
    }
    q.unit = KeepStr(e, "unit", path + ".unit");
    q.system = KeepStr(e, "system", path + ".system");
    q.code = KeepStr(e, "code", path + ".code");
    q.comparator = KeepStr(e, "comparator", path + ".comparator");
    return q;
  }

  When ReadWhen(std::string_view s) {
    When w;
    w.present = true;
    if (s.size() >= 10)
      w.date = core::Date::Parse(s.substr(0, 10));
    else
      w.partial = true;
    return w;
  }
  When WhenAt(element e, std::string_view key) {
    if (auto s = Str(e, key, key)) return ReadWhen(*s);
    return {};
  }
  // period.start / period.end into when / when_end.
  void Period(element e, std::string_view key) {
    if (!ObjAt(e, key, key)) return;
    element p = *Key(e, key);
    if (!f_.when.present) f_.when = WhenAt(p, "start");
    f_.when_end = WhenAt(p, "end");
  }

  // A view into the parse (not kept): callers keep what they need of it.
  std::string_view ReferenceAt(element e, std::string_view key) {
    if (!ObjAt(e, key, key)) return {};
    auto s = Str(*Key(e, key), "reference", Path(key) + ".reference");
    return s ? *s : std::string_view();
  }

  void Run(element e, std::string_view type) {
    f_.type = Keep(type);
    f_.id = KeepStr(e, "id", "id");
    if (auto meta = ObjAt(e, "meta", "meta"))
      if (auto a = Arr(*Key(e, "meta"), "profile", "meta.profile")) {
        std::span<std::string_view> profiles = arena_.Array<std::string_view>(a->size());
        size_t n = 0;
        for (element p : *a) {
          std::string_view s;
          if (p.get(s) == simdjson::SUCCESS) profiles[n++] = Keep(s);
        }
        f_.profiles = profiles.first(n);
      }
    if (type == "Patient") {
      f_.gender = KeepStr(e, "gender", "gender");
      f_.birth_date = WhenAt(e, "birthDate");
      f_.patient_ref = f_.id;
      return;
    }
    std::string_view subject = ReferenceAt(e, "subject");
    if (subject.empty()) subject = ReferenceAt(e, "patient");
    f_.patient_ref = Keep(PatientIdOf(subject));
    f_.status = KeepStr(e, "status", "status");
    f_.intent = KeepStr(e, "intent", "intent");
    f_.code = ConceptAt(e, "code");
    if (codes_ && type == "Observation" && !IsUsedObservation(f_, *codes_)) return;
    if (type != "Procedure" && type != "Encounter") f_.categories = Concepts(e, "category");
    if (type == "Condition") {
      const Concept cs = ConceptAt(e, "clinicalStatus");
      if (!cs.codings.empty()) f_.status = cs.codings.front().code;
      const Concept vs = ConceptAt(e, "verificationStatus");
      if (!vs.codings.empty()) f_.verification = vs.codings.front().code;
      f_.when = WhenAt(e, "onsetDateTime");
      if (!f_.when.present) Period(e, "onsetPeriod");
      f_.recorded = WhenAt(e, "recordedDate");
      if (auto sites = Concepts(e, "bodySite"); !sites.empty()) f_.body_site = sites.front();
      return;
    }
    if (type == "Observation" || type == "DiagnosticReport") {
      f_.when = WhenAt(e, "effectiveDateTime");
      if (!f_.when.present) Period(e, "effectivePeriod");
      if (!f_.when.present) f_.when = WhenAt(e, "effectiveInstant");
      f_.recorded = WhenAt(e, "issued");
    }
    if (type == "Observation") {
      f_.body_site = ConceptAt(e, "bodySite");
      if (ObjAt(e, "valueQuantity", "valueQuantity"))
        f_.quantity = ReadQuantity(*Key(e, "valueQuantity"), "valueQuantity");
      f_.concept_value = ConceptAt(e, "valueCodeableConcept");
      if (auto v = Key(e, "valueBoolean")) {
        bool b;
        if (v->get(b) == simdjson::SUCCESS)
          f_.boolean_value = b;
        else
          Note("valueBoolean", "must be a boolean; ignored");
      }
      f_.date_value = WhenAt(e, "valueDateTime");
      f_.interpretation = Concepts(e, "interpretation");
      if (auto rr = Arr(e, "referenceRange", "referenceRange")) {
        for (element r : *rr) {
          if (ObjAt(r, "high", "referenceRange[0].high"))
            f_.range_high = ReadQuantity(*Key(r, "high"), "referenceRange[0].high");
          break;
        }
      }
      if (auto comps = Arr(e, "component", "component")) {
        std::span<Component> components = arena_.Array<Component>(comps->size());
        f_.components = components;
        size_t i = 0;
        for (element c : *comps) {
          const std::string p = "component[" + std::to_string(i++) + "]";
          Component comp;
          if (ObjAt(c, "code", Path(p) + ".code")) comp.code = ReadConcept(*Key(c, "code"), Path(p) + ".code");
          if (ObjAt(c, "valueQuantity", Path(p) + ".valueQuantity"))
            comp.quantity = ReadQuantity(*Key(c, "valueQuantity"), Path(p) + ".valueQuantity");
          if (ObjAt(c, "valueCodeableConcept", Path(p) + ".valueCodeableConcept"))
            comp.concept_value =
                ReadConcept(*Key(c, "valueCodeableConcept"), Path(p) + ".valueCodeableConcept");
          components[i - 1] = comp;
        }
      }
      return;
    }
    if (type == "DiagnosticReport") {
      if (auto a = Arr(e, "result", "result")) {
        std::span<std::string_view> results = arena_.Array<std::string_view>(a->size());
        size_t n = 0;
        for (element r : *a) {
          auto s = Str(r, "reference", "result.reference");
          if (s) results[n++] = Keep(RefId(*s, "Observation"));
        }
        f_.results = results.first(n);
      }
      f_.conclusion_codes = Concepts(e, "conclusionCode");
      return;
    }
    if (type == "MedicationRequest" || type == "MedicationStatement" ||
        type == "MedicationAdministration") {
      f_.code = ConceptAt(e, "medicationCodeableConcept");
      f_.medication_ref = Keep(RefId(ReferenceAt(e, "medicationReference"), "Medication"));
      f_.recorded = WhenAt(e, "authoredOn");
      f_.when = WhenAt(e, "effectiveDateTime");
      if (!f_.when.present) Period(e, "effectivePeriod");
      return;
    }
    if (type == "Encounter") {
      if (ObjAt(e, "class", "class")) {
        Concept c;
        c.codings = One(ReadCoding(*Key(e, "class"), "class"));
        f_.code = c;
      }
      Period(e, "period");
      return;
    }
    if (type == "Procedure") {
      if (ObjAt(e, "category", "category")) f_.categories = One(ConceptAt(e, "category"));
      f_.when = WhenAt(e, "performedDateTime");
      if (!f_.when.present) Period(e, "performedPeriod");
      return;
    }
    if (type == "ServiceRequest") {
      f_.when = WhenAt(e, "occurrenceDateTime");
      if (!f_.when.present) Period(e, "occurrencePeriod");
      f_.recorded = WhenAt(e, "authoredOn");
      return;
    }
  }

 private:
  Facts& f_;
  const CodeMap* codes_;
  TextArena& arena_;
};

}  // namespace

bool IsMappedType(std::string_view type) {
  for (std::string_view t : kMappedTypes)
    if (t == type) return true;
  return false;
}

void Read(simdjson::dom::element e, std::string_view type, const CodeMap* codes, TextArena& arena,
          Facts& f) {
  Reader(f, codes, arena).Run(e, type);
}

bool IsUsedObservation(const Facts& f, const CodeMap& m) {
  if (std::find(f.profiles.begin(), f.profiles.end(), m.finding_profile) != f.profiles.end())
    return true;
  for (const Coding& cd : f.code.codings)
    if (m.finding.Matches(cd.system, cd.code) || FindCode(m.attestations, cd.system, cd.code) ||
        FindCode(m.d_dimer, cd.system, cd.code) || FindCode(m.observations, cd.system, cd.code))
      return true;
  return false;
}

std::string_view RefId(std::string_view reference, std::string_view type) {
  if (reference.empty()) return {};
  // Drop a version suffix: "Patient/x/_history/2".
  if (auto h = reference.find("/_history/"); h != std::string_view::npos)
    reference = reference.substr(0, h);
  const std::string marker = std::string(type) + "/";
  size_t pos = std::string_view::npos;
  if (reference.compare(0, marker.size(), marker) == 0) {
    pos = 0;
  } else {
    const std::string slashed = "/" + marker;
    auto p = reference.rfind(slashed);
    if (p != std::string_view::npos) pos = p + 1;
  }
  if (pos == std::string_view::npos) return {};
  std::string_view id = reference.substr(pos + marker.size());
  if (id.empty() || id.find('/') != std::string_view::npos) return {};
  return id;
}

std::string_view PatientIdOf(std::string_view reference) { return RefId(reference, "Patient"); }

}  // namespace calfdvt::fhir::internal
