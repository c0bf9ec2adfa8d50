// One soak worker's operations (see worker.h).

#include "harness/soak/internal/worker.h"

#include <algorithm>

#include "harness/exec/live_map.h"
#include "harness/key_space.h"

namespace thfuzz::soak_internal {

Event Worker::Draw() {
  Event event;
  uint64_t roll = random_.Below(100);
  event.kind = roll < 40   ? OpKind::kFind
               : roll < 60 ? OpKind::kInsert
               : roll < 78 ? OpKind::kInsertOrAssign
               : roll < 98 ? OpKind::kErase
                           : OpKind::kReserve;
  if (event.kind == OpKind::kReserve) {
    event.amount = static_cast<uint32_t>(std::min<uint64_t>(
        Schedule::kMaxReserve, 1 + random_.Below(4 * keys_)));
  } else {
    event.key = KeyFor(static_cast<uint8_t>(random_.Below(keys_)));
  }
  if (IsWrite(event.kind)) {
    event.value = MakeStamp(event.key, thread_, sequence_);
  }
  return event;
}

void Worker::Step(MapAdapter& map, std::atomic<uint64_t>& clock, Record& record,
                  std::vector<Stamp>& odd_reads) {
  Event event = Draw();
  record = Record{};
  record.thread = thread_;
  record.sequence = sequence_++;
  record.kind = event.kind;
  record.key = static_cast<uint16_t>(event.key);
  record.argument = event.amount;
  record.invoke = clock.fetch_add(1) + 1;
  try {
    ApplyToMap(map, event);
  } catch (const LiveMapAborted&) {
    record.completed = false;
    return;
  }
  record.response = clock.fetch_add(1) + 1;
  record.ok = event.ok;
  if (event.kind != OpKind::kFind || !event.ok) return;
  if (CheckStamp(event.out, event.key) == StampCheck::kValid &&
      event.out.writer <= 256) {
    record.read_thread = static_cast<uint8_t>(event.out.writer - 1);
    record.argument = event.out.sequence - 1;
  } else {
    record.odd = true;
    record.argument = static_cast<uint32_t>(odd_reads.size());
    odd_reads.push_back(event.out);
  }
}

}  // namespace thfuzz::soak_internal
