// Flags: the command-line parser of tophash-fuzz's subcommands.
//
// Each subcommand declares its flags (name, destination, help text) and
// calls Parse(). Flags take the forms --name VALUE, --name=VALUE, and --name
// for booleans; everything else is a positional argument, and "--" ends the
// flags. Errors name the flag and what was wrong, so the command can print
// them with its usage and exit 2.

#ifndef THFUZZ_HARNESS_CLI_FLAGS_H_
#define THFUZZ_HARNESS_CLI_FLAGS_H_

#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace thfuzz::cli {

class Flags {
 public:
  void String(std::string name, std::string* out, std::string help);
  void Uint(std::string name, uint64_t* out, std::string help);
  void Bool(std::string name, bool* out, std::string help);

  // Fills the destinations and `positional`; returns "" or an error.
  std::string Parse(std::span<const std::string> args,
                    std::vector<std::string>* positional) const;
  // One line per flag: "  --name VALUE   help (default: ...)".
  std::string Help() const;

 private:
  enum class Type { kString, kUint, kBool };
  struct Flag {
    std::string name;
    Type type;
    void* out;
    std::string help;
    std::string default_text;
  };
  const Flag* Find(const std::string& name) const;
  static std::string Assign(const Flag& flag, const std::string& value);

  std::vector<Flag> flags_;
};

}  // namespace thfuzz::cli

#endif  // THFUZZ_HARNESS_CLI_FLAGS_H_
