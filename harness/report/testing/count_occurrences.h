// CountOccurrences: how many times a piece of markup appears in a page, for
// the report tests that assert on generated HTML and SVG.

#ifndef THFUZZ_HARNESS_REPORT_TESTING_COUNT_OCCURRENCES_H_
#define THFUZZ_HARNESS_REPORT_TESTING_COUNT_OCCURRENCES_H_

#include <cstddef>
#include <string>

namespace thfuzz::report_testing {

// Overlapping matches count: "aaa" holds "aa" twice.
inline size_t CountOccurrences(const std::string& text,
                               const std::string& what) {
  size_t count = 0;
  for (size_t at = text.find(what); at != std::string::npos;
       at = text.find(what, at + 1)) {
    ++count;
  }
  return count;
}

}  // namespace thfuzz::report_testing

#endif  // THFUZZ_HARNESS_REPORT_TESTING_COUNT_OCCURRENCES_H_
