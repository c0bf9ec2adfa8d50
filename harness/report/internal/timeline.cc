// ASCII timelines of events (see timeline.h).

#include "harness/report/internal/timeline.h"

#include <algorithm>
#include <map>
#include <set>

namespace thfuzz::report_internal {
namespace {

constexpr size_t kLaneTitle = 6;  // "T0    "
constexpr size_t kMinGap = 2;     // columns between consecutive instants
constexpr size_t kOpenTail = 4;   // extra room after an unfinished label
constexpr size_t kRulerOverhang = 4;

enum class LabelStyle { kFull, kKindAndKey, kNumber };

std::string Label(const Event& event, LabelStyle style) {
  std::string full = PrintEvent(event);
  switch (style) {
    case LabelStyle::kFull:
      return full.substr(full.find("] ") + 2);
    case LabelStyle::kKindAndKey: {
      std::string label(OpKindName(event.kind));
      if (IsSingleKey(event.kind)) label += " k" + std::to_string(event.key);
      return label;
    }
    case LabelStyle::kNumber:
      return "#" + std::to_string(event.index);
  }
  return full;
}

class Layout {
 public:
  Layout(const History& history, const std::vector<size_t>& events,
         std::optional<size_t> offending, LabelStyle style)
      : history_(history), events_(events), offending_(offending) {
    for (size_t e : events_) labels_[e] = Label(history.events[e], style);
    PlaceInstants();
  }

  size_t Width() const { return kLaneTitle + right_edge_ + 1 + kRulerOverhang; }
  std::string Draw() const;

 private:
  void PlaceInstants();
  std::string Ruler() const;
  std::string Lane(uint8_t thread) const;

  const History& history_;
  const std::vector<size_t>& events_;
  std::optional<size_t> offending_;
  std::map<size_t, std::string> labels_;
  std::map<uint64_t, size_t> column_;  // instant -> column after the title
  size_t right_edge_ = 0;
};

void Layout::PlaceInstants() {
  std::set<uint64_t> instants;
  for (size_t e : events_) {
    const Event& event = history_.events[e];
    instants.insert(event.invoke);
    if (event.completed) instants.insert(event.response);
  }
  size_t next = 0;
  for (uint64_t instant : instants) {
    size_t column = next;
    for (size_t e : events_) {
      const Event& event = history_.events[e];
      if (event.completed && event.response == instant) {
        // "|-" label "-|": the label needs its width plus three columns.
        column =
            std::max(column, column_[event.invoke] + labels_.at(e).size() + 3);
      }
    }
    column_[instant] = column;
    next = column + kMinGap;
  }
  right_edge_ = next == 0 ? 0 : next - kMinGap;
  for (size_t e : events_) {
    const Event& event = history_.events[e];
    if (event.completed) continue;
    right_edge_ = std::max(
        right_edge_, column_[event.invoke] + labels_.at(e).size() + kOpenTail);
  }
}

// Times written under their columns where they do not collide.
std::string Layout::Ruler() const {
  // Room for the last time's digits past the right edge.
  std::string line(kLaneTitle + right_edge_ + 1 + kRulerOverhang, ' ');
  line.replace(0, 4, "time");
  size_t free_from = kLaneTitle;
  for (const auto& [instant, column] : column_) {
    std::string text = std::to_string(instant);
    size_t at = kLaneTitle + column;
    if (at < free_from || at + text.size() > line.size()) continue;
    line.replace(at, text.size(), text);
    free_from = at + text.size() + 1;
  }
  line.erase(line.find_last_not_of(' ') + 1);
  return line + "\n";
}

std::string Layout::Lane(uint8_t thread) const {
  std::string line(kLaneTitle + right_edge_ + 1, ' ');
  std::string title = "T" + std::to_string(thread);
  line.replace(0, title.size(), title);
  for (size_t e : events_) {
    const Event& event = history_.events[e];
    if (event.thread != thread) continue;
    size_t start = kLaneTitle + column_.at(event.invoke);
    size_t end = kLaneTitle +
                 (event.completed ? column_.at(event.response) : right_edge_);
    std::fill(line.begin() + start, line.begin() + end,
              e == offending_ ? '=' : '-');
    line[start] = '|';
    line[end] = event.completed ? '|' : '>';
    const std::string& label = labels_.at(e);
    size_t room = end - start - 1;
    size_t offset = start + 1 + (room - label.size()) / 2;
    line.replace(offset, label.size(), label);
  }
  line.erase(line.find_last_not_of(' ') + 1);
  return line + "\n";
}

std::string Layout::Draw() const {
  std::set<uint8_t> threads;
  for (size_t e : events_) threads.insert(history_.events[e].thread);
  std::string text = Ruler();
  for (uint8_t thread : threads) text += Lane(thread);
  return text;
}

}  // namespace

Timeline DrawTimeline(const History& history, const std::vector<size_t>& events,
                      std::optional<size_t> offending, size_t width) {
  // Every instant takes kMinGap columns at least: a long list cannot fit,
  // and laying it out would cost quadratic time for nothing.
  std::set<uint64_t> instants;
  for (size_t e : events) {
    instants.insert(history.events[e].invoke);
    if (history.events[e].completed)
      instants.insert(history.events[e].response);
    if (kLaneTitle + instants.size() * kMinGap > width) {
      instants.clear();
      break;
    }
  }
  for (LabelStyle style :
       {LabelStyle::kFull, LabelStyle::kKindAndKey, LabelStyle::kNumber}) {
    if (instants.empty() && !events.empty()) break;
    Layout layout(history, events, offending, style);
    if (layout.Width() <= width) {
      return {layout.Draw(), style == LabelStyle::kFull};
    }
  }
  return {"(too many operations to draw in " + std::to_string(width) +
              " columns; the list below has them all)\n",
          false};
}

}  // namespace thfuzz::report_internal
