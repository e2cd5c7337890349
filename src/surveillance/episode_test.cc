#include "surveillance/episode.h"

#include <gtest/gtest.h>

namespace calfdvt::surveillance {
namespace {

namespace pw = calfdvt::pathway;

Date D(const char* s) { return *Date::Parse(s); }

// A serial-imaging index: imaging 2026-11-20, scans day 7 (11-25..11-29) and day 14 (12-02..12-06).
EpisodeIndex SerialIndex(pw::OnExtension on_ext = pw::OnExtension::kAnticoagulate) {
  EpisodeIndex i;
  i.classification = pw::Classification::kIsolatedDistal;
  i.strategy = pw::Strategy::kSerialImaging;
  i.on_extension = on_ext;
  i.imaging_date = D("2026-11-20");
  for (int day : {7, 14}) {
    pw::ScanPlan p;
    p.day = day;
    p.due = i.imaging_date.AddDays(day);
    p.window_start = p.due.AddDays(-2);
    p.window_end = p.due.AddDays(2);
    i.scans.push_back(p);
  }
  return i;
}

Event Booked(int day, const char* date) {
  Event e;
  e.type = EventType::kScanBooked;
  e.scan_day = day;
  e.date = D(date);
  return e;
}

Event Result(int day, const char* date, ScanResult r) {
  Event e;
  e.type = EventType::kScanResult;
  e.scan_day = day;
  e.date = D(date);
  e.result = r;
  return e;
}

Event Cancelled(int day, std::string reason, bool completes = false) {
  Event e;
  e.type = EventType::kScanCancelled;
  e.scan_day = day;
  e.reason = std::move(reason);
  e.completes_surveillance = completes;
  return e;
}

Event Started(const char* date) {
  Event e;
  e.type = EventType::kAnticoagulationStarted;
  e.date = D(date);
  return e;
}

std::vector<SafetyCode> Codes(const EpisodeState& s, const char* as_of) {
  std::vector<SafetyCode> out;
  for (const auto& a : SafetyChecks(s, D(as_of))) out.push_back(a.code);
  return out;
}

TEST(EpisodeTest, SerialImagingCreatesTwoScansInSurveillance) {
  EpisodeState s = InitialState(SerialIndex());
  EXPECT_EQ(s.phase, Phase::kSurveillance);
  ASSERT_EQ(s.scans.size(), 2u);
  EXPECT_EQ(s.scans[0].plan.due.ToString(), "2026-11-27");
  EXPECT_EQ(s.version, 0);
}

TEST(EpisodeTest, ScanStatusFollowsTheWindow) {
  EpisodeState s = InitialState(SerialIndex());
  const ScanState& d7 = s.scans[0];
  EXPECT_EQ(StatusAsOf(d7, D("2026-11-24")), ScanStatus::kUpcoming);
  EXPECT_EQ(StatusAsOf(d7, D("2026-11-25")), ScanStatus::kDue);
  EXPECT_EQ(StatusAsOf(d7, D("2026-11-29")), ScanStatus::kDue);
  EXPECT_EQ(StatusAsOf(d7, D("2026-11-30")), ScanStatus::kOverdue);
}

TEST(EpisodeTest, UntreatedWithNoScanBookedIsCriticalUntilBooked) {
  EpisodeState s = InitialState(SerialIndex());
  EXPECT_EQ(Codes(s, "2026-11-21"), std::vector<SafetyCode>{SafetyCode::kUntreatedWithoutFollowup});
  ASSERT_TRUE(Apply(s, Booked(7, "2026-11-27")).ok());
  EXPECT_TRUE(Codes(s, "2026-11-21").empty());
  EXPECT_EQ(s.version, 1);
}

TEST(EpisodeTest, OverdueScanIsCritical) {
  EpisodeState s = InitialState(SerialIndex());
  ASSERT_TRUE(Apply(s, Booked(7, "2026-11-27")).ok());
  auto alerts = SafetyChecks(s, D("2026-11-30"));
  ASSERT_EQ(alerts.size(), 1u);
  EXPECT_EQ(alerts[0].code, SafetyCode::kFollowupOverdue);
  EXPECT_EQ(alerts[0].scan_day, 7);
}

TEST(EpisodeTest, StableAtDay7ContinuesStableAtDay14Completes) {
  EpisodeState s = InitialState(SerialIndex());
  ASSERT_TRUE(Apply(s, Result(7, "2026-11-27", ScanResult::kStable)).ok());
  EXPECT_EQ(s.phase, Phase::kSurveillance);
  EXPECT_EQ(StatusAsOf(s.scans[0], D("2026-12-30")), ScanStatus::kCompleted);
  ASSERT_TRUE(Apply(s, Result(14, "2026-12-04", ScanResult::kStable)).ok());
  EXPECT_EQ(s.phase, Phase::kCompleted);
  EXPECT_FALSE(s.anticoagulated);
  EXPECT_TRUE(Codes(s, "2027-01-30").empty());
}

TEST(EpisodeTest, ResolvedCompletesAndCancelsRemainingScans) {
  EpisodeState s = InitialState(SerialIndex());
  ASSERT_TRUE(Apply(s, Result(7, "2026-11-27", ScanResult::kResolved)).ok());
  EXPECT_EQ(s.phase, Phase::kCompleted);
  EXPECT_TRUE(s.scans[1].cancelled);
  EXPECT_EQ(s.scans[1].cancel_reason, "resolved");
  EXPECT_TRUE(Codes(s, "2026-12-20").empty());
}

TEST(EpisodeTest, ExtensionAsksForReassessmentAndIsCriticalUntilTreated) {
  for (ScanResult r : {ScanResult::kExtendedDistal, ScanResult::kExtendedProximal}) {
    EpisodeState s = InitialState(SerialIndex());
    auto effect = Apply(s, Result(7, "2026-11-27", r));
    ASSERT_TRUE(effect.ok());
    EXPECT_EQ(effect->reassess, r);
    EXPECT_EQ(s.phase, Phase::kTreatment);
    EXPECT_EQ(s.strategy, r == ScanResult::kExtendedProximal ? pw::Strategy::kProximalDvtPathway
                                                             : pw::Strategy::kAnticoagulate);
    EXPECT_TRUE(s.scans[1].cancelled);
    auto codes = Codes(s, "2026-11-27");
    EXPECT_NE(std::find(codes.begin(), codes.end(), SafetyCode::kExtensionUntreated), codes.end());
    ASSERT_TRUE(Apply(s, Started("2026-11-27")).ok());
    EXPECT_TRUE(Codes(s, "2026-11-28").empty());
  }
}

TEST(EpisodeTest, ExtensionWithContraindicationGoesToSpecialistReview) {
  EpisodeState s = InitialState(SerialIndex(pw::OnExtension::kSpecialistReview));
  ASSERT_TRUE(Apply(s, Result(7, "2026-11-27", ScanResult::kExtendedProximal)).ok());
  EXPECT_EQ(s.phase, Phase::kSpecialistReview);
  EXPECT_FALSE(s.extension.has_value());
}

TEST(EpisodeTest, CancelledWithoutTreatmentOrCompletionIsCritical) {
  EpisodeState s = InitialState(SerialIndex());
  ASSERT_TRUE(Apply(s, Booked(14, "2026-12-04")).ok());
  ASSERT_TRUE(Apply(s, Cancelled(7, "patient could not attend")).ok());
  auto codes = Codes(s, "2026-11-26");
  EXPECT_EQ(codes, std::vector<SafetyCode>{SafetyCode::kScanCancelledUntreated});
  // Starting anticoagulation resolves it.
  ASSERT_TRUE(Apply(s, Started("2026-11-28")).ok());
  EXPECT_TRUE(Codes(s, "2026-11-28").empty());
}

TEST(EpisodeTest, CancellationWithCompletionReasonIsNotAnAlert) {
  EpisodeState s = InitialState(SerialIndex());
  ASSERT_TRUE(Apply(s, Result(7, "2026-11-27", ScanResult::kStable)).ok());
  ASSERT_TRUE(Apply(s, Cancelled(14, "resolved on CT venography", true)).ok());
  EXPECT_EQ(s.phase, Phase::kCompleted);
  EXPECT_TRUE(Codes(s, "2026-12-20").empty());
}

TEST(EpisodeTest, AnticoagulateIndexIsUntreatedUntilStarted) {
  EpisodeIndex i = SerialIndex();
  i.strategy = pw::Strategy::kAnticoagulate;
  i.scans.clear();
  EpisodeState s = InitialState(i);
  EXPECT_EQ(s.phase, Phase::kTreatment);
  EXPECT_EQ(Codes(s, "2026-11-21"), std::vector<SafetyCode>{SafetyCode::kUntreatedWithoutFollowup});
  ASSERT_TRUE(Apply(s, Started("2026-11-21")).ok());
  EXPECT_TRUE(Codes(s, "2026-11-21").empty());
}

TEST(EpisodeTest, RejectsEventsThatBreakTheRulesAndLeavesStateUnchanged) {
  EpisodeState s = InitialState(SerialIndex());
  ASSERT_TRUE(Apply(s, Result(7, "2026-11-27", ScanResult::kStable)).ok());
  const EpisodeState before = s;
  struct Case {
    Event e;
    const char* path;
  };
  Event no_date = Booked(14, "2026-12-04");
  no_date.date.reset();
  Event no_result = Result(14, "2026-12-04", ScanResult::kStable);
  no_result.result.reset();
  std::vector<Case> bad = {
      {Result(7, "2026-11-28", ScanResult::kStable), "scan_day"},   // already has a result
      {Result(21, "2026-12-11", ScanResult::kStable), "scan_day"},  // no such scan
      {Booked(14, "2026-11-19"), "date"},                           // before index imaging
      {no_date, "date"},
      {no_result, "result"},
      {Cancelled(14, ""), "reason"},
  };
  for (const auto& c : bad) {
    auto r = Apply(s, c.e);
    ASSERT_FALSE(r.ok()) << c.path;
    EXPECT_EQ(r.errors()[0].path, c.path);
    EXPECT_EQ(r.errors()[0].rule, "episode_state");
    EXPECT_EQ(s.version, before.version);
    EXPECT_EQ(s.phase, before.phase);
  }
}

TEST(EpisodeTest, ClosedEpisodeAcceptsNothing) {
  EpisodeState s = InitialState(SerialIndex());
  Event close;
  close.type = EventType::kEpisodeClosed;
  close.reason = "transferred to another hospital";
  ASSERT_TRUE(Apply(s, close).ok());
  EXPECT_EQ(s.phase, Phase::kClosed);
  EXPECT_TRUE(Codes(s, "2026-12-30").empty());
  EXPECT_FALSE(Apply(s, Booked(7, "2026-11-27")).ok());
}

TEST(EpisodeTest, ReplayEqualsStepwiseApplication) {
  std::vector<Event> log = {Booked(7, "2026-11-27"), Result(7, "2026-11-27", ScanResult::kStable),
                            Result(14, "2026-12-04", ScanResult::kExtendedDistal),
                            Started("2026-12-04")};
  EpisodeState stepwise = InitialState(SerialIndex());
  for (const auto& e : log) ASSERT_TRUE(Apply(stepwise, e).ok());
  EpisodeState replayed = Replay(SerialIndex(), log);
  EXPECT_EQ(replayed.version, 4);
  EXPECT_EQ(replayed.phase, stepwise.phase);
  EXPECT_EQ(replayed.anticoagulated, true);
  EXPECT_EQ(StandingAlertFlags(replayed), 0u);
}

}  // namespace
}  // namespace calfdvt::surveillance
