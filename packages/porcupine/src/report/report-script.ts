/**
 * The report page's script (inlined). Plain browser JavaScript: it reads the embedded JSON and
 * draws lanes, bars, the selected partition, the longest linearizable prefix, the stuck point,
 * and details of the operation under the pointer.
 */
export const REPORT_SCRIPT = `
(function () {
  "use strict";
  var DATA = JSON.parse(document.getElementById("report-data").textContent);
  var UNIT = 14;
  var LABEL = 90;
  var axis = { rank: {}, end: 0 };
  var view = { history: 0, partition: -1, partial: 0, active: -1 };
  var el = function (tag, attrs, text) {
    var node = document.createElement(tag);
    if (attrs) Object.keys(attrs).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    if (text !== undefined) node.textContent = text;
    return node;
  };
  function current() { return DATA.histories[view.history]; }
  function selectedPartition() {
    var h = current();
    return view.partition < 0 ? null : h.partitions.filter(function (p) { return p.index === view.partition; })[0] || null;
  }
  function selectedPartial() {
    var p = selectedPartition();
    return p && p.partials.length > 0 ? p.partials[Math.min(view.partial, p.partials.length - 1)] : null;
  }
  function defaultPartition(h) {
    var bad = h.partitions.filter(function (p) { return p.result === "illegal"; })[0];
    if (bad) return bad.index;
    return h.partitions.length === 1 ? h.partitions[0].index : -1;
  }
  function x(pos) { return LABEL + pos * UNIT + 4; }

  function renderHeader() {
    var h = current();
    var select = document.getElementById("history-select");
    select.innerHTML = "";
    DATA.histories.forEach(function (hist, i) {
      var o = el("option", { value: String(i) }, hist.name + " (" + hist.result + ")");
      if (i === view.history) o.selected = true;
      select.appendChild(o);
    });
    select.style.display = DATA.histories.length > 1 ? "" : "none";
    document.getElementById("history-name").textContent = h.name;
    var verdict = document.getElementById("verdict");
    verdict.className = "verdict " + h.result;
    verdict.textContent = h.result === "ok" ? "linearizable" : h.result === "illegal" ? "NOT linearizable" : "unknown" + (h.reason ? " (" + h.reason + ")" : "");
    document.getElementById("summary").textContent = h.operations.length + " operations, " + h.clients.length + " clients, " + h.partitions.length + " partitions";
  }

  function renderPartitions() {
    var h = current();
    var nav = document.getElementById("partitions");
    nav.innerHTML = "";
    nav.appendChild(el("span", { class: "muted" }, "Partition:"));
    var all = el("button", { "data-partition": "-1" }, "all");
    if (view.partition === -1) all.className = "selected";
    nav.appendChild(all);
    h.partitions.forEach(function (p) {
      var b = el("button", { "data-partition": String(p.index), title: p.result + (p.reason ? " (" + p.reason + ")" : "") });
      if (p.index === view.partition) b.className = "selected";
      b.appendChild(el("span", { class: "dot " + p.result }));
      b.appendChild(document.createTextNode(p.index + " · " + p.operations.length + " ops"));
      nav.appendChild(b);
    });
    var p = selectedPartition();
    if (p && p.partials.length > 1) {
      nav.appendChild(el("span", { class: "muted" }, "  Longest prefix:"));
      p.partials.forEach(function (_, i) {
        var b = el("button", { "data-partial": String(i) }, String(i + 1));
        if (i === view.partial) b.className = "selected";
        nav.appendChild(b);
      });
    }
  }

  // The time axis of the operations on show: their distinct times in order, spread to fit the
  // width, so a selected partition's operations are as wide as the page allows.
  function layoutAxis(visible) {
    var h = current();
    var times = [];
    visible.forEach(function (i) { var op = h.operations[i]; times.push(op.call); if (op.return !== null) times.push(op.return); });
    times.sort(function (a, b) { return a - b; });
    axis.rank = {};
    var n = 0;
    times.forEach(function (t) { if (!(t in axis.rank)) axis.rank[t] = n++; });
    axis.end = n;
    var width = document.getElementById("timeline-box").clientWidth || 1000;
    UNIT = Math.max(14, Math.min(140, Math.floor((width - LABEL - 40) / (n + 2))));
  }

  function renderTimeline() {
    var h = current();
    var box = document.getElementById("timeline");
    box.innerHTML = "";
    var p = selectedPartition();
    var visible = p ? p.operations : h.operations.map(function (_, i) { return i; });
    layoutAxis(visible);
    box.style.width = x(axis.end + 2) + "px";
    var partial = selectedPartial();
    var order = {};
    if (partial) partial.operations.forEach(function (op, i) { order[op] = i + 1; });
    else if (p && p.linearization) p.linearization.forEach(function (op, i) { order[op] = i + 1; });
    var candidates = {};
    if (partial) partial.candidates.forEach(function (c) { candidates[c.operation] = true; });
    var lanes = {};
    h.clients.forEach(function (c) {
      var lane = el("div", { class: "lane", "data-client": c });
      lane.appendChild(el("div", { class: "lane-label" }, "client " + c));
      box.appendChild(lane);
      lanes[c] = lane;
    });
    visible.forEach(function (i) {
      var op = h.operations[i];
      var start = axis.rank[op.call];
      var end = op.return === null ? axis.end + 1 : axis.rank[op.return];
      var cls = "op";
      if (op.return === null) cls += " pending";
      if (order[i]) cls += " linearized";
      if (partial && candidates[i]) cls += " candidate";
      if (partial && partial.stuck === i) cls += " stuck";
      if (view.active === i) cls += " active";
      var bar = el("div", { class: cls, "data-op": String(i), title: op.label });
      bar.style.left = x(start) + "px";
      bar.style.width = Math.max(UNIT - 2, (end - start) * UNIT - 2) + "px";
      if (order[i]) bar.appendChild(el("span", { class: "order" }, String(order[i])));
      bar.appendChild(document.createTextNode(op.label));
      lanes[op.client].appendChild(bar);
    });
    if (partial) {
      var stuckOp = h.operations[partial.stuck];
      var line = el("div", { id: "stuck-line" });
      line.style.left = x(stuckOp.return === null ? axis.end + 1 : axis.rank[stuckOp.return]) + "px";
      line.appendChild(el("span", null, "stuck: " + stuckOp.label));
      box.appendChild(line);
    }
  }

  function stateAfter(i) {
    var partial = selectedPartial();
    var p = selectedPartition();
    if (partial) {
      var k = partial.operations.indexOf(i);
      return k < 0 ? null : { order: k + 1, state: partial.states[k] };
    }
    if (p && p.linearization && p.states) {
      var j = p.linearization.indexOf(i);
      return j < 0 ? null : { order: j + 1, state: p.states[j] };
    }
    return null;
  }

  function renderDetails() {
    var h = current();
    var aside = document.getElementById("details");
    aside.innerHTML = "";
    if (view.active >= 0) {
      var op = h.operations[view.active];
      aside.appendChild(el("h2", null, op.label));
      var t = el("table");
      var row = function (k, v) { var tr = el("tr"); tr.appendChild(el("th", null, k)); var td = el("td"); td.appendChild(el("code", null, v)); tr.appendChild(td); t.appendChild(tr); };
      row("client", op.client);
      row("call", String(op.call));
      row("return", op.return === null ? "never returned" : String(op.return));
      row("partition", String(op.partition));
      var s = stateAfter(view.active);
      if (s) { row("linearized", "#" + s.order); row("state after", s.state); }
      var partial = selectedPartial();
      if (partial && partial.stuck === view.active) {
        row("stuck", "its return comes before it can be linearized after the prefix");
        row("state when stuck", partial.states.length ? partial.states[partial.states.length - 1] : h.initialState);
      }
      if (partial) partial.candidates.forEach(function (c) { if (c.operation === view.active) row("as next operation", c.why); });
      aside.appendChild(t);
    }
    var p = selectedPartition();
    var partialNow = selectedPartial();
    if (partialNow) {
      aside.appendChild(el("h2", null, "Longest linearizable prefix (" + partialNow.operations.length + " operations)"));
      aside.appendChild(stateTable(partialNow.operations, partialNow.states, partialNow.stuck));
    } else if (p && p.linearization) {
      aside.appendChild(el("h2", null, "Linearization (" + p.linearization.length + " operations)"));
      aside.appendChild(stateTable(p.linearization, p.states || [], -1));
    } else if (view.active < 0) {
      aside.appendChild(el("p", { class: "muted" }, "Pick a partition, then hover or click an operation."));
    }
  }

  function stateTable(ops, states, stuck) {
    var h = current();
    var t = el("table", { id: "state-table" });
    var head = el("tr"); ["#", "operation", "state after"].forEach(function (c) { head.appendChild(el("th", null, c)); }); t.appendChild(head);
    var init = el("tr"); init.appendChild(el("td", null, "0")); init.appendChild(el("td", { class: "muted" }, "initial state")); var ti = el("td"); ti.appendChild(el("code", null, h.initialState)); init.appendChild(ti); t.appendChild(init);
    ops.forEach(function (op, i) {
      var tr = el("tr", { "data-op": String(op) });
      tr.appendChild(el("td", null, String(i + 1)));
      tr.appendChild(el("td", null, h.operations[op].label));
      var td = el("td"); td.appendChild(el("code", null, states[i] === undefined ? "" : states[i])); tr.appendChild(td);
      t.appendChild(tr);
    });
    if (stuck >= 0) {
      var tr = el("tr", { class: "stuck-row", "data-op": String(stuck) });
      tr.appendChild(el("td", null, "✗"));
      tr.appendChild(el("td", null, "stuck: " + h.operations[stuck].label));
      tr.appendChild(el("td", null, "cannot be linearized before its return"));
      t.appendChild(tr);
    }
    return t;
  }

  function render() { renderHeader(); renderPartitions(); renderTimeline(); renderDetails(); }
  function activate(i) { view.active = i; renderTimeline(); renderDetails(); }

  document.getElementById("history-select").addEventListener("change", function (e) {
    view.history = Number(e.target.value); view.partition = defaultPartition(current()); view.partial = 0; view.active = -1; render();
  });
  document.getElementById("partitions").addEventListener("click", function (e) {
    var b = e.target.closest("button"); if (!b) return;
    if (b.hasAttribute("data-partition")) { view.partition = Number(b.getAttribute("data-partition")); view.partial = 0; }
    if (b.hasAttribute("data-partial")) view.partial = Number(b.getAttribute("data-partial"));
    view.active = -1; render();
  });
  document.getElementById("timeline").addEventListener("click", function (e) {
    var bar = e.target.closest(".op"); if (bar) activate(Number(bar.getAttribute("data-op")));
  });
  document.getElementById("timeline").addEventListener("mouseover", function (e) {
    var bar = e.target.closest(".op"); if (bar && Number(bar.getAttribute("data-op")) !== view.active) activate(Number(bar.getAttribute("data-op")));
  });
  document.getElementById("details").addEventListener("click", function (e) {
    var tr = e.target.closest("tr[data-op]"); if (tr) activate(Number(tr.getAttribute("data-op")));
  });
  view.partition = defaultPartition(current());
  render();
})();
`;
