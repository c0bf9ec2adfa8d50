// DescribeExecution: an execution as a test failure message shows it, the
// history and then the violation, if any.

#ifndef THFUZZ_HARNESS_EXEC_TESTING_EXECUTION_TEXT_H_
#define THFUZZ_HARNESS_EXEC_TESTING_EXECUTION_TEXT_H_

#include <string>

#include "harness/exec/executor.h"
#include "harness/history.h"

namespace thfuzz {

inline std::string DescribeExecution(const Execution& execution) {
  std::string text = PrintHistory(execution.history);
  if (execution.violation) {
    text += std::string(ViolationKindName(execution.violation->kind)) + ": " +
            execution.violation->summary + "\n";
  }
  return text;
}

}  // namespace thfuzz

#endif  // THFUZZ_HARNESS_EXEC_TESTING_EXECUTION_TEXT_H_
