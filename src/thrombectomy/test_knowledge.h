// Test support: a ThrombectomyKnowledge with the values of knowledge/calf-squeeze.json 1.0.0, built
// in code so that the pure module's tests need no file or parser. The formats tests assert that
// the shipped file loads to the same values (thrombectomy_knowledge_json_test.cc).
#pragma once

#include "thrombectomy/knowledge.h"
#include "thrombectomy/procedure.h"

namespace calfdvt::thrombectomy::test_support {

const ThrombectomyKnowledge& TestKnowledge();

// A record like those of the published series: left leg, popliteal access, temporary IVC filter,
// iliac obstruction with thrombus from the common iliac vein to the calf, one squeeze of the
// popliteal and medial gastrocnemius veins with migration and aspiration, antegrade flow with 10%
// residual thrombus, no complications. No check fires on it.
Procedure PublishedLikeProcedure();

}  // namespace calfdvt::thrombectomy::test_support
