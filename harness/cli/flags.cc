// Command-line flag parsing for tophash-fuzz.

#include "harness/cli/flags.h"

#include <charconv>

namespace thfuzz::cli {

void Flags::String(std::string name, std::string* out, std::string help) {
  flags_.push_back({std::move(name), Type::kString, out, std::move(help),
                    out->empty() ? "" : *out});
}

void Flags::Uint(std::string name, uint64_t* out, std::string help) {
  flags_.push_back({std::move(name), Type::kUint, out, std::move(help),
                    std::to_string(*out)});
}

void Flags::Bool(std::string name, bool* out, std::string help) {
  flags_.push_back({std::move(name), Type::kBool, out, std::move(help), ""});
}

const Flags::Flag* Flags::Find(const std::string& name) const {
  for (const Flag& flag : flags_) {
    if (flag.name == name) return &flag;
  }
  return nullptr;
}

std::string Flags::Assign(const Flag& flag, const std::string& value) {
  switch (flag.type) {
    case Type::kString:
      *static_cast<std::string*>(flag.out) = value;
      return "";
    case Type::kUint: {
      uint64_t number = 0;
      auto [end, error] =
          std::from_chars(value.data(), value.data() + value.size(), number);
      if (error != std::errc() || end != value.data() + value.size()) {
        return "--" + flag.name + " expects a non-negative integer, got '" +
               value + "'";
      }
      *static_cast<uint64_t*>(flag.out) = number;
      return "";
    }
    case Type::kBool:
      if (value == "true" || value == "1") {
        *static_cast<bool*>(flag.out) = true;
      } else if (value == "false" || value == "0") {
        *static_cast<bool*>(flag.out) = false;
      } else {
        return "--" + flag.name + " expects true or false, got '" + value + "'";
      }
      return "";
  }
  return "";
}

std::string Flags::Parse(std::span<const std::string> args,
                         std::vector<std::string>* positional) const {
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& arg = args[i];
    if (arg == "--") {
      positional->insert(positional->end(), args.begin() + i + 1, args.end());
      return "";
    }
    if (arg.size() < 3 || arg.compare(0, 2, "--") != 0) {
      positional->push_back(arg);
      continue;
    }
    std::string name = arg.substr(2);
    std::string value;
    bool has_value = false;
    if (size_t equals = name.find('='); equals != std::string::npos) {
      value = name.substr(equals + 1);
      name = name.substr(0, equals);
      has_value = true;
    }
    const Flag* flag = Find(name);
    if (flag == nullptr) return "unknown flag --" + name;
    if (flag->type == Type::kBool && !has_value) {
      *static_cast<bool*>(flag->out) = true;
      continue;
    }
    if (!has_value) {
      if (i + 1 == args.size()) return "--" + name + " needs a value";
      value = args[++i];
    }
    if (std::string error = Assign(*flag, value); !error.empty()) return error;
  }
  return "";
}

std::string Flags::Help() const {
  std::string text;
  for (const Flag& flag : flags_) {
    std::string left = "  --" + flag.name;
    if (flag.type != Type::kBool) left += " VALUE";
    if (left.size() < 26) left.resize(26, ' ');
    text += left + " " + flag.help;
    if (!flag.default_text.empty()) {
      text += " (default: " + flag.default_text + ")";
    }
    text += "\n";
  }
  return text;
}

}  // namespace thfuzz::cli
