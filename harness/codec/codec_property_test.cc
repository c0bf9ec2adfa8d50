// Property tests (rapidcheck) of both schedule forms: the decoder is total
// and bounded, encode and decode are inverse, print and parse are inverse,
// single-byte mutations stay local, and the parser survives mangled text.
//
// All rapidcheck properties of the codec live in this one file because it is
// the slow one to compile.

#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include <cstdint>
#include <string>
#include <vector>

#include "harness/codec/codec.h"
#include "harness/codec/sched_text.h"
#include "harness/codec/schedule_gen.h"
#include "harness/violation.h"
#include "tophash/policy.h"

namespace thfuzz {
namespace {

using Bytes = std::vector<uint8_t>;
using Ops = std::vector<Operation>;

void AssertWithinCaps(const Schedule& schedule) {
  RC_ASSERT(ValidateSchedule(schedule) == "");
  RC_ASSERT(schedule.TotalOps() <= Schedule::kMaxTotalOps);
  RC_ASSERT(schedule.decisions.size() <= Schedule::kMaxDecisions);
}

// `longer` is `shorter` with one operation inserted somewhere.
bool DiffersByOneInsertion(const Ops& longer, const Ops& shorter) {
  if (longer.size() != shorter.size() + 1) return false;
  size_t i = 0;
  while (i < shorter.size() && longer[i] == shorter[i]) ++i;
  return std::equal(shorter.begin() + i, shorter.end(), longer.begin() + i + 1);
}

bool DiffersByOneReplacement(const Ops& a, const Ops& b) {
  if (a.size() != b.size()) return false;
  size_t differences = 0;
  for (size_t i = 0; i < a.size(); ++i) differences += a[i] != b[i];
  return differences == 1;
}

// True if `b` is `a` with at most one operation changed, moved to another
// thread, or dropped (a record that moved to a full thread), and nothing
// else touched.
bool DiffersInAtMostOneOp(Schedule a, Schedule b) {
  if (a.threads.size() != b.threads.size()) return false;
  std::vector<size_t> changed;
  for (size_t t = 0; t < a.threads.size(); ++t) {
    if (a.threads[t] != b.threads[t]) changed.push_back(t);
  }
  auto threads_a = std::move(a.threads), threads_b = std::move(b.threads);
  if (a != b) return false;  // a header field or a decision changed
  if (changed.empty()) return true;
  const Ops& a0 = threads_a[changed[0]];
  const Ops& b0 = threads_b[changed[0]];
  if (changed.size() == 1) {
    return DiffersByOneReplacement(a0, b0) || DiffersByOneInsertion(a0, b0);
  }
  if (changed.size() > 2) return false;
  const Ops& a1 = threads_a[changed[1]];
  const Ops& b1 = threads_b[changed[1]];
  return (DiffersByOneInsertion(a0, b0) && DiffersByOneInsertion(b1, a1)) ||
         (DiffersByOneInsertion(b0, a0) && DiffersByOneInsertion(a1, b1));
}

// Unset, or any value of the table's rows.
template <class Row, size_t N>
auto OptionalValueOf(const Row (&rows)[N]) {
  std::vector<std::optional<decltype(Row::value)>> values = {std::nullopt};
  for (const Row& row : rows) values.push_back(row.value);
  return rc::gen::elementOf(values);
}

rc::Gen<SchedMeta> Metas() {
  auto expect = OptionalValueOf(kViolationKinds);
  auto fault = OptionalValueOf(tophash::kFaults);
  auto executor = OptionalValueOf(kExecutors);
  auto note =
      rc::gen::container<std::string>(rc::gen::inRange<char>(' ', '~' + 1));
  return rc::gen::build<SchedMeta>(
      rc::gen::set(&SchedMeta::expect, expect),
      rc::gen::set(&SchedMeta::fault, fault),
      rc::gen::set(&SchedMeta::executor, executor),
      rc::gen::set(&SchedMeta::notes,
                   rc::gen::resize(
                       4, rc::gen::container<std::vector<std::string>>(note))));
}

// --- Binary form -----------------------------------------------------------

RC_GTEST_PROP(CodecPropertyTest, DecodeIsTotalOnArbitraryBytes,
              (const Bytes& bytes)) {
  AssertWithinCaps(DecodeSchedule(bytes));
}

RC_GTEST_PROP(CodecPropertyTest, DecodeRespectsCapsOnLongInputs, ()) {
  // Long enough to exceed every cap: 256 records and 4096 decisions.
  auto bytes = *rc::gen::resize(
      20000, rc::gen::container<Bytes>(rc::gen::arbitrary<uint8_t>()));
  const auto count = *rc::gen::inRange<uint16_t>(0, 600);
  if (bytes.size() > kCodecOpCountAt + 1) {
    bytes[kCodecOpCountAt] = static_cast<uint8_t>(count);
    bytes[kCodecOpCountAt + 1] = static_cast<uint8_t>(count >> 8);
  }
  Schedule schedule = DecodeSchedule(bytes);
  AssertWithinCaps(schedule);
  for (const auto& ops : schedule.threads) {
    RC_ASSERT(ops.size() <= Schedule::kMaxOpsPerThread);
  }
}

RC_GTEST_PROP(CodecPropertyTest, EncodeThenDecodeIsIdentity,
              (const Schedule& schedule)) {
  RC_ASSERT(ValidateSchedule(schedule) == "");
  RC_ASSERT(DecodeSchedule(EncodeSchedule(schedule)) == schedule);
}

RC_GTEST_PROP(CodecPropertyTest, DecodedSchedulesAreCanonical,
              (const Bytes& bytes)) {
  Schedule schedule = DecodeSchedule(bytes);
  RC_ASSERT(DecodeSchedule(EncodeSchedule(schedule)) == schedule);
}

RC_GTEST_PROP(CodecPropertyTest, FlippingAnOpRecordByteChangesAtMostOneOp,
              (const Schedule& schedule)) {
  RC_PRE(schedule.TotalOps() > 0);
  Bytes bytes = EncodeSchedule(schedule);
  size_t record = *rc::gen::inRange<size_t>(0, schedule.TotalOps());
  size_t byte = *rc::gen::inRange<size_t>(0, kCodecOpRecordSize);
  size_t header = schedule.granularity == Granularity::kCoarse
                      ? kCodecHeaderSize
                      : kCodecHeaderSizeV2;
  size_t at = header + record * kCodecOpRecordSize + byte;
  bytes[at] = *rc::gen::arbitrary<uint8_t>();
  RC_ASSERT(DiffersInAtMostOneOp(schedule, DecodeSchedule(bytes)));
}

RC_GTEST_PROP(CodecPropertyTest, FlippingADecisionByteChangesOneDecision,
              (Schedule schedule)) {
  if (schedule.decisions.empty()) schedule.decisions = {0};
  Bytes bytes = EncodeSchedule(schedule);
  size_t index = *rc::gen::inRange<size_t>(0, schedule.decisions.size());
  uint8_t value = *rc::gen::arbitrary<uint8_t>();
  bytes[bytes.size() - schedule.decisions.size() + index] = value;
  Schedule expected = schedule;
  expected.decisions[index] = value;
  RC_ASSERT(DecodeSchedule(bytes) == expected);
}

RC_GTEST_PROP(CodecPropertyTest, FlippingAMapSettingChangesOnlyThatSetting,
              (const Schedule& schedule)) {
  Bytes bytes = EncodeSchedule(schedule);
  const size_t at = *rc::gen::element<size_t>(
      kCodecKeyShapeAt, kCodecShardsLog2At, kCodecInitialCapacityAt,
      kCodecInitialCapacityAt + 1, kCodecSeedAt, kCodecSeedAt + 3,
      kCodecSeedAt + 7);
  bytes[at] = *rc::gen::arbitrary<uint8_t>();
  Schedule decoded = DecodeSchedule(bytes);
  Schedule expected = schedule;
  expected.key_shape = decoded.key_shape;
  expected.shards_log2 = decoded.shards_log2;
  expected.initial_capacity = decoded.initial_capacity;
  expected.seed = decoded.seed;
  RC_ASSERT(decoded == expected);
}

RC_GTEST_PROP(CodecPropertyTest, AppendingBytesOnlyAddsDecisions,
              (const Schedule& schedule, const Bytes& tail)) {
  Bytes bytes = EncodeSchedule(schedule);
  bytes.insert(bytes.end(), tail.begin(), tail.end());
  Schedule expected = schedule;
  expected.decisions.insert(expected.decisions.end(), tail.begin(), tail.end());
  if (expected.decisions.size() > Schedule::kMaxDecisions) {
    expected.decisions.resize(Schedule::kMaxDecisions);
  }
  RC_ASSERT(DecodeSchedule(bytes) == expected);
}

// Every version byte but 2 reads version 1 (coarse schedules).
RC_GTEST_PROP(CodecPropertyTest, UnknownVersionsDecodeAsVersionOne,
              (Schedule schedule, uint8_t version)) {
  RC_PRE(version != kCodecVersionWithGranularity);
  schedule.granularity = Granularity::kCoarse;
  Bytes bytes = EncodeSchedule(schedule);
  bytes[kCodecVersionAt] = version;
  RC_ASSERT(DecodeSchedule(bytes) == schedule);
}

// The granularity byte of version 2 changes the granularity and nothing
// else.
RC_GTEST_PROP(CodecPropertyTest, FlippingTheGranularityChangesOnlyIt,
              (Schedule schedule, uint8_t granularity)) {
  RC_PRE(schedule.granularity != Granularity::kCoarse);
  Bytes bytes = EncodeSchedule(schedule);
  bytes[kCodecGranularityAt] = granularity;
  Schedule decoded = DecodeSchedule(bytes);
  schedule.granularity = static_cast<Granularity>(granularity % 3);
  RC_ASSERT(decoded == schedule);
}

// --- Text form -------------------------------------------------------------

RC_GTEST_PROP(CodecPropertyTest, PrintThenParseIsIdentity,
              (const Schedule& schedule)) {
  SchedMeta meta = *Metas();
  std::string text = PrintSchedule(schedule, meta);
  ParseResult parsed = ParseSchedule(text, "generated.sched");
  RC_ASSERT(parsed.error == "");
  RC_ASSERT(parsed.schedule == schedule);
  RC_ASSERT(parsed.meta == meta);
  RC_ASSERT(PrintSchedule(*parsed.schedule, parsed.meta) == text);
}

// Deleting, duplicating or replacing one character of a valid text gives
// either a valid schedule or an error that names file, line and column.
RC_GTEST_PROP(CodecPropertyTest, ParserSurvivesMangledText,
              (const Schedule& schedule)) {
  std::string text = PrintSchedule(schedule, *Metas());
  size_t at = *rc::gen::inRange<size_t>(0, text.size());
  switch (*rc::gen::inRange(0, 3)) {
    case 0:
      text.erase(at, 1);
      break;
    case 1:
      text.insert(at, 1, text[at]);
      break;
    default:
      text[at] = *rc::gen::elementOf(std::string(" \n#:k019azx-_"));
  }
  ParseResult parsed = ParseSchedule(text, "m.sched");
  if (parsed.ok()) {
    RC_ASSERT(ValidateSchedule(*parsed.schedule) == "");
    RC_ASSERT(parsed.error == "");
  } else {
    RC_ASSERT(parsed.error.starts_with("m.sched:"));
    RC_ASSERT(parsed.error.find(": expected ") != std::string::npos);
  }
}

RC_GTEST_PROP(CodecPropertyTest, GeneratorMakesValidRealisticSchedules,
              (const Schedule& schedule)) {
  RC_ASSERT(ValidateSchedule(schedule) == "");
  RC_ASSERT(schedule.threads.size() <= Schedule::kMaxThreads);
  for (const auto& ops : schedule.threads) RC_ASSERT(ops.size() <= 12u);
  RC_CLASSIFY(schedule.threads.size() >= 2 && schedule.threads.size() <= 4,
              "2-4 threads");
  RC_CLASSIFY(schedule.key_shape == KeyShape::kCollide, "collide");
  RC_CLASSIFY(!schedule.decisions.empty(), "decisions");
  RC_CLASSIFY(schedule.TotalOps() >= 8, ">= 8 operations");
  size_t writes = 0;
  for (const auto& ops : schedule.threads) {
    for (const Operation& op : ops) writes += IsWrite(op.kind);
  }
  RC_CLASSIFY(writes > 0, "writes");
}

}  // namespace
}  // namespace thfuzz
