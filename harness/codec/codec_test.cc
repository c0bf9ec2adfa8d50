// Example-based tests of the binary codec: the documented layout (the hex
// examples of FORMAT.md), how out-of-range values are reduced, and the caps.
// The properties (totality, round trip, locality) are in
// codec_property_test.cc.

#include "harness/codec/codec.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <vector>

#include "harness/codec/documented_schedule.h"

namespace thfuzz {
namespace {

using Bytes = std::vector<uint8_t>;

const Bytes kDocumentedBytes = {
    0x01, 0x01, 0x03, 0x01, 0x01, 0x00, 0x00, 0x04, 0x00,  // header
    0x2a, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,        // seed
    0x00, 0x01, 0x01, 0x00,                                // T0 insert k1
    0x00, 0x06, 0x2c, 0x01,                                // T0 reserve 300
    0x01, 0x00, 0x01, 0x00,                                // T1 find k1
    0x01, 0x04, 0x00, 0x00,                                // T1 size
    0x01, 0x00, 0x01,                                      // decisions
};

TEST(CodecBinaryTest, EncodesTheDocumentedExample) {
  EXPECT_EQ(EncodeSchedule(DocumentedSchedule()), kDocumentedBytes);
  EXPECT_EQ(DecodeSchedule(kDocumentedBytes), DocumentedSchedule());
}

// Version 2 is version 1 with the granularity byte after the seed; coarse
// schedules still encode as version 1, byte for byte.
TEST(CodecBinaryTest, FineAndWeakSchedulesUseVersionTwo) {
  for (Granularity granularity : {Granularity::kFine, Granularity::kWeak}) {
    Schedule schedule = DocumentedSchedule();
    schedule.granularity = granularity;
    Bytes expected = kDocumentedBytes;
    expected[kCodecVersionAt] = kCodecVersionWithGranularity;
    expected.insert(expected.begin() + kCodecGranularityAt,
                    static_cast<uint8_t>(granularity));
    EXPECT_EQ(EncodeSchedule(schedule), expected);
    EXPECT_EQ(DecodeSchedule(expected), schedule);
  }
}

TEST(CodecBinaryTest, OnlyVersionByteTwoReadsAGranularity) {
  Bytes bytes = kDocumentedBytes;
  bytes.insert(bytes.begin() + kCodecGranularityAt, 0x05);  // 5 % 3: weak
  bytes[kCodecVersionAt] = kCodecVersionWithGranularity;
  EXPECT_EQ(DecodeSchedule(bytes).granularity, Granularity::kWeak);
  for (int version : {0x00, 0x01, 0x03, 0xff}) {
    Bytes v1 = kDocumentedBytes;
    v1[kCodecVersionAt] = static_cast<uint8_t>(version);
    EXPECT_EQ(DecodeSchedule(v1), DocumentedSchedule()) << version;
  }
  // Version 2 saying coarse is the version 1 schedule.
  bytes[kCodecGranularityAt] = 0x03;  // 3 % 3: coarse
  EXPECT_EQ(DecodeSchedule(bytes), DocumentedSchedule());
  EXPECT_EQ(EncodeSchedule(DecodeSchedule(bytes)), kDocumentedBytes);
}

TEST(CodecBinaryTest, EmptyInputIsOneEmptyThread) {
  Schedule expected;
  expected.key_count = 1;
  expected.threads.resize(1);
  EXPECT_EQ(DecodeSchedule({}), expected);
  EXPECT_EQ(ValidateSchedule(DecodeSchedule({})), "");
}

TEST(CodecBinaryTest, ShortHeaderReadsAsZeroPadded) {
  Bytes short_header = {0x01, 0x02, 0x05};
  Bytes padded = short_header;
  padded.resize(kCodecHeaderSize, 0);
  EXPECT_EQ(DecodeSchedule(short_header), DecodeSchedule(padded));
  EXPECT_EQ(DecodeSchedule(short_header).threads.size(), 3u);
  EXPECT_EQ(DecodeSchedule(short_header).key_count, 6);
}

TEST(CodecBinaryTest, ReducesOutOfRangeHeaderFields) {
  Bytes bytes(kCodecHeaderSize, 0xFF);
  bytes[kCodecOpCountAt] = 0;
  bytes[kCodecOpCountAt + 1] = 0;
  Schedule s = DecodeSchedule(bytes);
  EXPECT_EQ(s.threads.size(), 8u);             // 1 + 255 % 8
  EXPECT_EQ(s.key_count, 64);                  // 1 + 255 % 64
  EXPECT_EQ(s.key_shape, KeyShape::kCollide);  // 255 % 2
  EXPECT_EQ(s.shards_log2, 0);                 // 255 % 5
  EXPECT_EQ(s.initial_capacity, 65535 % 513);
  EXPECT_EQ(s.seed, ~uint64_t{0});
}

TEST(CodecBinaryTest, ReducesOutOfRangeRecordFields) {
  Bytes bytes(kCodecHeaderSize, 0);
  bytes[kCodecThreadCountAt] = 2;  // 3 threads
  bytes[kCodecKeyCountAt] = 4;     // 5 keys
  bytes[kCodecOpCountAt] = 3;
  Bytes records = {
      7, 8,  12,   0xFF,  // thread 7 % 3, kind 8 % 7 = insert, key 12 % 5
      4, 5,  9,    9,     // thread 1, clear: key and amount dropped
      0, 13, 0xFF, 0xFF,  // thread 0, reserve 65535 % 513
  };
  bytes.insert(bytes.end(), records.begin(), records.end());
  Schedule s = DecodeSchedule(bytes);
  ASSERT_EQ(ValidateSchedule(s), "");
  EXPECT_EQ(s.threads[1], (std::vector<Operation>{{OpKind::kInsert, 2, 0},
                                                  {OpKind::kClear, 0, 0}}));
  EXPECT_EQ(s.threads[0],
            (std::vector<Operation>{{OpKind::kReserve, 0, 65535 % 513}}));
  EXPECT_TRUE(s.threads[2].empty());
}

TEST(CodecBinaryTest, OpCountBoundsTheRecordsAndTheRestAreDecisions) {
  Bytes bytes = kDocumentedBytes;
  bytes[kCodecOpCountAt] = 2;  // the last two records become decisions
  Schedule s = DecodeSchedule(bytes);
  EXPECT_EQ(s.TotalOps(), 2u);
  EXPECT_EQ(s.decisions, (Bytes{0x01, 0x00, 0x01, 0x00, 0x01, 0x04, 0x00, 0x00,
                                0x01, 0x00, 0x01}));
}

TEST(CodecBinaryTest, OpCountBeyondTheInputTakesTheWholeRecords) {
  Bytes bytes = kDocumentedBytes;
  bytes[kCodecOpCountAt] = 200;
  Schedule s = DecodeSchedule(bytes);
  EXPECT_EQ(s.TotalOps(), 4u);  // the 3 trailing bytes are no whole record
  EXPECT_EQ(s.decisions, (Bytes{0x01, 0x00, 0x01}));
}

TEST(CodecBinaryTest, RecordsForAFullThreadAreDropped) {
  Bytes bytes(kCodecHeaderSize, 0);
  bytes[kCodecOpCountAt] = 70;
  for (int i = 0; i < 70; ++i) bytes.insert(bytes.end(), {0, 0, 0, 0});
  Schedule s = DecodeSchedule(bytes);
  EXPECT_EQ(s.threads[0].size(), Schedule::kMaxOpsPerThread);
  EXPECT_TRUE(s.decisions.empty());
}

TEST(CodecBinaryTest, CapsDecisionsAndTotalOps) {
  Bytes bytes(kCodecHeaderSize, 0xFF);
  bytes[kCodecOpCountAt] = 0xFF;  // 0x0FFF % 257 = 240 records
  bytes[kCodecOpCountAt + 1] = 0x0F;
  bytes.resize(100000, 0x5A);
  for (size_t i = 0; i < 240; ++i) {  // spread them over the 8 threads
    bytes[kCodecHeaderSize + i * kCodecOpRecordSize] = static_cast<uint8_t>(i);
  }
  Schedule s = DecodeSchedule(bytes);
  EXPECT_EQ(ValidateSchedule(s), "");
  EXPECT_EQ(s.TotalOps(), 240u);
  EXPECT_EQ(s.decisions.size(), Schedule::kMaxDecisions);
}

TEST(CodecBinaryTest, LargestScheduleRoundTrips) {
  Schedule s;
  s.key_shape = KeyShape::kCollide;
  s.key_count = Schedule::kMaxKeys;
  s.shards_log2 = Schedule::kMaxShardsLog2;
  s.initial_capacity = Schedule::kMaxInitialCapacity;
  s.seed = ~uint64_t{0};
  s.threads.resize(Schedule::kMaxThreads);
  for (size_t t = 0; t < 4; ++t) {
    for (size_t i = 0; i < Schedule::kMaxOpsPerThread; ++i) {
      s.threads[t].push_back(i % 2 ? Operation{OpKind::kErase, 63, 0}
                                   : Operation{OpKind::kReserve, 0, 512});
    }
  }
  s.decisions.assign(Schedule::kMaxDecisions, 0xFF);
  ASSERT_EQ(ValidateSchedule(s), "");
  EXPECT_EQ(DecodeSchedule(EncodeSchedule(s)), s);
}

TEST(CodecBinaryTest, EmptyTrailingThreadsRoundTrip) {
  Schedule s;
  s.threads = {{}, {{OpKind::kFind, 0, 0}}, {}};
  EXPECT_EQ(DecodeSchedule(EncodeSchedule(s)), s);
}

}  // namespace
}  // namespace thfuzz
