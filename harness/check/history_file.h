// History files: the text form of a History, for people and for tools.
//
// One line per event in exactly the PrintEvent() form, then an optional
// "final {...}" line with the quiescent snapshot and "invariants: ..." lines
// carrying the invariant report, one per report line. Stamps are written with
// StampLabel(), which is lossless: a valid stamp is determined by its key,
// writer and sequence ("T0#2"), a foreign one adds its key
// ("foreign(k5:T0#2)"), a torn one lists its four words in hex. So every
// history whose unused fields hold their defaults (as executors and the
// parser leave them) round-trips exactly. '#' starts a comment line; blank
// lines and indentation are ignored. The grammar is in harness/HISTORY.md.
//
// Parse errors read "file:line:col: expected ..., got ..." and point at the
// first character that does not fit.

#ifndef THFUZZ_HARNESS_CHECK_HISTORY_FILE_H_
#define THFUZZ_HARNESS_CHECK_HISTORY_FILE_H_

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

#include "harness/history.h"

namespace thfuzz {

struct HistoryParseResult {
  std::optional<History> history;  // set exactly when error is ""
  std::string error;               // "file:line:col: expected ..., got ..."
};

// The file text: a header comment, then the lines described above.
std::string FormatHistoryFile(const History& history);
// `filename` only labels error messages.
HistoryParseResult ParseHistory(std::string_view text,
                                std::string_view filename);

// An unreadable file is an error result ("file: cannot read").
HistoryParseResult ReadHistoryFile(const std::filesystem::path& path);
// Returns "" on success, else what went wrong.
std::string WriteHistoryFile(const std::filesystem::path& path,
                             const History& history);

}  // namespace thfuzz

#endif  // THFUZZ_HARNESS_CHECK_HISTORY_FILE_H_
