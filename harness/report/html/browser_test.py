#!/usr/bin/env python3
"""Loads HTML reports in headless Chromium and checks them from the DOM.

    browser_test.py [--chromium PATH] [--screenshots DIR] REPORT.html...

For every report, at a 1280x800 viewport:
  * the page runs without a script error;
  * the offending operation's box (or, for a violation without one, a box of
    the counterexample or the final snapshot in the side panel) is inside the
    viewport without scrolling, and is what a click there would hit;
  * a real mouse click (DevTools Input.dispatchMouseEvent) on an operation of
    the checker's order pins it in the side panel, and the panel's "Map after
    it" table equals the map this script computes itself by replaying the
    order from the page's data island;
  * a click on the first operation named in the "Why" text pins it;
  * '+' zooms the time axis in and 'fit' brings it back within the window;
  * in the per-key view the offending box is still visible and clickable;
  * with --screenshots, a PNG of the page's top as loaded (1280x560 at 3/4
    size) goes to DIR/NAME.png.
A campaign page (report/campaign_plot.h: `<main class="campaign">`) has no
timeline; for it: no script error, nothing fetched, at least one chart,
every chart inside the window's width without horizontal scrolling, every
line drawn (at least one point, at most MAX_PLOT_POINTS, as many as its
data-points says, inside its chart) with its legend entry.
Exit status 0 when every report passes, 1 otherwise, 2 when Chromium cannot
be started.

Chromium is driven over its DevTools pipe (--remote-debugging-pipe: JSON
messages separated by NUL bytes on file descriptors 3 and 4), so no
WebSocket client or npm package is needed. It starts with the flags a closed
network needs (no QUIC, no background networking, no component updates, no
sync, no first-run) and a fresh profile directory.
"""

import argparse
import base64
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time

WIDTH, HEIGHT = 1280, 800
MAX_PLOT_POINTS = 400  # kMaxPlotPoints in harness/report/campaign_plot.h
SHOT_HEIGHT, SHOT_SCALE = 560, 0.75
TIMEOUT_S = 30


