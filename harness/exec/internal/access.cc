// Names of accesses and memory orders, for traces and reports.

#include "harness/exec/internal/access.h"

#include <string>

namespace thfuzz::exec_internal {
namespace {

// "map.h" from "/src/map/include/tophash/map.h".
std::string_view BaseName(std::string_view path) {
  size_t slash = path.find_last_of('/');
  return slash == std::string_view::npos ? path : path.substr(slash + 1);
}

// "LookupOnce" from "bool tophash::Map<K, V, H, P>::LookupOnce(...) const
// [with K = ...]": the last name before the parameter list.
std::string_view ShortFunctionName(std::string_view function) {
  size_t depth = 0;
  size_t open = std::string_view::npos;
  for (size_t i = 0; i < function.size(); ++i) {
    char c = function[i];
    if (c == '<') ++depth;
    if (c == '>' && depth > 0) --depth;
    if (c == '(' && depth == 0) {
      open = i;
      break;
    }
  }
  std::string_view head = function.substr(0, open);
  size_t start = head.find_last_of(": ");
  return start == std::string_view::npos ? head : head.substr(start + 1);
}

}  // namespace

std::string_view AccessKindName(AccessKind kind) {
  switch (kind) {
    case AccessKind::kLoad:
      return "load";
    case AccessKind::kStore:
      return "store";
    case AccessKind::kReadModifyWrite:
      return "rmw";
    case AccessKind::kFailedCompareExchange:
      return "failed cas";
    case AccessKind::kFence:
      return "fence";
  }
  return "access";
}

std::string_view MemoryOrderName(std::memory_order order) {
  switch (order) {
    case std::memory_order_relaxed:
      return "relaxed";
    case std::memory_order_consume:
      return "consume";
    case std::memory_order_acquire:
      return "acquire";
    case std::memory_order_release:
      return "release";
    case std::memory_order_acq_rel:
      return "acq_rel";
    case std::memory_order_seq_cst:
      return "seq_cst";
  }
  return "unknown";
}

std::string DescribeAccess(const Access& access,
                           std::string_view address_name) {
  std::string text(MemoryOrderName(access.order));
  text += ' ';
  text += AccessKindName(access.kind);
  if (!address_name.empty()) {
    text += " of ";
    text += address_name;
  }
  return text + " at " + DescribeSite(access.where);
}

std::string DescribeSite(const SourceSite& where) {
  std::string text(BaseName(where.file));
  text += ':';
  text += std::to_string(where.line);
  text += " (";
  text += ShortFunctionName(where.function);
  text += ')';
  return text;
}

}  // namespace thfuzz::exec_internal
