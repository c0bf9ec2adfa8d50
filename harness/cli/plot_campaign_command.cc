// `tophash-fuzz plot-campaign`: the campaign page (report/campaign_plot.h)
// of libFuzzer runs, drawn from their logs.
//
// ci/fuzz.sh calls it on the fuzz.log of every target it ran, with its text
// summary, so the scripts draw nothing themselves: the page of `tophash-fuzz
// run` and this one come from the same writer. Each log is one set of
// series, labelled after the log: fuzz-work/<target>/fuzz.log becomes
// "<target>", any other file its name without the extension.

#include <cstdio>
#include <filesystem>
#include <string>
#include <vector>

#include "harness/cli/commands.h"
#include "harness/cli/usage.h"
#include "harness/printable.h"
#include "harness/read_file.h"
#include "harness/report/campaign_plot.h"
#include "harness/report/libfuzzer_log.h"

namespace thfuzz::cli {
namespace {

const Usage kUsage = {
    "tophash-fuzz plot-campaign --out DIR [--summary FILE] [--title T] "
    "LIBFUZZER_LOG...",
    "Draws the progress of libFuzzer runs (executions, cov and ft, findings\n"
    "over time) from their logs into DIR/campaign.html: one self-contained\n"
    "page, no script. A log named fuzz.log is labelled with its directory's\n"
    "name (ci/fuzz.sh's fuzz-work/<target>/fuzz.log), any other with its\n"
    "file name. Malformed status lines are skipped; the page and stderr say\n"
    "how many and where the first was. A log with no status line at all is\n"
    "an error (exit 2).",
    "  tophash-fuzz plot-campaign --out build/libfuzzer/fuzz-work "
    "build/libfuzzer/fuzz-work/*/fuzz.log\n"};

std::string LabelOf(const std::string& path) {
  std::filesystem::path file(path);
  if (file.filename() == "fuzz.log" && file.has_parent_path() &&
      !file.parent_path().filename().empty()) {
    return file.parent_path().filename().string();
  }
  return file.stem().string();
}

}  // namespace

int PlotCampaignMain(std::span<const std::string> args) {
  std::string out_dir, summary_file, title = "libFuzzer campaign";
  Flags flags;
  flags.String("out", &out_dir, "directory for campaign.html (created)");
  flags.String("summary", &summary_file,
               "a text file shown on the page under the charts");
  flags.String("title", &title, "the page's title");
  std::vector<std::string> logs;
  if (int status = ParseOrExplain(kUsage, flags, args, &logs); status >= 0) {
    return status;
  }
  if (logs.empty()) return UsageError(kUsage, "no libFuzzer log given");
  if (out_dir.empty()) return UsageError(kUsage, "--out DIR is required");
  CampaignPlot plot;
  plot.title = title;
  for (const std::string& path : logs) {
    std::string error;
    std::optional<LibFuzzerLog> log = ReadLibFuzzerLog(path, &error);
    if (!log) {
      std::fprintf(stderr, "tophash-fuzz: %s\n", Printable(error).c_str());
      return kExitUsage;
    }
    std::string label = LabelOf(path);
    AddLibFuzzerSeries(*log, label, &plot);
    plot.facts.push_back(
        {label, Printable(path) + (log->fork_mode ? " (fork mode)" : "")});
    if (log->skipped_lines > 0) {
      std::string note =
          std::to_string(log->skipped_lines) +
          " malformed status line(s) skipped; the first: " + log->first_skipped;
      std::fprintf(stderr, "tophash-fuzz: note: %s\n", Printable(note).c_str());
      plot.notes.push_back(note);
    }
  }
  plot.notes.push_back(
      "Time: seconds since each libFuzzer process started (ci/fuzz.sh runs "
      "targets in waves, one after another). Ordinary status lines carry no "
      "clock, so a point's time is executions / exec/s (good to about a "
      "second); fork-mode lines carry their time. cov counts covered PCs, "
      "ft features (coverage edges with hit counts, and any extra "
      "counters).");
  if (!summary_file.empty()) {
    std::string error;
    std::optional<std::string> text = ReadWholeFile(summary_file, &error);
    if (!text) {
      std::fprintf(stderr, "tophash-fuzz: %s: %s\n",
                   Printable(summary_file).c_str(), error.c_str());
      return kExitUsage;
    }
    plot.summary = std::move(*text);
  }
  std::error_code code;
  std::filesystem::create_directories(out_dir, code);
  std::string path =
      (std::filesystem::path(out_dir) / "campaign.html").string();
  if (std::string error = WriteCampaignPlot(plot, path); !error.empty()) {
    std::fprintf(stderr, "tophash-fuzz: %s\n", Printable(error).c_str());
    return kExitUsage;
  }
  std::printf("campaign plot written to %s\n", Printable(path).c_str());
  return kExitOk;
}

}  // namespace thfuzz::cli
