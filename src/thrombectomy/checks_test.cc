// Protocol checks (clinical-spec §7): each check fires, does not fire, and (where its inputs can be
// unknown) is unknown, on records that differ from a clean published-like record in one field.
#include "thrombectomy/checks.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "thrombectomy/test_knowledge.h"

namespace calfdvt::thrombectomy {
namespace {

using ::testing::HasSubstr;
using test_support::PublishedLikeProcedure;
using test_support::TestKnowledge;
using core::Vein;

CheckResult Check(const Procedure& p, CheckId id) {
  const auto results = ProtocolChecks(p, TestKnowledge());
  return results.at(static_cast<size_t>(id));
}

CheckStatus Status(const Procedure& p, CheckId id) { return Check(p, id).status; }

TEST(ProtocolChecks, EveryCheckIsReturnedInOrderWithItsKnowledge) {
  const auto results = ProtocolChecks(PublishedLikeProcedure(), TestKnowledge());
  ASSERT_EQ(results.size(), kCheckCount);
  for (size_t i = 0; i < kCheckCount; ++i) {
    const CheckResult& r = results[i];
    EXPECT_EQ(r.id, static_cast<CheckId>(i));
    const CheckDef& def = TestKnowledge().checks[i];
    EXPECT_EQ(r.severity, def.severity);
    EXPECT_EQ(r.title, def.title);
    EXPECT_EQ(r.message, def.message);
    EXPECT_EQ(r.basis, def.basis);
    EXPECT_EQ(r.sources, def.sources);
    EXPECT_FALSE(r.detail.empty()) << kCheckIdNames.names[i];
  }
  EXPECT_EQ(results[static_cast<size_t>(CheckId::kNoEmbolicProtection)].severity,
            Severity::kCritical);
}

TEST(ProtocolChecks, NoneFiresOnThePublishedLikeRecord) {
  for (const CheckResult& r : ProtocolChecks(PublishedLikeProcedure(), TestKnowledge()))
    EXPECT_EQ(r.status, CheckStatus::kNotFired) << kCheckIdNames.Name(r.id) << ": " << r.detail;
}

TEST(ProtocolChecks, SeverityComesFromTheKnowledge) {
  ThrombectomyKnowledge k = TestKnowledge();
  k.checks[static_cast<size_t>(CheckId::kNoEmbolicProtection)].severity = Severity::kInfo;
  Procedure p = PublishedLikeProcedure();
  p.ivc_filter = IvcFilter::kNone;
  const auto r = ProtocolChecks(p, k)[static_cast<size_t>(CheckId::kNoEmbolicProtection)];
  EXPECT_EQ(r.severity, Severity::kInfo);
  EXPECT_EQ(r.status, CheckStatus::kFired);
}

// --- no_embolic_protection ------------------------------------------------------------------

TEST(NoEmbolicProtection, FiresWithoutFilterOrWhenNotRecorded) {
  Procedure p = PublishedLikeProcedure();
  p.ivc_filter = IvcFilter::kNone;
  EXPECT_EQ(Check(p, CheckId::kNoEmbolicProtection).status, CheckStatus::kFired);
  EXPECT_EQ(Check(p, CheckId::kNoEmbolicProtection).detail, "ivc_filter none");
  p.ivc_filter.reset();
  EXPECT_EQ(Check(p, CheckId::kNoEmbolicProtection).status, CheckStatus::kFired);
  EXPECT_EQ(Check(p, CheckId::kNoEmbolicProtection).detail, "ivc_filter not recorded");
}

TEST(NoEmbolicProtection, DoesNotFireWithAFilter) {
  Procedure p = PublishedLikeProcedure();
  for (IvcFilter f : {IvcFilter::kTemporary, IvcFilter::kPermanent}) {
    p.ivc_filter = f;
    EXPECT_EQ(Status(p, CheckId::kNoEmbolicProtection), CheckStatus::kNotFired);
  }
}

// --- squeezes_beyond_published ---------------------------------------------------------------

TEST(SqueezesBeyondPublished, FiresAboveThreeOnly) {
  Procedure p = PublishedLikeProcedure();
  const Squeeze s = p.squeezes[0];
  p.squeezes = {s, s, s};
  EXPECT_EQ(Status(p, CheckId::kSqueezesBeyondPublished), CheckStatus::kNotFired);
  p.squeezes.push_back(s);
  const CheckResult r = Check(p, CheckId::kSqueezesBeyondPublished);
  EXPECT_EQ(r.status, CheckStatus::kFired);
  EXPECT_EQ(r.detail, "4 squeezes; the published maximum is 3");
  p.squeezes.clear();
  EXPECT_EQ(Status(p, CheckId::kSqueezesBeyondPublished), CheckStatus::kNotFired);
}

TEST(SqueezesBeyondPublished, ThresholdComesFromTheKnowledge) {
  ThrombectomyKnowledge k = TestKnowledge();
  k.max_published_squeezes = 1;
  Procedure p = PublishedLikeProcedure();
  p.squeezes.push_back(p.squeezes[0]);
  EXPECT_EQ(ProtocolChecks(p, k)[static_cast<size_t>(CheckId::kSqueezesBeyondPublished)].status,
            CheckStatus::kFired);
}

// --- squeeze_without_aspiration ----------------------------------------------------------------

TEST(SqueezeWithoutAspiration, FiresOnASqueezeWithNoThrombusAspirated) {
  Procedure p = PublishedLikeProcedure();
  p.squeezes.push_back(Squeeze{{Vein::kSoleal}, true, false});
  const CheckResult r = Check(p, CheckId::kSqueezeWithoutAspiration);
  EXPECT_EQ(r.status, CheckStatus::kFired);
  EXPECT_EQ(r.detail, "no thrombus aspirated after squeezes[1] (migration observed)");
}

TEST(SqueezeWithoutAspiration, UnknownWhenNotRecorded) {
  Procedure p = PublishedLikeProcedure();
  p.squeezes[0].thrombus_aspirated.reset();
  const CheckResult r = Check(p, CheckId::kSqueezeWithoutAspiration);
  EXPECT_EQ(r.status, CheckStatus::kUnknown);
  EXPECT_THAT(r.detail, HasSubstr("squeezes[0]"));
  // A known failure outranks an unknown.
  p.squeezes.push_back(Squeeze{{Vein::kSoleal}, false, false});
  EXPECT_EQ(Status(p, CheckId::kSqueezeWithoutAspiration), CheckStatus::kFired);
}

TEST(SqueezeWithoutAspiration, DoesNotFireWhenEverySqueezeAspiratedOrNoneWasDone) {
  Procedure p = PublishedLikeProcedure();
  EXPECT_EQ(Status(p, CheckId::kSqueezeWithoutAspiration), CheckStatus::kNotFired);
  p.squeezes.clear();
  EXPECT_EQ(Check(p, CheckId::kSqueezeWithoutAspiration).detail, "no squeeze recorded");
  EXPECT_EQ(Status(p, CheckId::kSqueezeWithoutAspiration), CheckStatus::kNotFired);
}

// --- isolated_calf_dvt_indication ----------------------------------------------------------------

TEST(IsolatedCalfDvtIndication, FiresWhenOnlyCalfVeinsAreThrombosed) {
  Procedure p = PublishedLikeProcedure();
  p.indication->thrombosed_veins = {Vein::kPeroneal, Vein::kSoleal};
  CheckResult r = Check(p, CheckId::kIsolatedCalfDvtIndication);
  EXPECT_EQ(r.status, CheckStatus::kFired);
  EXPECT_EQ(r.detail, "indication.thrombosed_veins are calf veins only: peroneal, soleal");
  // Superficial veins are ignored: still isolated calf DVT.
  p.indication->thrombosed_veins = {Vein::kGreatSaphenous, Vein::kTibioperonealTrunk};
  EXPECT_EQ(Status(p, CheckId::kIsolatedCalfDvtIndication), CheckStatus::kFired);
}

TEST(IsolatedCalfDvtIndication, DoesNotFireWithProximalThrombus) {
  Procedure p = PublishedLikeProcedure();
  EXPECT_EQ(Status(p, CheckId::kIsolatedCalfDvtIndication), CheckStatus::kNotFired);
  p.indication->thrombosed_veins = {Vein::kPopliteal, Vein::kSoleal};
  const CheckResult r = Check(p, CheckId::kIsolatedCalfDvtIndication);
  EXPECT_EQ(r.status, CheckStatus::kNotFired);
  EXPECT_EQ(r.detail, "thrombus beyond the calf veins: popliteal");
  p.indication->thrombosed_veins = std::vector<Vein>{Vein::kSmallSaphenous};
  EXPECT_EQ(Status(p, CheckId::kIsolatedCalfDvtIndication), CheckStatus::kNotFired);
}

TEST(IsolatedCalfDvtIndication, UnknownWithoutThrombosedVeins) {
  Procedure p = PublishedLikeProcedure();
  p.indication->thrombosed_veins.reset();
  EXPECT_EQ(Status(p, CheckId::kIsolatedCalfDvtIndication), CheckStatus::kUnknown);
  p.indication.reset();
  EXPECT_EQ(Status(p, CheckId::kIsolatedCalfDvtIndication), CheckStatus::kUnknown);
}

// --- outside_eligibility ----------------------------------------------------------------------

TEST(OutsideEligibility, FiresWhenASqueezeTargetsNoEligibleVeinBelowTheAccess) {
  Procedure p = PublishedLikeProcedure();
  p.squeezes.push_back(Squeeze{{Vein::kFemoral, Vein::kCommonFemoral}, true, true});
  const CheckResult r = Check(p, CheckId::kOutsideEligibility);
  EXPECT_EQ(r.status, CheckStatus::kFired);
  EXPECT_EQ(r.detail,
            "squeezes[1] targets femoral, common_femoral: no eligible vein below the access_vein "
            "popliteal");
}

TEST(OutsideEligibility, AnEligibleVeinAboveTheAccessDoesNotCount) {
  // Posterior tibial access: the popliteal vein lies above it, the posterior tibial vein itself
  // (below the puncture) counts, a muscular vein at the same level does not.
  Procedure p = PublishedLikeProcedure();
  p.access_vein = Vein::kPosteriorTibial;
  p.squeezes = {Squeeze{{Vein::kPopliteal}, true, true}};
  EXPECT_EQ(Status(p, CheckId::kOutsideEligibility), CheckStatus::kFired);
  p.squeezes = {Squeeze{{Vein::kGastrocnemiusMedial}, true, true}};
  EXPECT_EQ(Status(p, CheckId::kOutsideEligibility), CheckStatus::kFired);
  p.squeezes = {Squeeze{{Vein::kPosteriorTibial}, true, true}};
  EXPECT_EQ(Status(p, CheckId::kOutsideEligibility), CheckStatus::kNotFired);
  // Femoral access: the popliteal and calf veins lie below it.
  p.access_vein = Vein::kFemoral;
  p.squeezes = {Squeeze{{Vein::kPopliteal}, true, true}, Squeeze{{Vein::kSoleal}, true, true}};
  const CheckResult r = Check(p, CheckId::kOutsideEligibility);
  EXPECT_EQ(r.status, CheckStatus::kNotFired);
  EXPECT_EQ(r.detail,
            "eligible veins below the access_vein femoral targeted by squeezes[0]: popliteal; "
            "squeezes[1]: soleal");
}

TEST(OutsideEligibility, BeforeTheFirstSqueezeUsesTheIndication) {
  Procedure p = PublishedLikeProcedure();
  p.squeezes.clear();
  EXPECT_EQ(Status(p, CheckId::kOutsideEligibility), CheckStatus::kNotFired);
  p.indication->thrombosed_veins = {Vein::kCommonIliac, Vein::kExternalIliac, Vein::kCommonFemoral};
  EXPECT_EQ(Status(p, CheckId::kOutsideEligibility), CheckStatus::kFired);
  p.indication->thrombosed_veins.reset();
  EXPECT_EQ(Status(p, CheckId::kOutsideEligibility), CheckStatus::kUnknown);
}

TEST(OutsideEligibility, UnknownWhenTheAccessVeinHasNoLevel) {
  Procedure p = PublishedLikeProcedure();
  p.access_vein = Vein::kSmallSaphenous;
  EXPECT_EQ(Status(p, CheckId::kOutsideEligibility), CheckStatus::kUnknown);
  // A squeeze targeting only ineligible veins fires whatever the access level.
  p.squeezes = {Squeeze{{Vein::kSmallSaphenous}, true, true}};
  EXPECT_EQ(Status(p, CheckId::kOutsideEligibility), CheckStatus::kFired);
}

TEST(BelowAccess, FollowsTheVeinLevels) {
  const auto& k = TestKnowledge();
  EXPECT_EQ(BelowAccess(Vein::kSoleal, Vein::kPopliteal, k), true);
  EXPECT_EQ(BelowAccess(Vein::kPopliteal, Vein::kPopliteal, k), true);
  EXPECT_EQ(BelowAccess(Vein::kFemoral, Vein::kPopliteal, k), false);
  EXPECT_EQ(BelowAccess(Vein::kSoleal, Vein::kPeroneal, k), false);
  EXPECT_EQ(BelowAccess(Vein::kSoleal, Vein::kGreatSaphenous, k), std::nullopt);
}

}  // namespace
}  // namespace calfdvt::thrombectomy
