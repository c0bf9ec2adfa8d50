// stress_fuzzer: bytes -> schedule -> stress executor -> checker.
//
// The stress executor runs real threads released together; not deterministic.
// Inputs are small schedules (at most 256 operations), so one execution takes
// microseconds. Map and fault: THFUZZ_MAP / THFUZZ_FAULT or -map= / -fault=
// (see schedule_target.h).

#include <cstddef>
#include <cstdint>

#include "fuzz/schedule_target.h"

extern "C" int LLVMFuzzerInitialize(int* argc, char*** argv) {
  thfuzz::fuzz::InitScheduleTarget(argc, argv, thfuzz::ExecutorKind::kStress,
                                   "stress_fuzzer");
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  return thfuzz::fuzz::RunScheduleInput(data, size);
}
