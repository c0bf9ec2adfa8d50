// controlled_fuzzer: bytes -> schedule -> controlled executor -> checker.
//
// The controlled executor runs logical threads as fibers that the input's
// decision bytes interleave at every scheduling point of the map;
// deterministic, so crashes replay exactly. Map and fault: THFUZZ_MAP /
// THFUZZ_FAULT or -map= / -fault= (see schedule_target.h).

#include <cstddef>
#include <cstdint>

#include "fuzz/schedule_target.h"

extern "C" int LLVMFuzzerInitialize(int* argc, char*** argv) {
  thfuzz::fuzz::InitScheduleTarget(
      argc, argv, thfuzz::ExecutorKind::kControlled, "controlled_fuzzer");
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  return thfuzz::fuzz::RunScheduleInput(data, size);
}
