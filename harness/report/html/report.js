// The HTML report's timeline, panel and links (embedded by html_report.cc;
// see html_report.h). Everything it shows comes from the JSON island
// #data; it writes text only through textContent and attributes, never as
// markup. No network, no libraries.
(function () {
  'use strict';
  var data = JSON.parse(document.getElementById('data').textContent);
  var SVG_NS = 'http://www.w3.org/2000/svg';
  var events = data.events;
  var LABEL_WIDTH = 64, AXIS_HEIGHT = 24, ROW_HEIGHT = 26, BOX_HEIGHT = 20;
  var LANE_PAD = 6, CHAR_WIDTH = 6.7;

  // --- Lookups -------------------------------------------------------------
  function setOf(list) {
    var s = {};
    list.forEach(function (x) { s[x] = true; });
    return s;
  }
  var named = setOf(data.named), writers = setOf(data.writers);
  var byId = {};
  events.forEach(function (e, i) { byId['T' + e.thread + '#' + e.index] = i; });
  var orderPosition = {};
  data.order.forEach(function (e, p) { orderPosition[e] = p; });
  var view = { lanes: 'threads', zoom: 1, pinned: null, shown: null };

  function keyName(k) { return k < 0 ? 'map' : 'k' + data.keys[k]; }
  function timeLabel(t) {
    return data.timeBase ? data.timeBase + '+' + t : String(t);
  }

  // --- DOM helpers -----------------------------------------------------------
  function html(tag, attrs, text) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (a) { node.setAttribute(a, attrs[a]); });
    if (text !== undefined) node.textContent = text;
    return node;
  }
  function svg(tag, attrs, text) {
    var node = document.createElementNS(SVG_NS, tag);
    Object.keys(attrs || {}).forEach(function (a) { node.setAttribute(a, attrs[a]); });
    if (text !== undefined) node.textContent = text;
    return node;
  }
  function opLink(e) {
    var a = html('a', { 'class': 'opref', href: '#op=T' + events[e].thread + '-' + events[e].index },
                 events[e].name);
    wireLink(a, e);
    return a;
  }

  // --- The map model, to show the state after a prefix of the order ----------
  function apply(map, e) {
    var ev = events[e];
    if (ev.op === 'insert' && !(ev.key in map)) map[ev.key] = ev.value;
    else if (ev.op === 'insert_or_assign') map[ev.key] = ev.value;
    else if (ev.op === 'erase') delete map[ev.key];
    else if (ev.op === 'clear') Object.keys(map).forEach(function (k) { delete map[k]; });
  }
  function stateAfter(count) {
    var map = {};
    for (var i = 0; i < count; i++) apply(map, data.order[i]);
    return map;
  }
  // What the operation would return against `map`; '' for no result.
  function answer(e, map) {
    var ev = events[e];
    var present = ev.key in map;
    if (ev.op === 'find') return present ? 'ok ' + map[ev.key] : 'absent';
    if (ev.op === 'insert') return present ? 'false' : 'true';
    if (ev.op === 'erase') return present ? 'true' : 'false';
    if (ev.op === 'size') return String(Object.keys(map).length);
    return '';
  }
  function stateTable(map) {
    var keys = Object.keys(map).map(Number).sort(function (a, b) { return a - b; });
    if (!keys.length) return html('p', {}, '{} (empty)');
    var table = html('table', { 'class': 'state' });
    keys.forEach(function (k) {
      var row = html('tr');
      row.appendChild(html('td', {}, keyName(k)));
      row.appendChild(html('td', {}, map[k]));
      table.appendChild(row);
    });
    return table;
  }
  function orderList(count, here) {
    var ol = html('ol');
    for (var i = 0; i < count; i++) {
      var e = data.order[i];
      var li = html('li', e === here ? { 'class': 'here' } : {});
      li.appendChild(opLink(e));
      if (events[e].result) li.appendChild(document.createTextNode(' -> ' + events[e].result));
      ol.appendChild(li);
    }
    return ol;
  }

  // --- Lanes ---------------------------------------------------------------
  // [{label, rows: number, thread}] and, per event, its lane and row.
  function layout() {
    var lanes = [], place = {};
    var keyOf = function (e) {
      return view.lanes === 'threads' ? events[e].thread : events[e].key;
    };
    var ids = [];
    events.forEach(function (e, i) {
      var id = keyOf(i);
      if (ids.indexOf(id) < 0) ids.push(id);
    });
    if (view.lanes === 'threads') {
      data.marks.forEach(function (m) { if (ids.indexOf(m.thread) < 0) ids.push(m.thread); });
    }
    ids.sort(function (a, b) { return (a < 0) - (b < 0) || a - b; });
    ids.forEach(function (id) {
      var lane = { id: id, label: view.lanes === 'threads' ? 'T' + id : keyName(id), rowEnds: [] };
      events.forEach(function (e, i) {
        if (keyOf(i) !== id) return;
        var end = e.response === null ? Infinity : e.response;
        var row = 0;
        while (row < lane.rowEnds.length && lane.rowEnds[row] >= e.invoke) row++;
        lane.rowEnds[row] = end;
        place[i] = { lane: lanes.length, row: row };
      });
      lane.rows = Math.max(1, lane.rowEnds.length);
      lanes.push(lane);
    });
    var y = AXIS_HEIGHT;
    lanes.forEach(function (lane) {
      lane.y = y;
      lane.height = lane.rows * ROW_HEIGHT + LANE_PAD;
      y += lane.height;
    });
    return { lanes: lanes, place: place, height: y + 4 };
  }

  function timeDomain() {
    var lo = Infinity, hi = -Infinity;
    events.forEach(function (e) {
      lo = Math.min(lo, e.invoke);
      hi = Math.max(hi, e.response === null ? e.invoke : e.response);
    });
    data.marks.forEach(function (m) { lo = Math.min(lo, m.time); hi = Math.max(hi, m.time + 1); });
    var pending = events.some(function (e) { return e.response === null; });
    return { start: lo - 0.5, end: hi + (pending ? 2 : 0.5), open: hi + 1.5 };
  }

  // The smallest of 1, 2, 5, 10, 20, 50, ... time units at least `raw`.
  function niceStep(raw) {
    if (raw <= 1) return 1;
    var p = Math.pow(10, Math.floor(Math.log(raw) / Math.LN10));
    var steps = [1, 2, 5, 10];
    for (var i = 0; i < steps.length; i++) if (steps[i] * p >= raw) return steps[i] * p;
    return 10 * p;
  }

  // --- Drawing ---------------------------------------------------------------
  function boxLabel(e, width) {
    var candidates = [events[e].label, events[e].op + (events[e].key >= 0 ? ' ' + keyName(events[e].key) : ''),
                      '#' + events[e].index];
    for (var i = 0; i < candidates.length; i++) {
      if (candidates[i].length * CHAR_WIDTH + 8 <= width) return candidates[i];
    }
    return '';
  }

  function draw() {
    var chart = document.getElementById('chart');
    while (chart.firstChild) chart.removeChild(chart.firstChild);
    if (!events.length) {
      chart.appendChild(html('p', { 'class': 'empty' },
                             'Nothing to draw: this history has no operations.'));
      return;
    }
    var domain = timeDomain();
    var available = Math.max(300, chart.clientWidth - 2);
    var plot = (available - LABEL_WIDTH - 12) * view.zoom;
    var scale = plot / (domain.end - domain.start);
    var x = function (t) { return LABEL_WIDTH + (t - domain.start) * scale; };
    var lay = layout();
    var root = svg('svg', { width: Math.ceil(LABEL_WIDTH + plot + 12), height: lay.height,
                            id: 'timeline' });
    // Lanes and their titles.
    lay.lanes.forEach(function (lane, n) {
      if (n % 2 === 0) {
        root.appendChild(svg('rect', { 'class': 'lane-bg', x: 0, y: lane.y, width: LABEL_WIDTH + plot + 12,
                                       height: lane.height }));
      }
      root.appendChild(svg('text', { 'class': 'lane-label', x: 8, y: lane.y + 17 }, lane.label));
    });
    // The time axis: ticks at 1, 2 or 5 times a power of ten, 60 px apart or more.
    var axis = svg('g', { 'class': 'axis' });
    var step = niceStep(60 / scale);
    for (var t = Math.ceil((domain.start + 0.5) / step) * step; t <= domain.end; t += step) {
      axis.appendChild(svg('line', { x1: x(t), x2: x(t), y1: AXIS_HEIGHT - 4, y2: lay.height }));
      axis.appendChild(svg('text', { x: x(t) + 2, y: AXIS_HEIGHT - 8 }, timeLabel(t)));
    }
    axis.appendChild(svg('text', { x: 4, y: AXIS_HEIGHT - 8 }, 'time'));
    root.appendChild(axis);
    // Context switches and stale reads, on their thread's lane.
    if (view.lanes === 'threads') {
      data.marks.forEach(function (m) {
        var lane = lay.lanes.filter(function (l) { return l.id === m.thread; })[0];
        if (!lane) return;
        var mx = x(m.time + 0.5);
        var mark = m.kind === 'switch'
            ? svg('line', { 'class': 'switch', x1: mx, x2: mx, y1: lane.y + 1, y2: lane.y + lane.height - 1 })
            : svg('circle', { 'class': 'stale', cx: mx, cy: lane.y + 4, r: 4 });
        mark.appendChild(svg('title', {}, m.text));
        root.appendChild(mark);
      });
    }
    // Room for each label: up to the next box in the same row, or the end.
    var room = {};
    lay.lanes.forEach(function (lane, n) {
      var rows = {};
      events.forEach(function (e, i) {
        var w = lay.place[i];
        if (w.lane !== n) return;
        (rows[w.row] = rows[w.row] || []).push(i);
      });
      Object.keys(rows).forEach(function (r) {
        var list = rows[r].sort(function (a, b) { return events[a].invoke - events[b].invoke; });
        list.forEach(function (i, k) {
          var next = k + 1 < list.length ? x(events[list[k + 1]].invoke) : LABEL_WIDTH + plot + 12;
          room[i] = next - x(events[i].invoke) - 2;
        });
      });
    });
    // The operations.
    var shownPosition = view.shown !== null ? orderPosition[view.shown] : undefined;
    events.forEach(function (e, i) {
      var where = lay.place[i], lane = lay.lanes[where.lane];
      var x0 = x(e.invoke), x1 = e.response === null ? x(domain.open) : x(e.response);
      var y = lane.y + where.row * ROW_HEIGHT + (ROW_HEIGHT - BOX_HEIGHT) / 2 + 1;
      var width = Math.max(x1 - x0, 5);
      var classes = ['op'];
      if (named[i]) classes.push('named');
      if (writers[i]) classes.push('writer');
      if (e.response === null) classes.push('pending');
      if (shownPosition !== undefined && orderPosition[i] !== undefined &&
          orderPosition[i] <= shownPosition) classes.push('inorder');
      if (i === data.offending) classes.push('offending');
      if (i === view.shown) classes.push('selected');
      var g = svg('g', { 'class': classes.join(' '), id: 'op-' + i, 'data-e': i, tabindex: 0 });
      g.appendChild(svg('title', {}, e.line));
      g.appendChild(svg('rect', { x: x0, y: y, width: width, height: BOX_HEIGHT, rx: 3 }));
      var label = boxLabel(i, Math.max(width, room[i]));
      if (label) g.appendChild(svg('text', { x: x0 + 4, y: y + 14 }, label));
      if (i === data.offending) {
        g.appendChild(svg('text', { 'class': 'offending-marker', x: x0 + Math.min(width / 2, 12) - 5,
                                    y: y - 1 }, '\u25bc'));
      }
      if (shownPosition !== undefined && orderPosition[i] !== undefined &&
          orderPosition[i] <= shownPosition) {
        var badge = svg('g', { 'class': 'badge' });
        badge.appendChild(svg('circle', { cx: x0 + width - 1, cy: y + 1, r: 7 }));
        badge.appendChild(svg('text', { x: x0 + width - 1, y: y + 4.5, 'text-anchor': 'middle' },
                              String(orderPosition[i] + 1)));
        g.appendChild(badge);
      }
      g.addEventListener('mouseenter', function () { preview(i); });
      g.addEventListener('mouseleave', function () { preview(null); });
      g.addEventListener('click', function () { pin(i); });
      g.addEventListener('keydown', function (k) { if (k.key === 'Enter') pin(i); });
      root.appendChild(g);
    });
    chart.appendChild(root);
  }

  // --- The side panel ------------------------------------------------------------
  function valueKind() {
    return ['torn_value', 'foreign_value', 'phantom_value'].indexOf(data.kind) >= 0;
  }
  function tag(cls, text) { return html('span', { 'class': 'tag ' + cls }, text); }

  function showPanel(e) {
    var panel = document.getElementById('panel');
    while (panel.firstChild) panel.removeChild(panel.firstChild);
    if (e === null) {
      panel.appendChild(html('p', { 'class': 'hint' },
          'Hover or click an operation to see the checker\u2019s order up to it and the map after it.'));
      if (data.finalAtFault && data.final) showFinal(panel);
      return;
    }
    var ev = events[e];
    var title = html('h3');
    if (e === data.offending) title.appendChild(tag('bad', 'went wrong'));
    if (writers[e]) title.appendChild(tag('writer', 'wrote part of the bad value'));
    else if (named[e] && e !== data.offending) title.appendChild(tag('named', 'in the counterexample'));
    title.appendChild(document.createTextNode(ev.name));
    panel.appendChild(title);
    panel.appendChild(html('code', {}, ev.line));
    if (e === data.offending) {
      panel.appendChild(linkified('p', data.summary));
      if (data.valueOrigin) panel.appendChild(linkified('p', 'Its words: ' + data.valueOrigin));
    }
    var position = orderPosition[e];
    var prefix = data.orderIsPrefix ? 'longest linearizable prefix' : 'linearization';
    if (position !== undefined) {
      panel.appendChild(html('h4', {}, 'The checker\u2019s ' + prefix + ' up to it (' + (position + 1) +
                                       ' of ' + data.order.length + ')'));
      panel.appendChild(orderList(position + 1, e));
      panel.appendChild(html('h4', {}, 'Map after it'));
      panel.appendChild(stateTable(stateAfter(position + 1)));
    } else if (data.orderIsPrefix && (data.order.length || !valueKind())) {
      var map = stateAfter(data.order.length);
      panel.appendChild(html('h4', {}, 'Not in the checker\u2019s ' + prefix + ' (' + data.order.length +
                                       (data.order.length === 1 ? ' operation)' : ' operations)')));
      if (data.order.length) panel.appendChild(orderList(data.order.length, null));
      panel.appendChild(html('h4', {}, 'Map after that prefix'));
      panel.appendChild(stateTable(map));
      var would = answer(e, map);
      if (would && ev.response !== null && would !== ev.result) {
        panel.appendChild(html('p', { 'class': 'answer' }, 'Next, it would have returned ' + would +
                                                          '; it returned ' + ev.result + '.'));
      }
    } else if (data.order.length) {
      panel.appendChild(html('p', {}, 'This call never returned, and the checker\u2019s order leaves it ' +
                                      'out: it may not have taken effect.'));
    } else {
      panel.appendChild(html('p', { 'class': 'hint' }, data.kind === 'linearizable'
          ? 'The checker gave no order for this history.'
          : 'No linearization to show: ' + (valueKind()
              ? 'a value no write stored is caught before any search, since no order can explain it.'
              : 'the executor caught this before the checker ran.')));
    }
    if (data.finalAtFault && data.final) showFinal(panel);
  }

  function showFinal(panel) {
    panel.appendChild(html('h4', {}, 'The final snapshot (what the map held at rest)'));
    var map = {};
    data.final.forEach(function (entry) { map[entry[0]] = entry[1]; });
    panel.appendChild(stateTable(map));
    if (data.invariants) panel.appendChild(html('pre', {}, data.invariants));
  }

  function preview(e) {
    var e2 = e === null ? view.pinned : e;
    if (e2 === view.shown) return;
    view.shown = e2;
    draw();
    showPanel(e2 === null ? defaultShown() : e2);
  }
  function pin(e) {
    view.pinned = view.pinned === e ? null : e;
    view.shown = view.pinned;
    draw();
    showPanel(view.pinned === null ? defaultShown() : view.pinned);
    if (view.pinned !== null) {
      history.replaceState(null, '', '#op=T' + events[e].thread + '-' + events[e].index +
                                     (view.lanes === 'keys' ? '&lanes=keys' : ''));
    }
  }
  function defaultShown() { return data.offending === null ? null : data.offending; }

  // --- Links from text to boxes --------------------------------------------------
  function wireLink(a, e) {
    a.addEventListener('mouseenter', function () {
      var box = document.getElementById('op-' + e);
      if (box) box.classList.add('hl');
    });
    a.addEventListener('mouseleave', function () {
      var box = document.getElementById('op-' + e);
      if (box) box.classList.remove('hl');
    });
    a.addEventListener('click', function (click) {
      click.preventDefault();
      // A link always pins its operation (a box click toggles).
      if (view.pinned !== e) pin(e);
      var box = document.getElementById('op-' + e);
      if (box && box.scrollIntoView) box.scrollIntoView({ block: 'nearest', inline: 'center' });
    });
  }
  // `text` with every operation name it holds (T1#0) turned into a link.
  function linkified(tagName, text) {
    var node = html(tagName);
    var pattern = /T(\d+)#(\d+)/g, last = 0, match;
    while ((match = pattern.exec(text)) !== null) {
      var e = byId[match[0]];
      if (e === undefined) continue;
      node.appendChild(document.createTextNode(text.slice(last, match.index)));
      var a = html('a', { 'class': 'opref', href: '#op=T' + match[1] + '-' + match[2] }, match[0]);
      wireLink(a, e);
      node.appendChild(a);
      last = match.index + match[0].length;
    }
    node.appendChild(document.createTextNode(text.slice(last)));
    return node;
  }
  function linkifyPage() {
    var nodes = document.querySelectorAll('.linkify');
    for (var i = 0; i < nodes.length; i++) {
      var fresh = linkified('span', nodes[i].textContent);
      while (nodes[i].firstChild) nodes[i].removeChild(nodes[i].firstChild);
      while (fresh.firstChild) nodes[i].appendChild(fresh.firstChild);
    }
  }

  // --- Toolbar: lanes, zoom, legend ----------------------------------------------------
  function button(text, title, action, on) {
    var b = html('button', { type: 'button', title: title, 'class': on ? 'on' : '' }, text);
    b.addEventListener('click', action);
    return b;
  }
  function toolbar() {
    var bar = document.getElementById('toolbar');
    while (bar.firstChild) bar.removeChild(bar.firstChild);
    bar.appendChild(document.createTextNode('Lanes:'));
    bar.appendChild(button('threads', 'one lane per thread', function () { setLanes('threads'); },
                           view.lanes === 'threads'));
    bar.appendChild(button('keys', 'one lane per key (size, clear, reserve: map)',
                           function () { setLanes('keys'); }, view.lanes === 'keys'));
    bar.appendChild(html('span', { 'class': 'gap' }));
    bar.appendChild(document.createTextNode('Zoom:'));
    bar.appendChild(button('\u2212', 'zoom out', function () { zoom(1 / 1.5); }));
    bar.appendChild(button('fit', 'fit the window', function () { view.zoom = 1; draw(); }));
    bar.appendChild(button('+', 'zoom in (or ctrl + wheel on the timeline)', function () { zoom(1.5); }));
    var legendBar = document.getElementById('legend');
    while (legendBar.firstChild) legendBar.removeChild(legendBar.firstChild);
    var legend = [['var(--bad)', 'went wrong', 'var(--bad-fill)'],
                  ['var(--named)', 'counterexample', 'var(--named-fill)'],
                  ['var(--writer)', 'wrote the bad value', 'var(--op-fill)'],
                  ['var(--order)', 'checker\u2019s order', 'var(--order-fill)']];
    legend.forEach(function (item) {
      legendBar.appendChild(html('span', { 'class': 'swatch', style: 'border-color:' + item[0] +
                                           ';background:' + item[2] }));
      legendBar.appendChild(document.createTextNode(item[1]));
    });
    legendBar.appendChild(document.createTextNode(
        '; dashed: never returned' + (data.marks.length ? '; \u00a6 context switch, \u25cf stale read' : '') +
        '. Ctrl + wheel zooms.'));
  }
  function setLanes(kind) { view.lanes = kind; toolbar(); draw(); }
  function zoom(factor) {
    var chart = document.getElementById('chart');
    var middle = (chart.scrollLeft + chart.clientWidth / 2) / chart.scrollWidth;
    view.zoom = Math.min(200, Math.max(1, view.zoom * factor));
    draw();
    chart.scrollLeft = middle * chart.scrollWidth - chart.clientWidth / 2;
  }

  // --- Start ---------------------------------------------------------------
  toolbar();
  linkifyPage();
  draw();
  document.getElementById('chart').addEventListener('wheel', function (w) {
    if (!w.ctrlKey) return;
    w.preventDefault();
    zoom(w.deltaY < 0 ? 1.25 : 1 / 1.25);
  }, { passive: false });
  window.addEventListener('resize', draw);
  document.addEventListener('keydown', function (k) {
    if (k.key === 'Escape' && view.pinned !== null) pin(view.pinned);
  });
  // The address can ask for a view: #op=T1-0 pins that operation,
  // #lanes=keys shows one lane per key (joined by '&').
  var asked = {};
  location.hash.replace(/^#/, '').split('&').forEach(function (part) {
    var pair = part.split('=');
    if (pair.length === 2) asked[pair[0]] = pair[1];
  });
  if (asked.lanes === 'keys') setLanes('keys');
  var wanted = /^T(\d+)-(\d+)$/.exec(asked.op || '');
  var chosen = wanted ? byId['T' + wanted[1] + '#' + wanted[2]] : undefined;
  if (chosen !== undefined) pin(chosen);
  else showPanel(defaultShown());
})();
