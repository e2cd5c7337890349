#include "fhir/resource.h"

#include <algorithm>
#include <array>
#include <cassert>
#include <cstdint>

#include "formats/json_read.h"

namespace calfdvt::fhir::internal {
namespace {

using simdjson::dom::array;
using simdjson::dom::element;
using simdjson::dom::object;

// Key equality by words, no memcmp call (shared with the strict reader).
using formats::internal::SameKey;
template <size_t N>
bool Is(std::string_view key, const char (&literal)[N]) {
  return SameKey(key, std::string_view(literal, N - 1));
}

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

constexpr std::array<std::string_view, 38> kRootKeys = {
    "authoredOn", "birthDate", "bodySite", "category", "class", "clinicalStatus", "code",
    "component", "conclusionCode", "effectiveDateTime", "effectiveInstant", "effectivePeriod",
    "gender", "id", "intent", "interpretation", "issued", "medicationCodeableConcept",
    "medicationReference", "meta", "occurrenceDateTime", "occurrencePeriod", "onsetDateTime",
    "onsetPeriod", "patient", "performedDateTime", "performedPeriod", "period", "recordedDate",
    "referenceRange", "result", "status", "subject", "valueBoolean", "valueCodeableConcept",
    "valueDateTime", "valueQuantity", "verificationStatus"};
constexpr size_t kRootMaxLength = 32;
// Key ids by length: ids[len] lists the ids of the keys of that length.
struct RootBuckets {
  std::array<std::array<int8_t, 8>, kRootMaxLength> ids{};
  std::array<uint8_t, kRootMaxLength> count{};
};
constexpr RootBuckets MakeRootBuckets() {
  RootBuckets b;
  for (size_t i = 0; i < kRootKeys.size(); ++i) {
    const size_t len = kRootKeys[i].size();
    b.ids[len][b.count[len]++] = static_cast<int8_t>(i);
  }
  return b;
}
constexpr RootBuckets kRootBuckets = MakeRootBuckets();

// The top-level members of a resource that Reader::Run reads, found in one walk over the object
// (instead of one walk per member asked for: ~25 per resource). Keys are matched by length, then
// bytes; the first occurrence of a duplicated key wins, as with simdjson's at_key.
class Root {
 public:
  explicit Root(element e) {
    object o;
    if (e.get(o) != simdjson::SUCCESS) return;
    for (auto field : o) {
      const int id = Id(field.key);
      if (id >= 0 && !(found_ >> id & 1)) {
        values_[id] = field.value;
        found_ |= uint64_t{1} << id;
      }
    }
  }
  // The member `key` (one of kRootKeys), or false when absent.
  bool Get(std::string_view key, element& out) const {
    const int id = Id(key);
    assert(id >= 0 && "Root::Get: add the key to kRootKeys");
    if (id < 0 || !(found_ >> id & 1)) return false;
    out = values_[id];
    return true;
  }

 private:
  static int Id(std::string_view key) {
    if (key.size() >= kRootMaxLength) return -1;
    for (uint8_t i = 0; i < kRootBuckets.count[key.size()]; ++i) {
      const int id = kRootBuckets.ids[key.size()][i];
      if (SameKey(kRootKeys[id], key)) return id;
    }
    return -1;
  }
  static_assert(kRootKeys.size() <= 64, "found_ is a 64-bit mask");

  std::array<element, kRootKeys.size()> values_;
  uint64_t found_ = 0;
};

// Reads one resource; wrong-typed fields are noted (path + reason) and treated as absent.
class Reader {
 public:
  Reader(Facts& f, const CodeMap* codes, TextArena& arena) : f_(f), codes_(codes), arena_(arena) {}

