// Reading libFuzzer's status lines back (see libfuzzer_log.h).

#include "harness/report/libfuzzer_log.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string_view>

namespace thfuzz {
namespace {

// The fields of one status line that the page uses; absent ones stay
// nullopt.
struct StatusLine {
  uint64_t runs = 0;
  bool fork = false;  // "#N: ..." (fork-mode parent), not "#N\tEVENT ..."
  std::optional<uint64_t> cov, ft, exec_per_second, seconds;
  std::optional<uint64_t> oom_timeout_crash;  // the sum of the three
};

bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\r'; }

std::vector<std::string_view> Words(std::string_view text) {
  std::vector<std::string_view> words;
  size_t i = 0;
  while (i < text.size()) {
    while (i < text.size() && IsSpace(text[i])) ++i;
    size_t start = i;
    while (i < text.size() && !IsSpace(text[i])) ++i;
    if (i > start) words.push_back(text.substr(start, i - start));
  }
  return words;
}

// The decimal number at the start of `text`; `rest` gets what follows.
std::optional<uint64_t> Leading(std::string_view text, std::string_view* rest) {
  uint64_t value = 0;
  auto [end, error] =
      std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end == text.data()) return std::nullopt;
  *rest = text.substr(end - text.data());
  return value;
}

// A field's value: digits, then only what the field allows after them
// ("935/148Kb" for corp, "7s" for time).
std::optional<uint64_t> FieldValue(std::string_view name,
                                   std::string_view text) {
  std::string_view rest;
  std::optional<uint64_t> value = Leading(text, &rest);
  if (!value) return std::nullopt;
  if (name == "time:" && rest == "s") return value;
  if (name == "corp:" && (rest.empty() || rest[0] == '/')) return value;
  if (name == "oom/timeout/crash:") {
    uint64_t sum = *value;
    for (int part = 0; part < 2; ++part) {
      if (rest.empty() || rest[0] != '/') return std::nullopt;
      std::optional<uint64_t> next = Leading(rest.substr(1), &rest);
      if (!next) return std::nullopt;
      sum += *next;
    }
    if (!rest.empty()) return std::nullopt;
    return sum;
  }
  if (!rest.empty()) return std::nullopt;
  return value;
}

// Parses a line that starts with '#' and a digit. Returns "" or the
// problem.
std::string ParseStatus(std::string_view line, StatusLine* status) {
  std::string_view rest;
  std::optional<uint64_t> runs = Leading(line.substr(1), &rest);
  if (!runs) return "execution count out of range";
  status->runs = *runs;
  std::vector<std::string_view> words;
  if (!rest.empty() && rest[0] == ':') {
    status->fork = true;
    words = Words(rest.substr(1));
  } else if (!rest.empty() && IsSpace(rest[0])) {
    words = Words(rest);
    if (words.empty() ||
        !std::all_of(words[0].begin(), words[0].end(), [](char c) {
          return std::isalpha(static_cast<unsigned char>(c));
        })) {
      return "no event (INITED, NEW, pulse, ...) after the execution count";
    }
    words.erase(words.begin());
  } else {
    return "expected a tab or ':' after the execution count";
  }
  for (size_t i = 0; i < words.size(); ++i) {
    std::string_view name = words[i];
    std::optional<uint64_t>* field =
        name == "cov:"                 ? &status->cov
        : name == "ft:"                ? &status->ft
        : name == "exec/s:"            ? &status->exec_per_second
        : name == "time:"              ? &status->seconds
        : name == "oom/timeout/crash:" ? &status->oom_timeout_crash
                                       : nullptr;
    if (field == nullptr && name != "corp:") continue;  // lim:, rss:, MS:...
    std::optional<uint64_t> value =
        i + 1 < words.size() ? FieldValue(name, words[i + 1]) : std::nullopt;
    if (!value) {
      return "bad value for '" + std::string(name) + "': '" +
             std::string(i + 1 < words.size() ? words[i + 1] : "") + "'";
    }
    if (field != nullptr) *field = value;
    ++i;
  }
  return "";
}

bool IsArtifact(std::string_view path) {
  std::string_view base = path.substr(path.find_last_of('/') + 1);
  for (std::string_view kind : {"crash-", "timeout-", "oom-", "leak-"}) {
    if (base.substr(0, kind.size()) == kind) return true;
  }
  return false;
}

// Accumulates one log's series while its lines go by.
class LogReader {
 public:
  // A process starts with nothing done: executions and findings begin at
  // (0, 0), so a short run still draws a line.
  explicit LogReader(const std::string& name) : name_(name) { Record(); }

