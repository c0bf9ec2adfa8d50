// The compact text form of histories, and its hash.

#include "harness/history.h"

#include <string>
#include <string_view>

#include "harness/random.h"

namespace thfuzz {

std::string PrintEvent(const Event& event) {
  std::string line = "T" + std::to_string(event.thread) + "#" +
                     std::to_string(event.index) + " [" +
                     std::to_string(event.invoke) + ",";
  line += event.completed ? std::to_string(event.response) : "-";
  line += "] ";
  line += OpKindName(event.kind);
  if (IsSingleKey(event.kind)) line += " k" + std::to_string(event.key);
  if (IsWrite(event.kind)) line += " " + StampLabel(event.value, event.key);
  if (event.kind == OpKind::kReserve)
    line += " " + std::to_string(event.amount);
  if (!event.completed) return line + " -> (no response)";
  switch (event.kind) {
    case OpKind::kFind:
      line += event.ok ? " -> ok " + StampLabel(event.out, event.key)
                       : " -> absent";
      break;
    case OpKind::kInsert:
    case OpKind::kErase:
      line += event.ok ? " -> true" : " -> false";
      break;
    case OpKind::kSize:
      line += " -> " + std::to_string(event.size);
      break;
    default:
      break;
  }
  return line;
}

std::string EventName(const Event& event) {
  std::string name = "T" + std::to_string(event.thread) + "#" +
                     std::to_string(event.index) + " " +
                     std::string(OpKindName(event.kind)) + "(";
  if (IsSingleKey(event.kind)) name += "k" + std::to_string(event.key);
  return name + ")";
}

std::string PrintHistory(const History& history) {
  std::string text;
  for (const Event& event : history.events) text += PrintEvent(event) + "\n";
  if (history.has_final_state) {
    text += "final {";
    bool first = true;
    for (const auto& [key, stamp] : history.final_state) {
      text += first ? "" : ", ";
      text += "k" + std::to_string(key) + "=" + StampLabel(stamp, key);
      first = false;
    }
    text += "}\n";
  }
  // One "invariants:" line per report line, so that a multi-line report
  // (and a trailing newline, as an empty last line) reads back exactly.
  std::string_view report = history.invariant_report;
  for (size_t start = 0; !report.empty();) {
    size_t end = report.find('\n', start);
    text +=
        "invariants: " + std::string(report.substr(start, end - start)) + "\n";
    if (end == std::string_view::npos) break;
    start = end + 1;
  }
  return text;
}

uint64_t HistoryHash(const History& history) {
  // FNV-1a over the printed form, then mixed: stable across runs and builds.
  uint64_t hash = 0xcbf29ce484222325ULL;
  for (unsigned char c : PrintHistory(history)) {
    hash = (hash ^ c) * 0x100000001b3ULL;
  }
  return FrozenMix64(hash);
}

}  // namespace thfuzz
