// encode_seeds: turns readable `.sched` seed files into the binary inputs
// that fuzzers start from.
//
//   encode_seeds [--update] [--keep-text] --out DIR FILE.sched...
//   encode_seeds [--update] --random-bytes COUNT --out DIR
//
// The `.sched` text under corpus/seeds/ is the source of truth; the build
// writes DIR/<name>.bin = EncodeSchedule(parse(FILE)) for each file
// (--keep-text also copies the text, a seed for codec_fuzzer's parser half).
// --random-bytes writes COUNT fixed pseudo-random inputs instead, for targets
// whose input is not a schedule (checker_fuzzer).
//
// Nothing is overwritten silently: an existing output with the same bytes is
// left alone, one with different bytes is an error unless --update is given
// (then it is replaced and reported), and two inputs with the same name are
// an error. A file that does not parse fails with the parser's
// "file:line:col: expected ..., got ..." message and exit status 1.

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <optional>
#include <random>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "harness/codec/codec.h"
#include "harness/codec/sched_text.h"

namespace {

namespace fs = std::filesystem;

struct Flags {
  fs::path out_dir;
  bool update = false;
  bool keep_text = false;
  std::optional<int> random_bytes;
  std::vector<fs::path> inputs;
};

constexpr char kUsage[] =
    "usage: encode_seeds [--update] [--keep-text] --out DIR FILE.sched...\n"
    "       encode_seeds [--update] --random-bytes COUNT --out DIR\n";

std::optional<Flags> ParseFlags(int argc, char** argv) {
  Flags flags;
  for (int i = 1; i < argc; ++i) {
    const std::string_view arg = argv[i];
    const bool has_value = i + 1 < argc;
    if (arg == "--update") {
      flags.update = true;
    } else if (arg == "--keep-text") {
      flags.keep_text = true;
    } else if (arg == "--out" && has_value) {
      flags.out_dir = argv[++i];
    } else if (arg == "--random-bytes" && has_value) {
      flags.random_bytes = std::atoi(argv[++i]);
    } else if (arg.starts_with("-")) {
      std::fprintf(stderr, "encode_seeds: unknown or incomplete flag '%s'\n",
                   argv[i]);
      return std::nullopt;
    } else {
      flags.inputs.emplace_back(arg);
    }
  }
  if (flags.out_dir.empty() || (flags.inputs.empty() == !flags.random_bytes)) {
    return std::nullopt;
  }
  return flags;
}

std::optional<std::string> ReadBytes(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  return std::string(std::istreambuf_iterator<char>(in), {});
}

// Returns false (after saying why) when `path` holds other bytes and
// --update was not given, or when writing fails.
bool WriteOutput(const fs::path& path, std::string_view bytes,
                 const Flags& flags) {
  const std::optional<std::string> old = ReadBytes(path);
  if (old && *old == bytes) return true;
  if (old && !flags.update) {
    std::fprintf(stderr,
                 "encode_seeds: %s exists with different contents; pass "
                 "--update to replace it\n",
                 path.c_str());
    return false;
  }
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(bytes.data(), std::streamsize(bytes.size()));
  if (!out.flush()) {
    std::fprintf(stderr, "encode_seeds: cannot write %s\n", path.c_str());
    return false;
  }
  std::printf("%s %s (%zu bytes)\n", old ? "updated" : "wrote", path.c_str(),
              bytes.size());
  return true;
}

bool EncodeFile(const fs::path& input, const Flags& flags) {
  const thfuzz::ParseResult parsed = thfuzz::ReadSchedFile(input);
  if (!parsed.ok()) {
    std::fprintf(stderr, "%s\n", parsed.error.c_str());
    return false;
  }
  const std::vector<uint8_t> encoded = thfuzz::EncodeSchedule(*parsed.schedule);
  const std::string_view bytes(reinterpret_cast<const char*>(encoded.data()),
                               encoded.size());
  const fs::path stem = flags.out_dir / input.stem();
  if (!WriteOutput(fs::path(stem) += ".bin", bytes, flags)) return false;
  if (!flags.keep_text) return true;
  // Printed canonically, so the parser's seed is exactly what it accepts.
  return WriteOutput(fs::path(stem) += ".sched",
                     thfuzz::PrintSchedule(*parsed.schedule, parsed.meta),
                     flags);
}

bool EncodeAll(const Flags& flags) {
  std::set<fs::path> stems;
  for (const fs::path& input : flags.inputs) {
    if (!stems.insert(input.stem()).second) {
      std::fprintf(stderr,
                   "encode_seeds: %s: another input is also named '%s'; its "
                   "output would be overwritten\n",
                   input.c_str(), input.stem().c_str());
      return false;
    }
  }
  bool ok = true;
  for (const fs::path& input : flags.inputs)
    ok = EncodeFile(input, flags) && ok;
  return ok;
}

// Fixed seed: the same build always writes the same files.
bool WriteRandomInputs(const Flags& flags) {
  std::mt19937_64 random(0x7468667a);
  bool ok = true;
  for (int i = 0; i < *flags.random_bytes; ++i) {
    std::string bytes(8 + random() % 56, '\0');
    for (char& byte : bytes) byte = static_cast<char>(random());
    const fs::path path =
        flags.out_dir / ("random-" + std::to_string(i) + ".bin");
    ok = WriteOutput(path, bytes, flags) && ok;
  }
  return ok;
}

}  // namespace

int main(int argc, char** argv) {
  const std::optional<Flags> flags = ParseFlags(argc, argv);
  if (!flags) {
    std::fputs(kUsage, stderr);
    return 2;
  }
  std::error_code error;
  fs::create_directories(flags->out_dir, error);
  if (error) {
    std::fprintf(stderr, "encode_seeds: cannot create %s: %s\n",
                 flags->out_dir.c_str(), error.message().c_str());
    return 1;
  }
  const bool ok =
      flags->random_bytes ? WriteRandomInputs(*flags) : EncodeAll(*flags);
  return ok ? 0 : 1;
}