  std::optional<element> Key(const Root& root, std::string_view key) {
    element v;
    if (!root.Get(key, v) || v.is_null()) return std::nullopt;
    return v;
  }
  std::optional<element> Key(element e, std::string_view key) {
    element v;
    if (e.at_key(key).get(v) != simdjson::SUCCESS || v.is_null()) return std::nullopt;
    return v;
  }
  template <class E>
  std::optional<std::string_view> Str(const E& e, std::string_view key, const Path& path) {
    auto v = Key(e, key);
    if (!v) return std::nullopt;
    std::string_view s;
    if (v->get(s) != simdjson::SUCCESS) {
      Note(path, "must be a string; ignored");
      return std::nullopt;
    }
    return s;
  }
  template <class E>
  std::optional<array> Arr(const E& e, std::string_view key, const Path& path) {
    auto v = Key(e, key);
    if (!v) return std::nullopt;
    array a;
    if (v->get(a) != simdjson::SUCCESS) {
      Note(path, "must be an array; ignored");
      return std::nullopt;
    }
    return a;
  }
  template <class E>
  std::optional<object> ObjAt(const E& e, std::string_view key, const Path& path) {
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
  template <class E>
  std::string_view KeepStr(const E& e, std::string_view key, const Path& path) {
    auto s = Str(e, key, path);
    return s ? Keep(*s) : std::string_view();
  }

  // A member's string value, kept; empty when null, or when not a string (noted).
  std::string_view KeepValue(element v, const Path& path) {
    if (v.is_null()) return {};
    std::string_view s;
    if (v.get(s) != simdjson::SUCCESS) {
      Note(path, "must be a string; ignored");
      return {};
    }
    return Keep(s);
  }

  // Codings and concepts are the most numerous objects: each is read in one walk over its members
  // (the first of duplicated members counts, as with at_key; a non-object reads as empty).
  Coding ReadCoding(element e, const Path& path) {
    Coding c;
    object o;
    if (e.get(o) != simdjson::SUCCESS) return c;
    bool system = false, code = false, display = false;
    for (auto field : o) {
      const std::string_view k = field.key;
      if (!system && Is(k, "system")) {
        system = true;
        c.system = KeepValue(field.value, path + ".system");
      } else if (!code && Is(k, "code")) {
        code = true;
        c.code = KeepValue(field.value, path + ".code");
      } else if (!display && Is(k, "display")) {
        display = true;
        c.display = KeepValue(field.value, path + ".display");
      }
    }
    return c;
  }

  Concept ReadConcept(element e, const Path& path) {
    Concept c;
    object o;
    if (e.get(o) != simdjson::SUCCESS) return c;
    bool coding = false, text = false;
    for (auto field : o) {
      const std::string_view k = field.key;
      if (!coding && Is(k, "coding")) {
        coding = true;
        if (field.value.is_null()) continue;
        array a;
        if (field.value.get(a) != simdjson::SUCCESS) {
          Note(path + ".coding", "must be an array; ignored");
          continue;
        }
        std::span<Coding> codings = arena_.Array<Coding>(a.size());
        size_t n = 0;
        for (element item : a) codings[n++] = ReadCoding(item, path + ".coding");
        c.codings = codings.first(n);
      } else if (!text && Is(k, "text")) {
        text = true;
        c.text = KeepValue(field.value, path + ".text");
      }
    }
    return c;
  }
  template <class E>
  Concept ConceptAt(const E& e, std::string_view key) {
    if (!ObjAt(e, key, key)) return {};
    return ReadConcept(*Key(e, key), key);
  }
  template <class E>
  std::span<const Concept> Concepts(const E& e, std::string_view key) {
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

  // One walk over the members, like ReadCoding.
  Quantity ReadQuantity(element e, const Path& path) {
    Quantity q;
    object o;
    if (e.get(o) != simdjson::SUCCESS) return q;
    uint8_t seen = 0;  // bit per member: the first of duplicated members counts
    auto first = [&seen](int bit) {
      const bool was = seen >> bit & 1;
      seen |= static_cast<uint8_t>(1 << bit);
      return !was;
    };
    for (auto field : o) {
      const std::string_view k = field.key;
      if (Is(k, "value")) {
        if (!first(0) || field.value.is_null()) continue;
        double d;
        if (field.value.get(d) == simdjson::SUCCESS)
          q.value = d;
        else
          Note(path + ".value", "must be a number; ignored");
      } else if (Is(k, "unit")) {
        if (first(1)) q.unit = KeepValue(field.value, path + ".unit");
      } else if (Is(k, "system")) {
        if (first(2)) q.system = KeepValue(field.value, path + ".system");
      } else if (Is(k, "code")) {
        if (first(3)) q.code = KeepValue(field.value, path + ".code");
      } else if (Is(k, "comparator")) {
        if (first(4)) q.comparator = KeepValue(field.value, path + ".comparator");
      }
    }
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
  template <class E>
  When WhenAt(const E& e, std::string_view key) {
    if (auto s = Str(e, key, key)) return ReadWhen(*s);
    return {};
  }
  // period.start / period.end into when / when_end.
  template <class E>
  void Period(const E& e, std::string_view key) {
    if (!ObjAt(e, key, key)) return;
    element p = *Key(e, key);
    if (!f_.when.present) f_.when = WhenAt(p, "start");
    f_.when_end = WhenAt(p, "end");
  }

  // A view into the parse (not kept): callers keep what they need of it.
  template <class E>
  std::string_view ReferenceAt(const E& e, std::string_view key) {
    if (!ObjAt(e, key, key)) return {};
    auto s = Str(*Key(e, key), "reference", Path(key) + ".reference");
    return s ? *s : std::string_view();
  }

  void Run(element e, std::string_view type) {
    const Root root(e);
    f_.type = Keep(type);
    f_.id = KeepStr(root, "id", "id");
    f_.ref = arena_.Join({type, "/", f_.id});
    if (auto meta = ObjAt(root, "meta", "meta"))
      if (auto a = Arr(*Key(root, "meta"), "profile", "meta.profile")) {
        std::span<std::string_view> profiles = arena_.Array<std::string_view>(a->size());
        size_t n = 0;
        for (element p : *a) {
          std::string_view s;
          if (p.get(s) == simdjson::SUCCESS) profiles[n++] = Keep(s);
        }
        f_.profiles = profiles.first(n);
      }
    if (type == "Patient") {
      f_.gender = KeepStr(root, "gender", "gender");
      f_.birth_date = WhenAt(root, "birthDate");
      f_.patient_ref = f_.id;
      return;
    }
    std::string_view subject = ReferenceAt(root, "subject");
    if (subject.empty()) subject = ReferenceAt(root, "patient");
    f_.patient_ref = Keep(PatientIdOf(subject));
    f_.status = KeepStr(root, "status", "status");
    f_.intent = KeepStr(root, "intent", "intent");
    f_.code = ConceptAt(root, "code");
    if (codes_ && type == "Observation") {
      f_.use = ClassifyObservation(f_, *codes_);
      if (!f_.use.Used()) return;
    }
    if (type == "Condition") {
      const Concept cs = ConceptAt(root, "clinicalStatus");
      if (!cs.codings.empty()) f_.status = cs.codings.front().code;
      const Concept vs = ConceptAt(root, "verificationStatus");
      if (!vs.codings.empty()) f_.verification = vs.codings.front().code;
      f_.when = WhenAt(root, "onsetDateTime");
      if (!f_.when.present) Period(root, "onsetPeriod");
      f_.recorded = WhenAt(root, "recordedDate");
      if (auto sites = Concepts(root, "bodySite"); !sites.empty()) f_.body_site = sites.front();
      return;
    }
    if (type == "Observation" || type == "DiagnosticReport") {
      f_.when = WhenAt(root, "effectiveDateTime");
      if (!f_.when.present) Period(root, "effectivePeriod");
      if (!f_.when.present) f_.when = WhenAt(root, "effectiveInstant");
      f_.recorded = WhenAt(root, "issued");
    }
    if (type == "Observation") {
      f_.body_site = ConceptAt(root, "bodySite");
      if (ObjAt(root, "valueQuantity", "valueQuantity"))
        f_.quantity = ReadQuantity(*Key(root, "valueQuantity"), "valueQuantity");
      f_.concept_value = ConceptAt(root, "valueCodeableConcept");
      if (auto v = Key(root, "valueBoolean")) {
        bool b;
        if (v->get(b) == simdjson::SUCCESS)
          f_.boolean_value = b;
        else
          Note("valueBoolean", "must be a boolean; ignored");
      }
      f_.date_value = WhenAt(root, "valueDateTime");
      f_.interpretation = Concepts(root, "interpretation");
      if (auto rr = Arr(root, "referenceRange", "referenceRange")) {
        for (element r : *rr) {
          if (ObjAt(r, "high", "referenceRange[0].high"))
            f_.range_high = ReadQuantity(*Key(r, "high"), "referenceRange[0].high");
          break;
        }
      }
      if (auto comps = Arr(root, "component", "component")) {
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
      if (auto a = Arr(root, "result", "result")) {
        std::span<std::string_view> results = arena_.Array<std::string_view>(a->size());
        size_t n = 0;
        for (element r : *a) {
          auto s = Str(r, "reference", "result.reference");
          if (s) results[n++] = Keep(RefId(*s, "Observation"));
        }
        f_.results = results.first(n);
      }
      f_.conclusion_codes = Concepts(root, "conclusionCode");
      return;
    }
    if (type == "MedicationRequest" || type == "MedicationStatement" ||
        type == "MedicationAdministration") {
      f_.code = ConceptAt(root, "medicationCodeableConcept");
      f_.medication_ref = Keep(RefId(ReferenceAt(root, "medicationReference"), "Medication"));
      f_.recorded = WhenAt(root, "authoredOn");
      f_.when = WhenAt(root, "effectiveDateTime");
      if (!f_.when.present) Period(root, "effectivePeriod");
      return;
    }
    if (type == "Encounter") {
      if (ObjAt(root, "class", "class")) {
        Concept c;
        c.codings = One(ReadCoding(*Key(root, "class"), "class"));
        f_.code = c;
      }
      Period(root, "period");
      return;
    }
    if (type == "Procedure") {
      if (ObjAt(root, "category", "category")) f_.categories = One(ConceptAt(root, "category"));
      f_.when = WhenAt(root, "performedDateTime");
      if (!f_.when.present) Period(root, "performedPeriod");
      return;
    }
    if (type == "ServiceRequest") {
      f_.when = WhenAt(root, "occurrenceDateTime");
      if (!f_.when.present) Period(root, "occurrencePeriod");
      f_.recorded = WhenAt(root, "authoredOn");
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

ObservationUse ClassifyObservation(const Facts& f, const CodeMap& m) {
  // In the mapper's order of precedence (finding, attestation, D-dimer, observation table): a
  // later kind is looked up only when no earlier one matched, and is left false otherwise.
  ObservationUse u;
  const auto& codings = f.code.codings;
  u.finding = std::find(f.profiles.begin(), f.profiles.end(), m.finding_profile) != f.profiles.end();
  for (size_t i = 0; !u.finding && i < codings.size(); ++i)
    u.finding = m.finding.Matches(codings[i].system, codings[i].code);
  if (u.finding) return u;
  for (size_t i = 0; !u.attestation && i < codings.size(); ++i)
    u.attestation = FindCode(m.attestations, codings[i].system, codings[i].code);
  if (u.attestation) return u;
  for (size_t i = 0; !u.d_dimer && i < codings.size(); ++i)
    u.d_dimer = FindCode(m.d_dimer, codings[i].system, codings[i].code) != nullptr;
  if (u.d_dimer) return u;
  for (size_t i = 0; !u.observation && i < codings.size(); ++i)
    u.observation = FindCode(m.observations, codings[i].system, codings[i].code) != nullptr;
  return u;
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
