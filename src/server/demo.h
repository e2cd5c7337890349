// Demo episodes for a first look at the server: created through EpisodeService exactly as API
// clients would, with dates relative to `today` so the worklist always shows due, overdue and
// upcoming scans and the critical alerts. Fictional patients (DEMO-001..).
#pragma once

#include "core/status.h"
#include "server/episode_service.h"

namespace calfdvt::server {

// Seeds the demo episodes unless the store already holds episodes of patient DEMO-001.
// Returns the number of episodes created.
core::Result<int> SeedDemoData(EpisodeService& service, store::Store& store, core::Date today);

}  // namespace calfdvt::server
