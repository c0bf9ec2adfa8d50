// Labels for stamps in histories and reports, and the kind of a value no
// write stored.

#include "harness/stamp.h"

#include <cstdio>
#include <string>

namespace thfuzz {

ViolationKind UnwrittenValueKind(const Stamp& stamp, uint64_t key) {
  switch (CheckStamp(stamp, key)) {
    case StampCheck::kTorn:
      return ViolationKind::kTornValue;
    case StampCheck::kForeign:
      return ViolationKind::kForeignValue;
    case StampCheck::kZero:
    case StampCheck::kValid:
      break;
  }
  return ViolationKind::kPhantomValue;
}

std::string StampLabel(const Stamp& stamp, uint64_t expected_key) {
  switch (CheckStamp(stamp, expected_key)) {
    case StampCheck::kZero:
      return "zero";
    case StampCheck::kTorn: {
      char words[80];
      // The four words in memory order, as a reader copied them.
      std::snprintf(
          words, sizeof(words), "torn(%016llx:%016llx:%08x%08x:%016llx)",
          static_cast<unsigned long long>(stamp.salt),
          static_cast<unsigned long long>(stamp.key), stamp.writer,
          stamp.sequence, static_cast<unsigned long long>(stamp.checksum));
      return words;
    }
    case StampCheck::kForeign:
      return "foreign(k" + std::to_string(stamp.key) + ":T" +
             std::to_string(stamp.writer - 1) + "#" +
             std::to_string(stamp.sequence - 1) + ")";
    case StampCheck::kValid:
      break;
  }
  return "T" + std::to_string(stamp.writer - 1) + "#" +
         std::to_string(stamp.sequence - 1);
}

}  // namespace thfuzz
