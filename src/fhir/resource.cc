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

// In MappedType order.
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

// A location in the resource, kept as a chain of pieces on the stack and joined only when a note
// is written (paths are needed for the rare wrong-typed field; building them for every field read
// was the main cost of Add on the Bulk/CDS hot path). A Path made with `+` refers to its parent:
// it is only ever passed down as an argument (the parent outlives the call), never stored.
class Path {
 public:
  Path(const char* s) : piece_(s) {}  // NOLINT: implicit, as the std::string it replaces
  Path(std::string_view s) : piece_(s) {}
  Path(const std::string& s) : piece_(s) {}
  // "piece[index]", e.g. "component[2]".
  Path(std::string_view s, size_t index) : piece_(s), index_(index) {}
  Path operator+(std::string_view more) const { return Path(this, more); }
  std::string Str() const {
    std::string out = parent_ ? parent_->Str() : std::string();
    out += piece_;
    if (index_ != kNoIndex) out += "[" + std::to_string(index_) + "]";
    return out;
  }

 private:
  static constexpr size_t kNoIndex = static_cast<size_t>(-1);
  Path(const Path* parent, std::string_view piece) : parent_(parent), piece_(piece) {}
  const Path* parent_ = nullptr;
  std::string_view piece_;
  size_t index_ = kNoIndex;
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
// Key ids by a hash of length, first and last byte: collision-free over kRootKeys (checked at
// compile time below), so a key is found with one comparison.
constexpr size_t RootHash(std::string_view key) {
  return (key.size() + static_cast<unsigned char>(key.front()) * 9u +
          static_cast<unsigned char>(key.back()) * 31u) &
         127u;
}
struct RootTable {
  std::array<int8_t, 128> ids{};
  bool collision = false;
};
constexpr RootTable MakeRootTable() {
  RootTable t;
  for (auto& id : t.ids) id = -1;
  for (size_t i = 0; i < kRootKeys.size(); ++i) {
    int8_t& slot = t.ids[RootHash(kRootKeys[i])];
    if (slot >= 0) t.collision = true;
    slot = static_cast<int8_t>(i);
  }
  return t;
}
constexpr RootTable kRootTable = MakeRootTable();
static_assert(!kRootTable.collision, "RootHash: pick other factors for the new key set");

// A member of kRootKeys, resolved to its index at compile time: RK("status").
struct RootKey {
  int id;
  std::string_view name;
};
consteval RootKey RK(std::string_view name) {
  for (size_t i = 0; i < kRootKeys.size(); ++i)
    if (kRootKeys[i] == name) return {static_cast<int>(i), name};
  throw "RK: add the key to kRootKeys";  // not a constant expression: a compile error
}

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
        new (&values_[id].e) element(field.value);
        found_ |= uint64_t{1} << id;
      }
    }
  }
  // The member `key`, or false when absent.
  bool Get(RootKey key, element& out) const {
    if (!(found_ >> key.id & 1)) return false;
    out = values_[key.id].e;
    return true;
  }

 private:
  static int Id(std::string_view key) {
    if (key.empty() || key.size() >= kRootMaxLength) return -1;
    const int id = kRootTable.ids[RootHash(key)];
    return id >= 0 && SameKey(kRootKeys[static_cast<size_t>(id)], key) ? id : -1;
  }
  static_assert(kRootKeys.size() <= 64, "found_ is a 64-bit mask");

  // Left uninitialised: only the slots whose bit is set in found_ are read.
  union Slot {
    Slot() {}
    element e;
  };
  Slot values_[kRootKeys.size()];
  uint64_t found_ = 0;
};

inline std::string_view NameOf(std::string_view key) { return key; }
inline std::string_view NameOf(RootKey key) { return key.name; }

// Reads one resource; wrong-typed fields are noted (path + reason) and treated as absent.
class Reader {
 public:
  Reader(Facts& f, const CodeMap* codes, TextArena& arena) : f_(f), codes_(codes), arena_(arena) {}

