// Name tables: the one place where an enumeration's values get their names.
//
// Executors, maps, faults, operations, violation kinds and the other
// enumerations whose values travel as text (flags, .sched headers, file
// names, reports) each have one constexpr array of rows {value, name, help}
// in the order of the enum's values. Names, parsing and the lists in usage
// texts and error messages are all generated from that array, so a new value
// is one new row and is known everywhere at once. (libFuzzer keeps its flags
// in FuzzerFlags.def for the same reason, with X-macros; a typed array does
// it without macros.)
//
// The helpers read any row type with `value`, `name` and `help` members, so
// the map's fault table (tophash::kFaults in tophash/policy.h, which cannot
// depend on the harness) is read the same way.
//
// Adding an enumeration takes an enum, its rows, one static_assert and two
// one-line functions:
//
//   enum class Color : uint8_t { kRed, kGreen };
//   inline constexpr NameRow<Color> kColors[] = {
//       {Color::kRed, "red", "stop"}, {Color::kGreen, "green", "go"}};
//   static_assert(InEnumOrder(kColors));
//   inline std::string_view ColorName(Color c) { return NameIn(kColors, c); }
//   inline std::optional<Color> ParseColor(std::string_view name) {
//     return ParseIn(kColors, name);
//   }
//
// and NameList(kColors, " or ") reads "red or green".

#ifndef THFUZZ_HARNESS_NAME_TABLE_H_
#define THFUZZ_HARNESS_NAME_TABLE_H_

#include <algorithm>
#include <cstddef>
#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace thfuzz {

template <class Enum>
struct NameRow {
  Enum value;
  std::string_view name;  // as written in flags, files and reports
  std::string_view help;  // one line, for usage texts
};

// Row i holds the value whose underlying integer is i, so NameIn() can
// index. Every table asserts it.
template <class Row, size_t N>
constexpr bool InEnumOrder(const Row (&rows)[N]) {
  for (size_t i = 0; i < N; ++i) {
    if (static_cast<size_t>(rows[i].value) != i) return false;
  }
  return true;
}

// The name of `value`; "unknown" for a value without a row.
template <class Row, size_t N>
constexpr std::string_view NameIn(const Row (&rows)[N],
                                  decltype(Row::value) value) {
  auto index = static_cast<size_t>(value);
  return index < N ? rows[index].name : "unknown";
}

// The value named `name`; nullopt for a name no row has.
template <class Row, size_t N>
constexpr std::optional<decltype(Row::value)> ParseIn(const Row (&rows)[N],
                                                      std::string_view name) {
  for (const Row& row : rows) {
    if (row.name == name) return row.value;
  }
  return std::nullopt;
}

// The names joined by ", ", the last two by `last_separator`: with " or ",
// "serial, controlled or stress". A span drops rows, e.g. kNone:
// NameList(std::span(kViolationKinds).subspan<1>()).
template <class Row, size_t Extent>
std::string NameList(std::span<const Row, Extent> rows,
                     std::string_view last_separator = ", ") {
  std::string list;
  for (size_t i = 0; i < rows.size(); ++i) {
    if (i > 0) list += i + 1 == rows.size() ? last_separator : ", ";
    list += rows[i].name;
  }
  return list;
}

template <class Row, size_t N>
std::string NameList(const Row (&rows)[N],
                     std::string_view last_separator = ", ") {
  return NameList(std::span<const Row, N>(rows), last_separator);
}

// One line per row, "  name   help", the helps aligned in one column; the
// lines are joined by '\n' (no newline after the last).
template <class Row, size_t Extent>
std::string HelpLines(std::span<const Row, Extent> rows) {
  size_t width = 0;
  for (const Row& row : rows) width = std::max(width, row.name.size());
  std::string lines;
  for (const Row& row : rows) {
    std::string name(row.name);
    name.resize(width + 3, ' ');
    if (!lines.empty()) lines += "\n";
    lines += "  " + name + std::string(row.help);
  }
  return lines;
}

template <class Row, size_t N>
std::string HelpLines(const Row (&rows)[N]) {
  return HelpLines(std::span<const Row, N>(rows));
}

}  // namespace thfuzz

#endif  // THFUZZ_HARNESS_NAME_TABLE_H_
