// serial_fuzzer: bytes -> schedule -> serial executor -> checker.
//
// The serial executor runs whole operations in a fuzz-chosen order, checked
// against the oracle at once; deterministic. Map and fault: THFUZZ_MAP /
// THFUZZ_FAULT or -map= / -fault= (see schedule_target.h).

#include <cstddef>
#include <cstdint>

#include "fuzz/schedule_target.h"

extern "C" int LLVMFuzzerInitialize(int* argc, char*** argv) {
  thfuzz::fuzz::InitScheduleTarget(argc, argv, thfuzz::ExecutorKind::kSerial,
                                   "serial_fuzzer");
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  return thfuzz::fuzz::RunScheduleInput(data, size);
}
