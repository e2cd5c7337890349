// The application layer behind the JSON API and the CLI's demo seeding: stateless assessment,
// episode creation, events (re-assessment on extension), worklist and audit. No HTTP here: inputs
// are JSON texts and identifiers, outputs are JSON documents or errors (core::Result), so the
// same calls serve HTTP handlers, the CLI and tests.
//
// Thread safety: all methods may run concurrently; the store serialises writes per episode with
// optimistic versioning.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "core/status.h"
#include "pathway/knowledge.h"
#include "server/clock.h"
#include "store/store.h"

namespace calfdvt::server {

struct ServiceContext {
  store::Store* store = nullptr;             // not owned
  const pathway::Knowledge* knowledge = nullptr;  // not owned; immutable
  Clock* clock = nullptr;
  RandomSource* random = nullptr;
};

struct Created {
  std::string id;
  std::string json;
};

class EpisodeService {
 public:
  explicit EpisodeService(ServiceContext ctx) : ctx_(ctx) {}

  // calfdvt/assessment@1 for a calfdvt/case@1 body. `profile` "" = the knowledge default.
  core::Result<std::string> Assess(std::string_view case_json, std::string_view profile) const;

  // Assesses the case and opens an episode for `patient_id` (required, 1-128 printable
  // characters). Answers the episode document.
  core::Result<Created> CreateEpisode(std::string_view case_json, std::string_view patient_id,
                                      std::string_view profile, const std::string& actor);

  // The episode document with scan statuses and safety alerts as of `as_of` (default: today).
  core::Result<std::string> GetEpisode(std::string_view id, std::optional<core::Date> as_of);
  core::Result<std::string> ListEpisodes(std::string_view patient_id, std::optional<core::Date> as_of);

  // Validates and appends one calfdvt/event@1. With expected_version in the body a stale version
  // is a conflict; without it the service re-reads and retries a few times on a concurrent write.
  core::Result<std::string> AppendEvent(std::string_view id, std::string_view event_json,
                                        const std::string& actor);

  core::Result<std::string> Worklist(const store::WorklistQuery& q);
  core::Result<std::string> Audit(std::string_view id);

  const pathway::Knowledge& knowledge() const { return *ctx_.knowledge; }

 private:
  core::Result<std::string> AppendOnce(std::string_view id, std::string_view event_json,
                                       const std::string& actor, bool* conflict);
  ServiceContext ctx_;
};

}  // namespace calfdvt::server
