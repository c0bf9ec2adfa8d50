// Rendering the kill table as terminal text and as docs/kill-table.md.

#include <cstdio>
#include <string>
#include <vector>

#include "harness/evaluate/kill_table.h"
#include "harness/faults.h"

namespace thfuzz {
namespace {

using Row = std::vector<std::string>;

// "7 ms" below a second, "2.35 s" above: most catches take milliseconds.
std::string Seconds(std::chrono::milliseconds time) {
  if (time < std::chrono::seconds(1)) {
    return std::to_string(time.count()) + " ms";
  }
  char text[32];
  std::snprintf(text, sizeof(text), "%.2f s", time.count() / 1000.0);
  return text;
}

std::string MedianTime(const KillCell& cell, const KillTableOptions& options) {
  auto median = cell.median_time();
  return median ? Seconds(*median) : "> " + Seconds(options.search_time);
}

std::string MedianExecutions(const KillCell& cell) {
  auto median = cell.median_executions();
  return median ? std::to_string(*median) : "-";
}

std::string MinimizedSize(const KillCell& cell) {
  if (!cell.minimized) return "-";
  std::string text = std::to_string(cell.minimized->threads) + " / " +
                     std::to_string(cell.minimized->operations) + " / " +
                     std::to_string(cell.minimized->decisions) + " / ";
  text += cell.executor == ExecutorKind::kControlled
              ? std::to_string(cell.minimized_switches)
              : std::string("-");
  if (!cell.minimized_one_minimal) text += " (budget)";
  return text;
}

// "coarse", "fine", "weak" for the controlled executor; "-" for the others,
// which have no granularity.
std::string GranularityColumn(ExecutorKind executor, Granularity granularity) {
  return executor == ExecutorKind::kControlled
             ? std::string(GranularityName(granularity))
             : "-";
}

Row CellRow(const KillCell& cell, const KillTableOptions& options) {
  return {
      std::string(tophash::FaultName(cell.fault)),
      std::string(ExecutorName(cell.executor)),
      GranularityColumn(cell.executor, cell.granularity),
      std::to_string(cell.caught()) + "/" + std::to_string(cell.runs.size()),
      MedianTime(cell, options),
      MedianExecutions(cell),
      cell.kind == ViolationKind::kNone
          ? "-"
          : std::string(ViolationKindName(cell.kind)),
      MinimizedSize(cell)};
}

const Row kHeader = {
    "fault",       "executor",
    "granularity", "caught",
    "median time", "median execs",
    "violation",   "minimized: threads / ops / decisions / switches"};

std::string Markdown(const std::vector<Row>& rows) {
  std::string text;
  for (size_t r = 0; r < rows.size(); ++r) {
    text += "|";
    for (const std::string& cell : rows[r]) text += " " + cell + " |";
    text += "\n";
    if (r == 0) {
      text += "|";
      for (size_t c = 0; c < rows[r].size(); ++c) text += "---|";
      text += "\n";
    }
  }
  return text;
}

std::string Aligned(const std::vector<Row>& rows) {
  std::vector<size_t> widths;
  for (const Row& row : rows) {
    widths.resize(std::max(widths.size(), row.size()));
    for (size_t c = 0; c < row.size(); ++c) {
      widths[c] = std::max(widths[c], row[c].size());
    }
  }
  std::string text;
  for (const Row& row : rows) {
    for (size_t c = 0; c < row.size(); ++c) {
      std::string cell = row[c];
      if (c + 1 < row.size()) cell.resize(widths[c] + 2, ' ');
      text += cell;
    }
    text += "\n";
  }
  return text;
}

std::vector<Row> CellRows(const KillTable& table) {
  std::vector<Row> rows = {kHeader};
  for (const KillCell& cell : table.cells) {
    rows.push_back(CellRow(cell, table.options));
  }
  return rows;
}

std::vector<Row> ProductionRows(const KillTable& table) {
  std::vector<Row> rows = {{"production map", "executor", "granularity",
                            "schedules", "violations", "unknown"}};
  for (const ProductionRow& row : table.production) {
    rows.push_back(
        {"tophash (no fault)", std::string(ExecutorName(row.executor)),
         GranularityColumn(row.executor, row.granularity),
         std::to_string(row.schedules), std::to_string(row.violations),
         std::to_string(row.unknown)});
  }
  return rows;
}

// Faults that no executor caught in any search.
std::vector<std::string> Uncaught(const KillTable& table) {
  std::vector<std::string> names;
  for (tophash::Fault fault : table.options.faults) {
    bool caught = false;
    for (const KillCell& cell : table.cells) {
      caught |= cell.fault == fault && cell.caught() > 0;
    }
    if (!caught) names.push_back(std::string(tophash::FaultName(fault)));
  }
  return names;
}

// The faults only fine or weak granularity can show: missed by every coarse
// mode, caught by fine or weak in under 10 s median.
std::string WindowFaultGoals(const KillTable& table) {
  std::string text;
  for (tophash::Fault fault : table.options.faults) {
    if (!IsWindowFault(fault)) continue;
    bool coarse_caught = false;
    std::optional<std::chrono::milliseconds> best;
    std::string best_mode;
    for (const KillCell& cell : table.cells) {
      if (cell.fault != fault) continue;
      if (cell.granularity == Granularity::kCoarse) {
        coarse_caught |= cell.caught() > 0;
        continue;
      }
      auto median = cell.median_time();
      if (median && (!best || *median < *best)) {
        best = median;
        best_mode = std::string(GranularityName(cell.granularity));
      }
    }
    bool fast = best && *best < std::chrono::seconds(10);
    text += "- `" + std::string(tophash::FaultName(fault)) +
            "` missed at coarse granularity: " +
            (coarse_caught ? "**no**" : "**yes**") +
            "; caught by fine or weak in < 10 s median: " +
            (fast ? "**yes** (" + best_mode + ", " + Seconds(*best) + ")"
                  : std::string("**no**")) +
            ".\n";
  }
  return text;
}

std::string Goals(const KillTable& table) {
  std::string text;
  std::vector<std::string> uncaught = Uncaught(table);
  text += "- Every fault caught by at least one executor: ";
  if (uncaught.empty()) {
    text += "**yes** (each search is limited to " +
            Seconds(table.options.search_time) + ", well under 60 s).\n";
  } else {
    text += "**no**, not caught:";
    for (const std::string& name : uncaught) text += " `" + name + "`";
    text += ".\n";
  }
  text += WindowFaultGoals(table);
  for (const KillCell& cell : table.cells) {
    if (cell.fault != tophash::Fault::kPublishTophashBeforeKey ||
        cell.executor != ExecutorKind::kControlled ||
        cell.granularity != Granularity::kCoarse) {
      continue;
    }
    auto median = cell.median_time();
    bool fast = median && *median < std::chrono::seconds(5);
    bool small = cell.minimized && cell.minimized->threads == 2 &&
                 cell.minimized->operations <= 3;
    text +=
        "- `publish_tophash_before_key` by the controlled executor in < 5 "
        "s median: " +
        std::string(fast ? "**yes**" : "**no**") + " (" +
        MedianTime(cell, table.options) +
        "); minimized to 2 threads and "
        "<= 3 operations: " +
        (small ? "**yes**" : "**no**") + " (" + MinimizedSize(cell) + ").\n";
  }
  uint64_t schedules = 0, violations = 0;
  for (const ProductionRow& row : table.production) {
    schedules += row.schedules;
    violations += row.violations;
  }
  text += "- Production map: " + std::to_string(schedules) + " schedules, " +
          std::to_string(violations) + " violations.\n";
  return text;
}

}  // namespace

std::string RenderKillTableText(const KillTable& table) {
  return Aligned(CellRows(table)) + "\n" + Aligned(ProductionRows(table));
}

std::string RenderKillTableMarkdown(const KillTable& table,
                                    const std::string& command) {
  const KillTableOptions& options = table.options;
  std::string text =
      "# Fault kill table\n\n"
      "Which executor, and for the controlled executor which granularity "
      "(coarse: the map's named scheduling points; fine: every shared "
      "access; weak: fine plus the C++ memory model; harness/README.md), "
      "catches which injected fault of the tophash map, how fast, and how "
      "small the minimized case gets. Generated by\n\n"
      "```\n" +
      command +
      "\n```\n\n"
      "in " +
      std::to_string(table.wall_time.count()) + " s of wall time. ";
  text += "Each cell ran " + std::to_string(options.seeds) +
          " searches; search k draws generated schedules from its own stream "
          "(`GenerateSchedule(StreamScheduleSeed(k, i))`, i = 0, 1, ...) and "
          "stops at its first violation or after " +
          Seconds(options.search_time) +
          ". *caught* counts the searches that found a violation; the "
          "medians are over all searches, a miss counting as slower than any "
          "catch (so `> limit` means more than half missed). *violation* is "
          "the kind of the cell's first finding. That finding was then "
          "minimized (`harness/minimize`, at most " +
          Seconds(options.minimize_time) +
          "; stress candidates count as failing if one of " +
          std::to_string(options.stress_trials) +
          " trials fails); *switches* are the context switches of the "
          "minimized controlled run, and *(budget)* marks a minimization "
          "that stopped on its time budget before reaching 1-minimality.\n\n";
  text += "## Goals\n\n" + Goals(table) + "\n";
  text += "## Faults\n\n" + Markdown(CellRows(table)) + "\n";
  text +=
      "## Production map\n\n"
      "Schedules from fresh streams of the same generator, run in the "
      "same session against the map without faults. *unknown* counts "
      "histories the checker could not decide within its budget (neither "
      "a pass nor a violation).\n\n" +
      Markdown(ProductionRows(table));
  return text;
}

}  // namespace thfuzz
