// Printable(): text from outside (file contents, file names) made safe to
// echo to a terminal.
//
// Error messages quote what they could not parse, and a bad input can hold
// anything: ESC sequences that recolour or clear a terminal, NUL, bytes that
// are not UTF-8. Printable() keeps printable ASCII and well-formed UTF-8 as
// they are and writes every other byte as an escape: \n, \r, \t and \e for
// the common ones, \xNN for the rest (and a backslash as \\, so the escapes
// stay unambiguous).

#ifndef THFUZZ_HARNESS_PRINTABLE_H_
#define THFUZZ_HARNESS_PRINTABLE_H_

#include <string>
#include <string_view>

namespace thfuzz {

std::string Printable(std::string_view text);

}  // namespace thfuzz

#endif  // THFUZZ_HARNESS_PRINTABLE_H_
