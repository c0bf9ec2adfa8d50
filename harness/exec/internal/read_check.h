// ReadCheck: judges every value the moment a find() or the final snapshot
// returns it, before any linearizability search.
//
// A schedule's writes are known in advance: logical thread t's operation i,
// if it is an insert or insert_or_assign of key k, stores MakeStamp(k, t, i)
// and nothing else ever does. So a value read for key k is legitimate only if
// it is a well-formed stamp, written for k, by one of those operations.

#ifndef THFUZZ_HARNESS_EXEC_INTERNAL_READ_CHECK_H_
#define THFUZZ_HARNESS_EXEC_INTERNAL_READ_CHECK_H_

#include <cstdint>
#include <optional>
#include <string>

#include "harness/schedule.h"
#include "harness/stamp.h"
#include "harness/violation.h"

namespace thfuzz::exec_internal {

// nullopt if `value` is a legitimate value of `key` under `schedule`; else
// a torn, foreign or phantom value violation. `what` says where it was read
// (e.g. "T1#0 find k3").
std::optional<Violation> CheckRead(const Schedule& schedule, uint64_t key,
                                   const Stamp& value, const std::string& what);

}  // namespace thfuzz::exec_internal

#endif  // THFUZZ_HARNESS_EXEC_INTERNAL_READ_CHECK_H_