  void Line(std::string_view line, uint64_t number) {
    if (line.size() >= 2 && line[0] == '#' &&
        std::isdigit(static_cast<unsigned char>(line[1]))) {
      Status(line, number);
    } else if (line.rfind("INFO: -fork=", 0) == 0) {
      log_.fork_mode = true;
    } else if (size_t at = line.find("; Test unit written to ");
               line.rfind("artifact_prefix=", 0) == 0 &&
               at != std::string_view::npos) {
      if (IsArtifact(line.substr(at + 23))) {
        ++artifacts_;
        Record();
      }
    } else if (line.rfind("INFO: exiting:", 0) == 0 ||
               (!log_.fork_mode && line.rfind("Done ", 0) == 0)) {
      End(line);
    } else if (!log_.fork_mode &&
               line.rfind("stat::number_of_executed_units:", 0) == 0) {
      std::string_view rest;
      auto words = Words(line);
      if (words.size() == 2) {
        if (auto runs = Leading(words[1], &rest); runs && rest.empty()) {
          runs_ = std::max(runs_, *runs);
          Record();
        }
      }
    }
  }

  LibFuzzerLog Finish() { return std::move(log_); }

 private:
  void Status(std::string_view line, uint64_t number) {
    StatusLine status;
    if (std::string problem = ParseStatus(line, &status); !problem.empty()) {
      if (log_.skipped_lines++ == 0) {
        log_.first_skipped =
            name_ + ":" + std::to_string(number) + ": " + problem;
      }
      return;
    }
    // A crashed child's log, copied into the parent's, is not the campaign.
    if (log_.fork_mode && !status.fork) return;
    ++log_.status_lines;
    runs_ = status.runs;
    if (status.seconds) {
      Advance(static_cast<double>(*status.seconds));
    } else if (status.exec_per_second.value_or(0) > 0) {
      Advance(static_cast<double>(status.runs) /
              static_cast<double>(*status.exec_per_second));
    }
    if (status.oom_timeout_crash) fork_findings_ = *status.oom_timeout_crash;
    if (status.cov)
      AppendBounded(log_.cov, {log_.seconds, double(*status.cov)});
    if (status.ft) AppendBounded(log_.ft, {log_.seconds, double(*status.ft)});
    Record();
  }

  // "Done 18114 runs in 5 second(s)" or "INFO: exiting: 0 time: 8s".
  void End(std::string_view line) {
    std::vector<std::string_view> words = Words(line);
    std::string_view rest;
    if (words.size() >= 5 && words[0] == "Done" && words[2] == "runs") {
      if (auto runs = Leading(words[1], &rest); runs && rest.empty()) {
        runs_ = std::max(runs_, *runs);
      }
      if (auto seconds = Leading(words[4], &rest); seconds && rest.empty()) {
        Advance(static_cast<double>(*seconds));
      }
    } else if (words.size() >= 5 && words[3] == "time:") {
      if (auto seconds = FieldValue("time:", words[4])) {
        Advance(static_cast<double>(*seconds));
      }
    } else {
      return;
    }
    Record();
  }

  void Advance(double seconds) {
    log_.seconds = std::max(log_.seconds, seconds);
  }

  void Record() {
    AppendBounded(log_.executions, {log_.seconds, double(runs_)});
    AppendBounded(log_.findings,
                  {log_.seconds, double(artifacts_ + fork_findings_)});
  }

  const std::string& name_;
  LibFuzzerLog log_;
  uint64_t runs_ = 0;
  uint64_t artifacts_ = 0;
  uint64_t fork_findings_ = 0;
};

}  // namespace

std::optional<LibFuzzerLog> ParseLibFuzzerLog(std::istream& in,
                                              const std::string& name,
                                              std::string* error) {
  LogReader reader(name);
  std::string line;
  uint64_t number = 0;
  while (std::getline(in, line)) reader.Line(line, ++number);
  LibFuzzerLog log = reader.Finish();
  if (log.status_lines == 0) {
    *error = name +
             ": no libFuzzer status lines ('#N NEW cov: ...'); is this the "
             "log of a libFuzzer run?";
    if (log.skipped_lines > 0)
      *error += " (first malformed one: " + log.first_skipped + ")";
    return std::nullopt;
  }
  return log;
}

std::optional<LibFuzzerLog> ReadLibFuzzerLog(const std::string& path,
                                             std::string* error) {
  std::error_code code;
  if (!std::filesystem::is_regular_file(path, code)) {
    *error = path + ": " +
             (std::filesystem::exists(path, code) ? "not a regular file"
                                                  : "no such file");
    return std::nullopt;
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    *error = path + ": cannot open";
    return std::nullopt;
  }
  return ParseLibFuzzerLog(in, path, error);
}

void AddLibFuzzerSeries(const LibFuzzerLog& log, const std::string& label,
                        CampaignPlot* plot) {
  std::string prefix = label.empty() ? "" : label + " ";
  plot->series.push_back(
      {PlotPanel::kExecutions, prefix + "executions", log.executions});
  plot->series.push_back({PlotPanel::kCoverage, prefix + "cov", log.cov});
  plot->series.push_back({PlotPanel::kCoverage, prefix + "ft", log.ft});
  plot->series.push_back(
      {PlotPanel::kFindings, prefix + "findings", log.findings});
}

}  // namespace thfuzz