class Browser:
    """One headless Chromium, one page at a time, over the DevTools pipe."""

    def __init__(self, chromium):
        self.profile = tempfile.mkdtemp(prefix="thfuzz-chromium-")
        to_browser_r, self.to_browser = os.pipe()
        self.from_browser, from_browser_w = os.pipe()

        def child_fds():
            # Chromium reads commands on fd 3 and writes replies on fd 4.
            r, w = os.dup(to_browser_r), os.dup(from_browser_w)
            os.dup2(r, 3)
            os.dup2(w, 4)

        self.process = subprocess.Popen(
            [chromium, "--headless", "--no-sandbox", "--disable-gpu",
             "--disable-quic", "--no-first-run",
             "--disable-background-networking", "--disable-component-update",
             "--disable-sync", "--hide-scrollbars", "--mute-audio",
             "--user-data-dir=" + self.profile, "--remote-debugging-pipe",
             "about:blank"],
            preexec_fn=child_fds, close_fds=False,
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        os.close(to_browser_r)
        os.close(from_browser_w)
        self.buffer = b""
        self.next_id = 0
        self.events = []
        self.session = None

    def call(self, method, params=None, session=True):
        self.next_id += 1
        message = {"id": self.next_id, "method": method, "params": params or {}}
        if session and self.session:
            message["sessionId"] = self.session
        os.write(self.to_browser, json.dumps(message).encode() + b"\0")
        deadline = time.time() + TIMEOUT_S
        while True:
            reply = self._read(deadline)
            if reply.get("id") == self.next_id:
                if "error" in reply:
                    raise RuntimeError(f"{method}: {reply['error']}")
                return reply.get("result", {})
            if "method" in reply:
                self.events.append(reply)

    def _read(self, deadline):
        while b"\0" not in self.buffer:
            if time.time() > deadline:
                raise TimeoutError("Chromium did not answer in time")
            chunk = os.read(self.from_browser, 1 << 16)
            if not chunk:
                raise RuntimeError("Chromium closed the DevTools pipe")
            self.buffer += chunk
        message, self.buffer = self.buffer.split(b"\0", 1)
        return json.loads(message)

    def open(self, url):
        target = self.call("Target.createTarget", {"url": "about:blank"},
                           session=False)["targetId"]
        self.session = self.call(
            "Target.attachToTarget", {"targetId": target, "flatten": True},
            session=False)["sessionId"]
        self.call("Emulation.setDeviceMetricsOverride",
                  {"width": WIDTH, "height": HEIGHT, "deviceScaleFactor": 1,
                   "mobile": False})
        self.call("Runtime.enable")
        self.call("Page.enable")
        self.events = []
        self.call("Page.navigate", {"url": url})
        deadline = time.time() + TIMEOUT_S
        while not any(e.get("method") == "Page.loadEventFired"
                      for e in self.events):
            self.events.append(self._read(deadline))
        return target

    def evaluate(self, expression):
        result = self.call("Runtime.evaluate",
                           {"expression": expression, "returnByValue": True})
        if "exceptionDetails" in result:
            raise RuntimeError(f"{expression}: {result['exceptionDetails']}")
        return result["result"].get("value")

    def click(self, x, y):
        for kind in ("mouseMoved", "mousePressed", "mouseReleased"):
            self.call("Input.dispatchMouseEvent",
                      {"type": kind, "x": x, "y": y, "button": "left",
                       "clickCount": 1})

    def screenshot(self, path):
        # The top of the page (header, timeline, panel), at 3/4 size: small
        # enough to commit under docs/.
        clip = {"x": 0, "y": 0, "width": WIDTH, "height": SHOT_HEIGHT,
                "scale": SHOT_SCALE}
        png = self.call("Page.captureScreenshot",
                        {"format": "png", "clip": clip})["data"]
        with open(path, "wb") as out:
            out.write(base64.b64decode(png))

    def script_errors(self):
        return [e["params"] for e in self.events
                if e.get("method") == "Runtime.exceptionThrown"]

    def close(self):
        try:
            self.call("Browser.close", session=False)
        except Exception:  # it may be gone already
            pass
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
        shutil.rmtree(self.profile, ignore_errors=True)


# The rectangle of an element, and whether a click at its centre hits it.
RECT_JS = """(function (selector) {
  var node = document.querySelector(selector);
  if (!node) return null;
  var box = node.querySelector('rect') || node;
  var r = box.getBoundingClientRect();
  var cx = r.left + r.width / 2, cy = r.top + r.height / 2;
  var hit = document.elementFromPoint(cx, cy);
  return {left: r.left, top: r.top, right: r.right, bottom: r.bottom,
          cx: cx, cy: cy, hits: !!hit && node.contains(hit),
          scrollX: window.scrollX, scrollY: window.scrollY};
})(%s)"""

PANEL_JS = """(function () {
  var panel = document.getElementById('panel');
  var headings = Array.prototype.slice.call(panel.querySelectorAll('h4'));
  var after = headings.filter(function (h) { return h.textContent === 'Map after it'; })[0];
  var table = after && after.nextElementSibling;
  var rows = table && table.matches('table.state')
      ? Array.prototype.map.call(table.rows, function (tr) {
          return [tr.cells[0].textContent, tr.cells[1].textContent]; })
      : [];
  var title = panel.querySelector('h3');
  return {title: title ? title.textContent : '', rows: rows, text: panel.textContent,
          headings: headings.map(function (h) { return h.textContent; })};
})()"""


# The first operation link of the "Why" text, scrolled into view.
LINK_JS = """(function () {
  var a = document.querySelector('#why a.opref');
  if (!a) return null;
  a.scrollIntoView({block: 'center'});
  var r = a.getBoundingClientRect();
  var cx = r.left + r.width / 2, cy = r.top + r.height / 2;
  var hit = document.elementFromPoint(cx, cy);
  return {name: a.textContent, cx: cx, cy: cy, hits: !!hit && a.contains(hit)};
})()"""


# The timeline's width fitted, after one '+' and after 'fit'.
ZOOM_JS = """(function () {
  function press(label) {
    Array.prototype.filter.call(document.querySelectorAll('#toolbar button'),
        function (b) { return b.textContent === label; })[0].click();
  }
  function width() {
    var svg = document.getElementById('timeline');
    return svg ? svg.getBoundingClientRect().width : null;
  }
  var fit = width();
  if (fit === null) return null;
  press('+');
  var zoomed = width();
  press('fit');
  return {fit: fit, zoomed: zoomed, back: width()};
})()"""


def replay_map(data, count):
    """The map after the first `count` operations of the page's order."""
    contents = {}
    for e in data["order"][:count]:
        event = data["events"][e]
        key, op = event["key"], event["op"]
        if op == "insert" and key not in contents:
            contents[key] = event["value"]
        elif op == "insert_or_assign":
            contents[key] = event["value"]
        elif op == "erase":
            contents.pop(key, None)
        elif op == "clear":
            contents.clear()
    return [["k" + data["keys"][k], v] for k, v in sorted(contents.items())]


def inside_viewport(rect):
    return (rect["left"] >= 0 and rect["top"] >= 0 and
            rect["right"] <= WIDTH and rect["bottom"] <= HEIGHT)


# What a campaign page draws: its charts, lines and legends, measured.
CAMPAIGN_JS = """(function () {
  var charts = Array.prototype.map.call(
      document.querySelectorAll('svg.plot'), function (svg) {
    var box = svg.getBoundingClientRect();
    var lines = Array.prototype.map.call(
        svg.querySelectorAll('polyline'), function (line) {
      var r = line.getBoundingClientRect();
      return {points: line.points.numberOfItems,
              declared: Number(line.getAttribute('data-points')),
              inside: r.left >= box.left - 1 && r.right <= box.right + 1 &&
                      r.top >= box.top - 1 && r.bottom <= box.bottom + 1};
    });
    var legend = svg.nextElementSibling;
    return {id: svg.id, left: box.left, right: box.right, width: box.width,
            height: box.height, lines: lines,
            legend: legend && legend.matches('ul.legend')
                ? legend.querySelectorAll('li').length : -1};
  });
  return {charts: charts,
          scrollWidth: document.documentElement.scrollWidth,
          fetched: performance.getEntriesByType('resource').length};
})()"""


def check_campaign_page(browser, path, screenshots):
    failures = []
    if screenshots:
        name = os.path.splitext(os.path.basename(path))[0]
        browser.screenshot(os.path.join(screenshots, name + ".png"))
    for error in browser.script_errors():
        failures.append(f"script error: {error.get('exceptionDetails')}")
    page = browser.evaluate(CAMPAIGN_JS)
    if page["fetched"]:
        failures.append(f"the page fetched {page['fetched']} resource(s)")
    if not page["charts"]:
        failures.append("no chart on the campaign page")
    if page["scrollWidth"] > WIDTH:
        failures.append(f"the page scrolls sideways at {WIDTH} px: "
                        f"{page['scrollWidth']} px wide")
    for chart in page["charts"]:
        where = chart["id"]
        if chart["width"] < 300 or chart["height"] < 60 or \
                chart["right"] > WIDTH:
            failures.append(f"{where} is not drawn inside the window: {chart}")
        if not chart["lines"]:
            failures.append(f"{where} has no line")
        if chart["legend"] != len(chart["lines"]):
            failures.append(f"{where}: {len(chart['lines'])} lines but "
                            f"{chart['legend']} legend entries")
        for i, line in enumerate(chart["lines"]):
            if not 1 <= line["points"] <= MAX_PLOT_POINTS or \
                    line["points"] != line["declared"]:
                failures.append(f"{where} line {i}: {line['points']} points "
                                f"(declared {line['declared']}, at most "
                                f"{MAX_PLOT_POINTS})")
            if not line["inside"]:
                failures.append(f"{where} line {i} leaves its chart")
    return failures


def check_report(browser, path, screenshots):
    """Returns a list of failures (empty: the report passed)."""
    target = browser.open("file://" + os.path.abspath(path))
    try:
        if browser.evaluate("!!document.querySelector('main.campaign')"):
            return check_campaign_page(browser, path, screenshots)
        return check_page(browser, path, screenshots)
    finally:
        browser.call("Target.closeTarget", {"targetId": target}, session=False)


def check_page(browser, path, screenshots):
    failures = []
    data = browser.evaluate(
        "JSON.parse(document.getElementById('data').textContent)")
    name = os.path.splitext(os.path.basename(path))[0]
    if screenshots:
        browser.screenshot(os.path.join(screenshots, name + ".png"))
    for error in browser.script_errors():
        failures.append(f"script error: {error.get('exceptionDetails')}")
    if not data["events"]:
        text = browser.evaluate("document.getElementById('chart').textContent")
        if "Nothing to draw" not in text:
            failures.append("an empty history does not say there is nothing "
                            "to draw")
        return failures

    # What went wrong is on screen, unscrolled, and clickable.
    if data["offending"] is not None:
        target = f"#op-{data['offending']}"
    elif data["named"]:
        target = f"#op-{data['named'][0]}"
    else:
        target = None
    if (data["kind"] != "linearizable" and target is None
            and not data["finalAtFault"]):
        failures.append(f"a {data['kind']} report highlights nothing: no "
                        f"offending operation, none named, no snapshot")
    if target:
        rect = browser.evaluate(RECT_JS % json.dumps(target))
        if rect is None:
            failures.append(f"no box {target}")
        elif not inside_viewport(rect) or rect["scrollX"] or rect["scrollY"]:
            failures.append(f"box {target} is not visible without scrolling "
                            f"at {WIDTH}x{HEIGHT}: {rect}")
        elif not rect["hits"]:
            failures.append(f"a click on {target}'s centre hits something else")
    if data["finalAtFault"]:
        panel = browser.evaluate(PANEL_JS)
        if not any("final snapshot" in h for h in panel["headings"]):
            failures.append("the final snapshot is at fault but the panel "
                            "does not show it")
    if data["kind"] != "linearizable" and data["offending"] is not None:
        panel = browser.evaluate(PANEL_JS)
        offending_name = data["events"][data["offending"]]["name"]
        if offending_name not in panel["title"]:
            failures.append(f"the panel does not start on the offending "
                            f"operation {offending_name}: {panel['title']!r}")

    # A real click on an operation of the checker's order shows the map.
    if data["order"]:
        position = len(data["order"]) - 1
        event = data["order"][position]
        rect = browser.evaluate(RECT_JS % json.dumps(f"#op-{event}"))
        if rect is None or not rect["hits"]:
            failures.append(f"operation #op-{event} cannot be clicked: {rect}")
        else:
            browser.click(rect["cx"], rect["cy"])
            panel = browser.evaluate(PANEL_JS)
            expected = replay_map(data, position + 1)
            if data["events"][event]["name"] not in panel["title"]:
                failures.append(f"clicking {data['events'][event]['name']} "
                                f"shows {panel['title']!r}")
            if "Map after it" not in panel["headings"]:
                failures.append(f"no 'Map after it' after a click: "
                                f"{panel['headings']}")
            elif panel["rows"] != expected and not (
                    not expected and "{} (empty)" in panel["text"]):
                failures.append(f"the map after {data['events'][event]['name']}"
                                f" reads {panel['rows']}, expected {expected}")
            pinned = browser.evaluate("location.hash")
            if not pinned.startswith("#op=T"):
                failures.append(f"the click did not pin the operation "
                                f"({pinned!r})")
    elif data["kind"] == "linearizable":
        failures.append("a linearizable history came without the checker's "
                        "order")

    # The "Why" text links to the boxes: clicking its first operation name
    # pins that operation.
    # The pointer leaves the boxes first, and the link's place is measured
    # again until the layout has settled (a pinned box changes the panel).
    browser.call("Input.dispatchMouseEvent",
                 {"type": "mouseMoved", "x": 1, "y": 1})
    link = browser.evaluate(LINK_JS)
    for _ in range(10):
        if link is None or link["hits"]:
            break
        time.sleep(0.1)
        link = browser.evaluate(LINK_JS)
    if link is not None:
        browser.click(link["cx"], link["cy"])
        pinned = browser.evaluate("location.hash")
        wanted = "#op=" + link["name"].replace("#", "-")
        if not pinned.startswith(wanted):
            failures.append(f"clicking {link['name']} in the Why text pins "
                            f"{pinned!r}, not {wanted!r}")

    # Zoom: '+' widens the time axis, 'fit' brings it back to the window.
    widths = browser.evaluate(ZOOM_JS)
    if widths and not (widths["zoomed"] > widths["fit"] * 1.4 and
                       abs(widths["back"] - widths["fit"]) < 2 and
                       widths["fit"] <= WIDTH):
        failures.append(f"zoom does not work: {widths}")

    # The per-key view keeps what went wrong on screen.
    browser.evaluate("Array.prototype.filter.call("
                     "document.querySelectorAll('#toolbar button'), "
                     "function (b) { return b.textContent === 'keys'; })"
                     "[0].click()")
    if target:
        rect = browser.evaluate(RECT_JS % json.dumps(target))
        if rect is None or not inside_viewport(rect) or not rect["hits"]:
            failures.append(f"in the per-key view, box {target} is not "
                            f"visible and clickable: {rect}")
    return failures


def find_chromium(explicit):
    for candidate in [explicit, "chromium", "chromium-browser",
                      "google-chrome"]:
        if candidate and shutil.which(candidate):
            return shutil.which(candidate)
    return None


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--chromium")
    parser.add_argument("--screenshots")
    parser.add_argument("reports", nargs="+")
    args = parser.parse_args()
    chromium = find_chromium(args.chromium)
    if not chromium:
        print("browser_test: no chromium on PATH (bash ci/setup.sh browser)",
              file=sys.stderr)
        return 2
    if args.screenshots:
        os.makedirs(args.screenshots, exist_ok=True)
    browser = Browser(chromium)
    failed = 0
    try:
        for report in args.reports:
            started = time.time()
            failures = check_report(browser, report, args.screenshots)
            status = "FAIL" if failures else "ok"
            print(f"{status:4} {report} ({time.time() - started:.1f} s)")
            for failure in failures:
                print(f"     {failure}")
            failed += bool(failures)
    finally:
        browser.close()
    print(f"browser_test: {len(args.reports) - failed} of {len(args.reports)} "
          f"reports pass")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
