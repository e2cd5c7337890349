#include "pathway/validate.h"

#include "pathway/decide.h"

namespace calfdvt::pathway {

core::Errors CheckCase(const Case& c, const Knowledge& k) {
  core::Errors errors;
  if (c.bleeding.risk && c.bleeding.factors) {
    const BleedingResult scored = internal::EvaluateBleeding(Bleeding{std::nullopt, c.bleeding.factors, std::nullopt}, k);
    const auto given = static_cast<BleedingCategory>(*c.bleeding.risk);
    if (scored.category != given) {
      errors.push_back({"bleeding.risk", "contradiction",
                        "\"" + std::string(kBleedingRiskNames.Name(*c.bleeding.risk)) +
                            "\" disagrees with bleeding.factors, which score " +
                            std::to_string(scored.points.value_or(0)) + " points (" +
                            std::string(kBleedingCategoryNames.Name(scored.category)) + ")"});
    }
  }
  return errors;
}

}  // namespace calfdvt::pathway
