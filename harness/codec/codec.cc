// Binary codec of schedules; the layout and its rationale are in FORMAT.md.
//
// Decoding reads the header through a zero-padding reader (a short input is
// the same as one padded with zeros), reduces every field into its range,
// then appends one operation per whole record to the thread the record names
// and keeps whatever follows the records as decisions. Each step is bounded by
// a cap of Schedule, never by the input's length.

#include "harness/codec/codec.h"

#include <algorithm>

namespace thfuzz {
namespace {

// Bytes past the end of the input read as zero.
class PaddedReader {
 public:
  explicit PaddedReader(std::span<const uint8_t> bytes) : bytes_(bytes) {}

  uint8_t U8(size_t at) const { return at < bytes_.size() ? bytes_[at] : 0; }
  uint16_t U16(size_t at) const {
    return static_cast<uint16_t>(U8(at) | U8(at + 1) << 8);
  }
  uint64_t U64(size_t at) const {
    uint64_t value = 0;
    for (size_t i = 0; i < 8; ++i) value |= uint64_t{U8(at + i)} << (8 * i);
    return value;
  }

 private:
  std::span<const uint8_t> bytes_;
};

// The header fields, reduced into range; op_count is what the header asks
// for, before the input's length limits it.
struct Header {
  Schedule fields;  // everything but threads and decisions
  size_t thread_count = 1;
  size_t op_count = 0;
  size_t size = kCodecHeaderSize;  // where the records start
};

Header DecodeHeader(std::span<const uint8_t> bytes) {
  PaddedReader in(bytes);
  // Version 2 adds the granularity byte; every other version byte reads as
  // version 1 (FORMAT.md, "Version policy").
  Header header;
  Schedule& s = header.fields;
  if (in.U8(kCodecVersionAt) == kCodecVersionWithGranularity) {
    header.size = kCodecHeaderSizeV2;
    s.granularity = static_cast<Granularity>(in.U8(kCodecGranularityAt) %
                                             std::size(kGranularities));
  }
  header.thread_count = 1 + in.U8(kCodecThreadCountAt) % Schedule::kMaxThreads;
  s.key_count =
      static_cast<uint8_t>(1 + in.U8(kCodecKeyCountAt) % Schedule::kMaxKeys);
  s.key_shape = static_cast<KeyShape>(in.U8(kCodecKeyShapeAt) % 2);
  s.shards_log2 = static_cast<uint8_t>(in.U8(kCodecShardsLog2At) %
                                       (Schedule::kMaxShardsLog2 + 1));
  s.initial_capacity = static_cast<uint16_t>(
      in.U16(kCodecInitialCapacityAt) % (Schedule::kMaxInitialCapacity + 1));
  header.op_count = in.U16(kCodecOpCountAt) % (Schedule::kMaxTotalOps + 1);
  s.seed = in.U64(kCodecSeedAt);
  return header;
}

// Version 1 reads a kind as byte % 7; a new operation kind would change the
// meaning of stored inputs, so it needs a new version (FORMAT.md).
static_assert(kOpKindCount == 7, "a new OpKind needs codec version 2");

Operation DecodeOperation(std::span<const uint8_t> record, uint8_t key_count) {
  Operation op;
  op.kind = static_cast<OpKind>(record[1] % kOpKindCount);
  if (IsSingleKey(op.kind)) {
    op.key = static_cast<uint8_t>(record[2] % key_count);
  } else if (op.kind == OpKind::kReserve) {
    uint32_t argument = record[2] | uint32_t{record[3]} << 8;
    op.amount = argument % (Schedule::kMaxReserve + 1);
  }
  return op;
}

void PutU16(std::vector<uint8_t>& out, uint16_t value) {
  out.push_back(static_cast<uint8_t>(value));
  out.push_back(static_cast<uint8_t>(value >> 8));
}

void PutU64(std::vector<uint8_t>& out, uint64_t value) {
  for (int i = 0; i < 8; ++i)
    out.push_back(static_cast<uint8_t>(value >> (8 * i)));
}

void PutOperation(std::vector<uint8_t>& out, size_t thread,
                  const Operation& op) {
  uint32_t argument = op.kind == OpKind::kReserve ? op.amount : op.key;
  out.push_back(static_cast<uint8_t>(thread));
  out.push_back(static_cast<uint8_t>(op.kind));
  PutU16(out, static_cast<uint16_t>(argument));
}

}  // namespace

Schedule DecodeSchedule(std::span<const uint8_t> bytes) {
  Header header = DecodeHeader(bytes);
  Schedule schedule = header.fields;
  schedule.threads.resize(header.thread_count);

  auto body = bytes.subspan(std::min(header.size, bytes.size()));
  size_t records = std::min(header.op_count, body.size() / kCodecOpRecordSize);
  for (size_t i = 0; i < records; ++i) {
    auto record = body.subspan(i * kCodecOpRecordSize, kCodecOpRecordSize);
    auto& ops = schedule.threads[record[0] % header.thread_count];
    // A record for a full thread is dropped rather than moved elsewhere, so
    // that it cannot shift the operations of another thread.
    if (ops.size() < Schedule::kMaxOpsPerThread) {
      ops.push_back(DecodeOperation(record, schedule.key_count));
    }
  }

  auto decisions = body.subspan(records * kCodecOpRecordSize);
  decisions =
      decisions.first(std::min(decisions.size(), Schedule::kMaxDecisions));
  schedule.decisions.assign(decisions.begin(), decisions.end());
  return schedule;
}

std::vector<uint8_t> EncodeSchedule(const Schedule& schedule) {
  std::vector<uint8_t> out;
  out.reserve(kCodecHeaderSizeV2 + schedule.TotalOps() * kCodecOpRecordSize +
              schedule.decisions.size());
  size_t thread_count = std::max<size_t>(schedule.threads.size(), 1);
  bool coarse = schedule.granularity == Granularity::kCoarse;
  out.push_back(coarse ? kCodecVersion : kCodecVersionWithGranularity);
  out.push_back(static_cast<uint8_t>(thread_count - 1));
  out.push_back(static_cast<uint8_t>(schedule.key_count - 1));
  out.push_back(static_cast<uint8_t>(schedule.key_shape));
  out.push_back(schedule.shards_log2);
  PutU16(out, schedule.initial_capacity);
  PutU16(out, static_cast<uint16_t>(schedule.TotalOps()));
  PutU64(out, schedule.seed);
  if (!coarse) out.push_back(static_cast<uint8_t>(schedule.granularity));
  for (size_t t = 0; t < schedule.threads.size(); ++t) {
    for (const Operation& op : schedule.threads[t]) PutOperation(out, t, op);
  }
  out.insert(out.end(), schedule.decisions.begin(), schedule.decisions.end());
  return out;
}

}  // namespace thfuzz
