// JSON documents of the episode API: calfdvt/episode@1, the worklist and the audit trail. Stored
// JSON (case, assessments, event bodies) is embedded verbatim.
#pragma once

#include <string>

#include "core/date.h"
#include "pathway/knowledge.h"
#include "store/store.h"
#include "surveillance/episode.h"

namespace calfdvt::server {

void AppendEpisodeJson(const store::EpisodeRecord& rec, const surveillance::EpisodeState& state,
                       core::Date as_of, const pathway::Knowledge& k, std::string& out);

std::string WorklistJson(const store::WorklistPage& page, const store::WorklistQuery& q,
                         const pathway::Knowledge& k);

// {"<id_key>": id, "entries": [...]}: an audit trail (episodes: "episode_id"; procedures:
// "procedure_id"). `change` is the stored change JSON, or null.
std::string AuditJson(std::string_view id_key, std::string_view id,
                      const std::vector<store::AuditEntry>& entries);

// Projection written to the store for a state.
store::Projection ProjectionOf(const surveillance::EpisodeState& state);

}  // namespace calfdvt::server
