// ReadWholeFile(): a file's bytes, or why they cannot be had.
//
// Every command that takes a file (schedules, history files, corpora) reads
// it here, so they all refuse the same things with the same words: a
// directory ("Is a directory", as strerror says it), anything else that is
// not a regular file (a FIFO would block, a device never ends: "not a
// regular file"), and files the system will not open or read, with the
// system's reason (strerror: "No such file or directory", "Permission
// denied").

#ifndef THFUZZ_HARNESS_READ_FILE_H_
#define THFUZZ_HARNESS_READ_FILE_H_

#include <filesystem>
#include <optional>
#include <string>

namespace thfuzz {

// The contents, or nullopt with the reason (no path, no prefix) in `error`.
std::optional<std::string> ReadWholeFile(const std::filesystem::path& path,
                                         std::string* error);

}  // namespace thfuzz

#endif  // THFUZZ_HARNESS_READ_FILE_H_