  std::optional<element> Key(const Root& root, RootKey key) {
    element v;
    if (!root.Get(key, v) || v.is_null()) return std::nullopt;
    return v;
  }
  std::optional<element> Key(element e, std::string_view key) {
    element v;
    if (e.at_key(key).get(v) != simdjson::SUCCESS || v.is_null()) return std::nullopt;
    return v;
  }
  template <class E, class K>
  std::optional<std::string_view> Str(const E& e, K key, const Path& path) {
    auto v = Key(e, key);
    if (!v) return std::nullopt;
    std::string_view s;
    if (v->get(s) != simdjson::SUCCESS) {
      Note(path, "must be a string; ignored");
      return std::nullopt;
    }
    return s;
  }
  template <class E, class K>
  std::optional<array> Arr(const E& e, K key, const Path& path) {
    auto v = Key(e, key);
    if (!v) return std::nullopt;
    array a;
    if (v->get(a) != simdjson::SUCCESS) {
      Note(path, "must be an array; ignored");
      return std::nullopt;
    }
    return a;
  }
  template <class E, class K>
  std::optional<object> ObjAt(const E& e, K key, const Path& path) {
    auto v = Key(e, key);
    if (!v) return std::nullopt;
    object o;
    if (v->get(o) != simdjson::SUCCESS) {
      Note(path, "must be an object; ignored");
      return std::nullopt;
    }
    return o;
  }
  // Like ObjAt, the member itself (an object) as an element.
  template <class E, class K>
  std::optional<element> ObjEl(const E& e, K key, const Path& path) {
    auto v = Key(e, key);
    if (!v) return std::nullopt;
    if (!v->is_object()) {
      Note(path, "must be an object; ignored");
      return std::nullopt;
    }
    return v;
  }
  void Note(const Path& path, std::string reason) {
    f_.notes.push_back(
        {std::string(f_.type) + "/" + std::string(f_.id), path.Str(), "", std::move(reason)});
  }

