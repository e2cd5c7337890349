// Recovers a surveillance episode's index (classification, strategy, planned scans) from its
// stored index assessment document, so that episode state is always replayed from what was
// decided at the time, whatever the knowledge in force today.
#pragma once

#include <string_view>

#include "core/status.h"
#include "surveillance/episode.h"

namespace calfdvt::formats {

core::Result<surveillance::EpisodeIndex> ParseEpisodeIndex(std::string_view assessment_json,
                                                           core::Date imaging_date);

}  // namespace calfdvt::formats
