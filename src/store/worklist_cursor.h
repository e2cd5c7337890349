// The worklist's opaque pagination cursor: the sort key of the last item of a page. Keyset
// pagination resumes strictly after it, so every item is returned exactly once across pages as
// long as the data does not change in between (items whose key moves are seen at their new place).
//
// Format (internal, may change with the schema version): base64url without padding of
// "w1|RANK|YYYY-MM-DD|TIE|EPISODE_ID", where TIE is the scan day (ranks 1-3) or the alert code
// (rank 0). Clients must treat it as opaque.
#pragma once

#include <string>
#include <string_view>

#include "core/date.h"
#include "core/status.h"

namespace calfdvt::store {

struct CursorKey {
  int rank = 0;     // 0..3, see WorklistQuery
  core::Date date;  // the rank's sort date
  std::string episode_id;
  int tie = 0;  // scan day or alert code
};

std::string EncodeCursor(const CursorKey& key);

// kInvalidInput with path "cursor" when the text is not a cursor this build produced.
core::Result<CursorKey> DecodeCursor(std::string_view cursor);

}  // namespace calfdvt::store
