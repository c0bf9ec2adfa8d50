// Reading whole files with reasons for failure (see read_file.h).

#include "harness/read_file.h"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <memory>
#include <system_error>

namespace thfuzz {

std::optional<std::string> ReadWholeFile(const std::filesystem::path& path,
                                         std::string* error) {
  std::error_code code;
  std::filesystem::file_status status = std::filesystem::status(path, code);
  if (std::filesystem::is_directory(status)) {
    *error = std::strerror(EISDIR);
    return std::nullopt;
  }
  if (std::filesystem::exists(status) &&
      !std::filesystem::is_regular_file(status)) {
    *error = "not a regular file";
    return std::nullopt;
  }
  errno = 0;
  std::unique_ptr<std::FILE, int (*)(std::FILE*)> file(
      std::fopen(path.c_str(), "rb"), std::fclose);
  if (file == nullptr) {
    *error = errno != 0 ? std::strerror(errno) : "cannot open";
    return std::nullopt;
  }
  std::string text;
  char buffer[1 << 14];
  size_t read;
  while ((read = std::fread(buffer, 1, sizeof buffer, file.get())) > 0) {
    text.append(buffer, read);
  }
  if (std::ferror(file.get())) {
    *error = errno != 0 ? std::strerror(errno) : "read error";
    return std::nullopt;
  }
  return text;
}

}  // namespace thfuzz