  std::string_view Keep(std::string_view s) { return arena_.Copy(s); }
  template <class E, class K>
  std::string_view KeepStr(const E& e, K key, const Path& path) {
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
  template <class E, class K>
  Concept ConceptAt(const E& e, K key) {
    auto o = ObjEl(e, key, NameOf(key));
    if (!o) return {};
    return ReadConcept(*o, NameOf(key));
  }
  template <class E, class K>
  std::span<const Concept> Concepts(const E& e, K key) {
    auto a = Arr(e, key, NameOf(key));
    if (!a) return {};
    std::span<Concept> out = arena_.Array<Concept>(a->size());
    size_t n = 0;
    for (element item : *a) out[n++] = ReadConcept(item, NameOf(key));
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
  template <class E, class K>
  When WhenAt(const E& e, K key) {
    if (auto s = Str(e, key, NameOf(key))) return ReadWhen(*s);
    return {};
  }
  // period.start / period.end into when / when_end.
  template <class E, class K>
  void Period(const E& e, K key) {
    auto o = ObjEl(e, key, NameOf(key));
    if (!o) return;
    element p = *o;
    if (!f_.when.present) f_.when = WhenAt(p, "start");
    f_.when_end = WhenAt(p, "end");
  }

  // A view into the parse (not kept): callers keep what they need of it.
  template <class E, class K>
  std::string_view ReferenceAt(const E& e, K key) {
    auto o = ObjEl(e, key, NameOf(key));
    if (!o) return {};
    auto s = Str(*o, "reference", Path(NameOf(key)) + ".reference");
    return s ? *s : std::string_view();
  }

  void Run(element e, MappedType kind, std::string_view type_in) {
    // Static storage for the mapped types (Read's precondition); a copy otherwise.
    const std::string_view type =
        kind == MappedType::kNone ? Keep(type_in) : kMappedTypes[static_cast<size_t>(kind)];
    const Root root(e);
    f_.type = type;
    f_.kind = kind;
    f_.id = KeepStr(root, RK("id"), "id");
    f_.ref = arena_.Join({type, "/", f_.id});
    if (auto meta = ObjEl(root, RK("meta"), "meta"))
      if (auto a = Arr(*meta, "profile", "meta.profile")) {
        std::span<std::string_view> profiles = arena_.Array<std::string_view>(a->size());
        size_t n = 0;
        for (element p : *a) {
          std::string_view s;
          if (p.get(s) == simdjson::SUCCESS) profiles[n++] = Keep(s);
        }
        f_.profiles = profiles.first(n);
      }
    using T = MappedType;
    if (kind == T::kPatient) {
      f_.gender = KeepStr(root, RK("gender"), "gender");
      f_.birth_date = WhenAt(root, RK("birthDate"));
      f_.patient_ref = f_.id;
      return;
    }
    std::string_view subject = ReferenceAt(root, RK("subject"));
    if (subject.empty()) subject = ReferenceAt(root, RK("patient"));
    f_.patient_ref = Keep(PatientIdOf(subject));
    f_.status = KeepStr(root, RK("status"), "status");
    f_.intent = KeepStr(root, RK("intent"), "intent");
    f_.code = ConceptAt(root, RK("code"));
    if (codes_ && kind == T::kObservation) {
      f_.use = ClassifyObservation(f_, *codes_);
      if (!f_.use.Used()) return;
    }
    if (kind == T::kCondition) {
      const Concept cs = ConceptAt(root, RK("clinicalStatus"));
      if (!cs.codings.empty()) f_.status = cs.codings.front().code;
      const Concept vs = ConceptAt(root, RK("verificationStatus"));
      if (!vs.codings.empty()) f_.verification = vs.codings.front().code;
      f_.when = WhenAt(root, RK("onsetDateTime"));
      if (!f_.when.present) Period(root, RK("onsetPeriod"));
      f_.recorded = WhenAt(root, RK("recordedDate"));
      if (auto sites = Concepts(root, RK("bodySite")); !sites.empty()) f_.body_site = sites.front();
      return;
    }
    if (kind == T::kObservation || kind == T::kDiagnosticReport) {
      f_.when = WhenAt(root, RK("effectiveDateTime"));
      if (!f_.when.present) Period(root, RK("effectivePeriod"));
      if (!f_.when.present) f_.when = WhenAt(root, RK("effectiveInstant"));
      f_.recorded = WhenAt(root, RK("issued"));
    }
    if (kind == T::kObservation) {
      f_.body_site = ConceptAt(root, RK("bodySite"));
      if (auto q = ObjEl(root, RK("valueQuantity"), "valueQuantity"))
        f_.quantity = ReadQuantity(*q, "valueQuantity");
      f_.concept_value = ConceptAt(root, RK("valueCodeableConcept"));
      if (auto v = Key(root, RK("valueBoolean"))) {
        bool b;
        if (v->get(b) == simdjson::SUCCESS)
          f_.boolean_value = b;
        else
          Note("valueBoolean", "must be a boolean; ignored");
      }
      f_.date_value = WhenAt(root, RK("valueDateTime"));
      f_.interpretation = Concepts(root, RK("interpretation"));
      if (auto rr = Arr(root, RK("referenceRange"), "referenceRange")) {
        for (element r : *rr) {
          if (auto high = ObjEl(r, "high", "referenceRange[0].high"))
            f_.range_high = ReadQuantity(*high, "referenceRange[0].high");
          break;
        }
      }
      if (auto comps = Arr(root, RK("component"), "component")) {
        std::span<Component> components = arena_.Array<Component>(comps->size());
        f_.components = components;
        size_t i = 0;
        for (element c : *comps) {
          const Path p("component", i++);
          Component comp;
          if (auto code = ObjEl(c, "code", p + ".code")) comp.code = ReadConcept(*code, p + ".code");
          if (auto q = ObjEl(c, "valueQuantity", p + ".valueQuantity"))
            comp.quantity = ReadQuantity(*q, p + ".valueQuantity");
          if (auto v = ObjEl(c, "valueCodeableConcept", p + ".valueCodeableConcept"))
            comp.concept_value = ReadConcept(*v, p + ".valueCodeableConcept");
          components[i - 1] = comp;
        }
      }
      return;
    }
    if (kind == T::kDiagnosticReport) {
      if (auto a = Arr(root, RK("result"), "result")) {
        std::span<std::string_view> results = arena_.Array<std::string_view>(a->size());
        size_t n = 0;
        for (element r : *a) {
          auto s = Str(r, "reference", "result.reference");
          if (s) results[n++] = Keep(RefId(*s, "Observation"));
        }
        f_.results = results.first(n);
      }
      f_.conclusion_codes = Concepts(root, RK("conclusionCode"));
      return;
    }
    if (kind == T::kMedicationRequest || kind == T::kMedicationStatement ||
        kind == T::kMedicationAdministration) {
      f_.code = ConceptAt(root, RK("medicationCodeableConcept"));
      f_.medication_ref = Keep(RefId(ReferenceAt(root, RK("medicationReference")), "Medication"));
      f_.recorded = WhenAt(root, RK("authoredOn"));
      f_.when = WhenAt(root, RK("effectiveDateTime"));
      if (!f_.when.present) Period(root, RK("effectivePeriod"));
      return;
    }
    if (kind == T::kEncounter) {
      if (auto cls = ObjEl(root, RK("class"), "class")) {
        Concept c;
        c.codings = One(ReadCoding(*cls, "class"));
        f_.code = c;
      }
      Period(root, RK("period"));
      return;
    }
    if (kind == T::kProcedure) {
      if (ObjEl(root, RK("category"), "category"))
        f_.categories = One(ConceptAt(root, RK("category")));
      f_.when = WhenAt(root, RK("performedDateTime"));
      if (!f_.when.present) Period(root, RK("performedPeriod"));
      return;
    }
    if (kind == T::kServiceRequest) {
      f_.when = WhenAt(root, RK("occurrenceDateTime"));
      if (!f_.when.present) Period(root, RK("occurrencePeriod"));
      f_.recorded = WhenAt(root, RK("authoredOn"));
      return;
    }
  }

 private:
  Facts& f_;
  const CodeMap* codes_;
  TextArena& arena_;
};

}  // namespace

MappedType MappedTypeOf(std::string_view type) {
  for (size_t i = 0; i < kMappedTypes.size(); ++i)
    if (SameKey(kMappedTypes[i], type)) return static_cast<MappedType>(i);
  return MappedType::kNone;
}

void Read(simdjson::dom::element e, MappedType type, const CodeMap* codes, TextArena& arena,
          Facts& f) {
  assert(type != MappedType::kNone);
  Reader(f, codes, arena).Run(e, type, kMappedTypes[static_cast<size_t>(type)]);
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
  // "type/" at the start, else the last "/type/" (an absolute reference).
  const size_t t = type.size();
  size_t pos = std::string_view::npos;
  if (reference.size() > t && reference[t] == '/' && reference.starts_with(type)) {
    pos = 0;
  } else if (reference.size() >= t + 2) {
    for (size_t p = reference.size() - (t + 2) + 1; p-- > 0;)
      if (reference[p] == '/' && reference[p + t + 1] == '/' &&
          reference.substr(p + 1, t) == type) {
        pos = p + 1;
        break;
      }
  }
  if (pos == std::string_view::npos) return {};
  std::string_view id = reference.substr(pos + t + 1);
  if (id.empty() || id.find('/') != std::string_view::npos) return {};
  return id;
}

std::string_view PatientIdOf(std::string_view reference) { return RefId(reference, "Patient"); }

}  // namespace calfdvt::fhir::internal
