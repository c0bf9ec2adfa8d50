// ValueOrigin: where the words of a value nobody wrote came from.
//
// A torn, foreign or phantom value is a symptom; what a person needs is its
// cause. Every write in the harness stores a stamp whose four 8-byte words
// (in memory order: salt, key, writer<<32|sequence, checksum) name their
// writer, so the words of a bad value can be traced back to the writes of
// the history that stored them. The salt, the writer word and the checksum
// are unique to one write; the key word is shared by every write of a key,
// so it is given to the write that supplied a neighbouring word. The result
// reads, for the torn value a reader caught while an insert_or_assign was
// overwriting an insert:
//
//   words 0-1 from T0#1 insert_or_assign(k0), words 2-3 from T0#0 insert(k0)
//
// A word no write of the history holds is "zero (not written yet)" when it
// is zero and "from no write in the history" otherwise. A foreign value
// names the key and the write it belongs to; a phantom one says why no
// write explains it.

#ifndef THFUZZ_HARNESS_REPORT_INTERNAL_VALUE_ORIGIN_H_
#define THFUZZ_HARNESS_REPORT_INTERNAL_VALUE_ORIGIN_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "harness/history.h"
#include "harness/stamp.h"

namespace thfuzz::report_internal {

struct ValueOrigin {
  std::string text;             // "" when the value is legitimate
  std::vector<size_t> writers;  // events whose words it holds, ascending
};

// `value` as read for `key` in `history`.
ValueOrigin TraceValue(const History& history, uint64_t key,
                       const Stamp& value);

}  // namespace thfuzz::report_internal

#endif  // THFUZZ_HARNESS_REPORT_INTERNAL_VALUE_ORIGIN_H_
