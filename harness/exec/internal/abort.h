// ExecutionAborted: how an executor stops a logical thread that cannot make
// progress.
//
// The harness policies throw it from the map's scheduling points once an
// execution is declared hung. The map is exception-safe at those points
// (locks and reader sections are RAII), so the exception unwinds the
// operation and reaches the executor's per-thread loop, which records the
// operation as never completed. The map is left in whatever state it had;
// the executor only destroys it afterwards.

#ifndef THFUZZ_HARNESS_EXEC_INTERNAL_ABORT_H_
#define THFUZZ_HARNESS_EXEC_INTERNAL_ABORT_H_

namespace thfuzz::exec_internal {

struct ExecutionAborted {};

}  // namespace thfuzz::exec_internal

#endif  // THFUZZ_HARNESS_EXEC_INTERNAL_ABORT_H_
