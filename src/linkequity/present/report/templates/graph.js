// The report's link graph: sigma.js (WebGL) on graphology, drawn from the embedded JSON at the
// positions computed in Python. Crawled text reaches the page through textContent only (and
// sigma's canvas labels); URLs are shown as text, never as links.
(function () {
  "use strict";
  var holder = document.getElementById("graph");
  var element = document.getElementById("report-graph");
  if (!holder || !element) return;
  var data = JSON.parse(element.textContent);
  performance.mark("graph-parsed");
  var pages = data.pages, edges = data.edges, groups = data.groups;
  var n = pages.url.length;
  var PALETTE = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2",
    "#17becf", "#bcbd22", "#7f7f7f", "#393b79", "#e7969c", "#637939", "#8c6d31", "#843c39",
    "#7b4173", "#3182bd", "#31a354"];
  var NONE = "#b8bec6";
  var EDGE_BUDGET = 2000;
  var outs = [], ins = [];
  for (var i = 0; i < n; i++) { outs.push([]); ins.push([]); }
  for (var e = 0; e < edges.src.length; e++) { outs[edges.src[e]].push(e); ins[edges.dst[e]].push(e); }

  var $ = function (id) { return document.getElementById(id); };
  var container = $("graph-canvas"), panel = $("graph-panel"), search = $("graph-search");
  var results = $("graph-results"), colourBy = $("graph-colour"), back = $("graph-back");
  var filters = { directory: $("graph-directory"), status: $("graph-status"), cluster: $("graph-cluster") };
  var state = { selected: null, group: null, hovered: null };

  function option(select, value, text) {
    var o = document.createElement("option");
    o.value = value; o.textContent = text; select.appendChild(o);
  }
  data.directories.forEach(function (d, k) { option(filters.directory, String(k), d); });
  data.statuses.forEach(function (s) { option(filters.status, String(s), String(s)); });
  data.clusters.forEach(function (c, k) { option(filters.cluster, String(k), (k + 1) + ": " + c); });
  if (!data.clusters.length) filters.cluster.disabled = true;

  function pageColour(p) {
    var k = colourBy.value === "cluster" ? pages.cluster[p] : pages.directory[p];
    return k < 0 ? NONE : PALETTE[k % PALETTE.length];
  }
  // smaller nodes when there are many, so that they do not pile into one blot
  var SCALE = n > 2000 ? 0.6 : 1;
  function pageSize(p) { return SCALE * (3 + pages.link_score[p] / 100 * 12); }
  function label(p) { return pages.title[p] || pages.url[p]; }
  function shown(p) {
    var f = filters;
    return (f.directory.value === "" || pages.directory[p] === +f.directory.value) &&
      (f.status.value === "" || String(pages.status[p]) === f.status.value) &&
      (f.cluster.value === "" || pages.cluster[p] === +f.cluster.value);
  }
  function percent(v) { return v >= 0.01 ? v.toFixed(2) + "%" : v.toPrecision(2) + "%"; }

  var graph = new graphology.Graph({ type: "directed", multi: false, allowSelfLoops: false });
  // which pages are on the canvas: every page, or (grouped) the groups, or one group's pages
  function fill() {
    graph.clear();
    if (groups && state.group === null) {
      groups.pages.forEach(function (count, g) {
        graph.addNode("g" + g, { x: groups.x[g], y: groups.y[g], label: data.directories[g] + " (" + count + " pages)",
          size: 4 + Math.sqrt(groups.share[g]) * 4, color: PALETTE[g % PALETTE.length], group: g });
      });
      groups.src.forEach(function (s, k) {
        graph.addEdge("g" + s, "g" + groups.dst[k], { size: 0.5 + Math.min(groups.equity[k], 20) / 4, color: "#c9ced6" });
      });
      return;
    }
    for (var p = 0; p < n; p++) {
      if (state.group !== null && pages.directory[p] !== state.group) continue;
      if (pages.x[p] === null) continue;  // beyond a big group's strongest: found by search
      graph.addNode(String(p), { x: pages.x[p], y: pages.y[p], size: pageSize(p), label: label(p), page: p });
    }
    // the strongest links only: each drawn link costs the GPU more than a node (software
    // WebGL: ~70 us a link, ~20 us a node a frame, see benchmarks/README.md)
    var drawn = 0;
    for (var k = 0; k < edges.src.length && drawn < EDGE_BUDGET; k++) {
      var s = String(edges.src[k]), t = String(edges.dst[k]);
      if (graph.hasNode(s) && graph.hasNode(t) && !graph.hasEdge(s, t)) {
        graph.addEdge(s, t, { size: 0.6, color: "#d5d9df" });
        drawn++;
      }
    }
  }
  // a selected page's own links are drawn too, whether among the strongest or not
  var added = [];
  function drawLinks(p) {
    added.forEach(function (edge) { if (graph.hasEdge(edge)) graph.dropEdge(edge); });
    added = [];
    if (p === null) return;
    outs[p].concat(ins[p]).forEach(function (e) {
      var s = String(edges.src[e]), t = String(edges.dst[e]);
      if (graph.hasNode(s) && graph.hasNode(t) && !graph.hasEdge(s, t)) {
        added.push(graph.addEdge(s, t, { size: 0.6, color: "#d5d9df" }));
      }
    });
  }
  fill();
  performance.mark("graph-filled");

  // sigma 4: settings apart; a reducer returns display data (visibility, depth, labelVisibility).
  // Straight links only: the default primitives also compile the 32-segment self-loop path,
  // which doubles the cost of every link drawn.
  var P = Sigma.primitives;
  var renderer = new Sigma(graph, container, {
    settings: { itemSizesReference: "screen", labelRenderedSizeThreshold: 9 },
    primitives: { nodes: P.DEFAULT_NODE_PRIMITIVES, depthLayers: P.DEFAULT_DEPTH_LAYERS,
      edges: Object.assign({}, P.DEFAULT_EDGE_PRIMITIVES, { paths: [P.DEFAULT_EDGE_PRIMITIVES.paths[0]] }) },
    nodeReducer: function (node, display, attrs) {
      var out = {};
      if (attrs.page !== undefined) {
        out.color = pageColour(attrs.page);
        if (!shown(attrs.page)) out.visibility = "hidden";
      } else if (filters.directory.value !== "" && attrs.group !== +filters.directory.value) {
        out.visibility = "hidden";
      }
      if (state.selected !== null && node === String(state.selected)) {
        out.labelVisibility = "visible"; out.depth = "topNodes";
        out.size = display.size * 1.6; out.color = "#d1242f";
      }
      return out;
    },
    edgeReducer: function (edge) {
      if (state.selected === null) return {};
      var ends = graph.extremities(edge), me = String(state.selected);
      return ends[0] === me || ends[1] === me ? { color: "#57606a", size: 1.5, depth: "topEdges" } : {};
    },
  });
  // Panning and zooming move the last drawn frame. Without a GPU (WebGL drawn on the CPU) a
  // frame of 10,000 nodes takes 300-700 ms, so while the camera moves (a drag, its inertia, a
  // wheel or animated zoom) sigma does not draw: its canvas keeps the last frame and a CSS
  // transform moves and scales it to where the camera now is, as map libraries do with their
  // tiles. The real frame is drawn once the camera has rested for SETTLE ms with the button up.
  // While the button is down nothing is drawn (a hover would redraw every node); a frame
  // drawn for another reason while moving (a page selected) starts a new still frame.
  var SETTLE = 150;
  var camera = renderer.getCamera(), captor = renderer.getMouseCaptor();
  var stage = renderer.getStageCanvas();
  stage.style.transformOrigin = "0 0";
  var view = { renders: 0, moved: 0, drawnAt: camera.getState(), start: 0, end: 0, settling: false };
  var lastMove = -Infinity, settleTimer = null, forced = false;
  camera.on("updated", function () { lastMove = performance.now(); });
  function moving() {
    return captor.isMouseDown || camera.isAnimating() || performance.now() - lastMove < SETTLE;
  }
  function shift(state) {
    // the viewport position of framed-graph points under the drawn camera and under `state`:
    // the affine map between the two (no rotation here) is the transform of the drawn frame
    var at = { cameraState: view.drawnAt }, now = { cameraState: state };
    var a0 = renderer.framedGraphToViewport({ x: 0, y: 0 }, at), a1 = renderer.framedGraphToViewport({ x: 1, y: 1 }, at);
    var b0 = renderer.framedGraphToViewport({ x: 0, y: 0 }, now), b1 = renderer.framedGraphToViewport({ x: 1, y: 1 }, now);
    var sx = (b1.x - b0.x) / (a1.x - a0.x), sy = (b1.y - b0.y) / (a1.y - a0.y);
    stage.style.transform = "translate(" + (b0.x - sx * a0.x) + "px," + (b0.y - sy * a0.y) + "px) scale(" + sx + "," + sy + ")";
  }
  function settle() {
    clearTimeout(settleTimer);
    settleTimer = setTimeout(function () {
      settleTimer = null;
      if (moving()) settle(); else draw(function () { renderer.render(); });
    }, SETTLE);
  }
  // sigma draws through render(): from its animation-frame callback (scheduleRender) or from
  // refresh(); the own-property wrapper decides whether a frame is drawn or the last one moved
  var sigmaRender = renderer.render;
  renderer.render = function () {
    var state = camera.getState(), drawn = view.drawnAt;
    var still = state.x === drawn.x && state.y === drawn.y && state.ratio === drawn.ratio;
    if (forced || (still && !captor.isMouseDown) || state.angle !== drawn.angle || !moving()) {
      view.start = performance.now();
      return sigmaRender.call(renderer);
    }
    if (renderer.renderFrame) { cancelAnimationFrame(renderer.renderFrame); renderer.renderFrame = null; }
    shift(state);
    view.moved++;
    view.settling = true;
    settle();
    return renderer;
  };
  renderer.on("afterRender", function () {
    view.drawnAt = camera.getState();
    stage.style.transform = "";
    view.renders++; view.end = performance.now(); view.settling = false;
    if (settleTimer !== null) { clearTimeout(settleTimer); settleTimer = null; }
  });
  // a frame the page asks for (a selection, a filter, a directory opened) is drawn at once
  function draw(change) {
    forced = true;
    try { change(); } finally { forced = false; }
  }
  function redraw() { draw(function () { renderer.refresh(); }); }
  // a click soon after a pan reads sigma's picking buffer of the last drawn frame: draw the
  // real one first (capture phase on window: before sigma's own mouseup handler)
  window.addEventListener("mouseup", function () {
    if (view.settling && !camera.isAnimating() && captor.draggedEvents < renderer.getSetting("draggedEventsTolerance")) {
      draw(function () { renderer.render(); });
    }
  }, true);
  window.linkGraph = { sigma: renderer, graph: graph, data: data, view: view };
  // sigma draws its first frame in its constructor; the mark says the graph is on screen
  holder.setAttribute("data-drawn", "yes");
  performance.mark("graph-drawn");

  function row(list, text, value, onClick, strongest) {
    var li = document.createElement("li");
    var button = document.createElement("button");
    button.type = "button"; button.className = "link"; button.textContent = text;
    if (onClick) button.addEventListener("click", onClick); else button.disabled = true;
    var amount = document.createElement("span");
    amount.className = "equity"; amount.textContent = value;
    li.appendChild(button); li.appendChild(amount);
    if (strongest) li.className = "top";
    list.appendChild(li);
  }
  function linkList(title, own, other, total, p) {
    var h = document.createElement("h3");
    h.textContent = title + " (" + (own.length < total ? "strongest " + own.length + " of " + total : total) + ")";
    panel.appendChild(h);
    var list = document.createElement("ol");
    list.className = title.toLowerCase();
    own.forEach(function (edge, k) {
      var q = other[edge];
      row(list, pages.url[q], percent(edges.equity[edge]), function () { select(q, true); }, k === 0);
    });
    if (!own.length) row(list, "none", "", null, false);
    panel.appendChild(list);
  }
  function show(p) {
    panel.textContent = "";
    var h = document.createElement("h3");
    h.textContent = pages.title[p] || "(no title)";
    var address = document.createElement("p");
    address.className = "url"; address.textContent = pages.url[p];
    var facts = document.createElement("dl");
    [["Link Score", pages.link_score[p].toFixed(1)], ["share", percent(pages.share[p])],
     ["status", pages.status[p] === null ? "" : String(pages.status[p])],
     ["crawl depth", pages.crawl_depth[p] === null ? "" : String(pages.crawl_depth[p])],
     ["directory", data.directories[pages.directory[p]]],
     ["cluster", pages.cluster[p] < 0 ? "" : data.clusters[pages.cluster[p]]]].forEach(function (fact) {
      var dt = document.createElement("dt"), dd = document.createElement("dd");
      dt.textContent = fact[0]; dd.textContent = fact[1];
      facts.appendChild(dt); facts.appendChild(dd);
    });
    panel.appendChild(h); panel.appendChild(address); panel.appendChild(facts);
    var note = document.createElement("p");
    note.className = "note";
    note.textContent = "Equity a link passes: its share of the site's equity each step, in %.";
    panel.appendChild(note);
    linkList("Inlinks", ins[p], edges.src, pages.inlinks[p], p);
    linkList("Outlinks", outs[p], edges.dst, pages.outlinks[p], p);
  }
  function select(p, focus) {
    if (groups && pages.directory[p] !== state.group) openGroup(pages.directory[p]);
    state.selected = p;
    drawLinks(p);
    show(p);
    redraw();
    if (focus) {
      var at = renderer.getNodeDisplayData(String(p));
      if (at) renderer.getCamera().animate({ x: at.x, y: at.y, ratio: 0.25 }, { duration: 300 });
    }
  }
  function openGroup(g) {
    state.group = g; state.selected = null; added = [];
    // one directory is one colour: its topics tell its pages apart
    if (data.clusters.length) colourBy.value = "cluster";
    fill();
    count();
    back.hidden = false;
    renderer.getCamera().setState({ x: 0.5, y: 0.5, ratio: 1, angle: 0 });
    redraw();
  }
  back.addEventListener("click", function () {
    state.group = null; state.selected = null; added = []; panel.textContent = "";
    back.hidden = true;
    fill();
    count();
    renderer.getCamera().setState({ x: 0.5, y: 0.5, ratio: 1, angle: 0 });
    redraw();
  });
  renderer.on("clickNode", function (event) {
    var attrs = graph.getNodeAttributes(event.node);
    if (attrs.page !== undefined) select(attrs.page, false); else openGroup(attrs.group);
  });
  renderer.on("clickStage", function () { state.selected = null; drawLinks(null); redraw(); });

  search.addEventListener("input", function () {
    var needle = search.value.trim().toLowerCase();
    results.textContent = "";
    if (!needle) return;
    var found = 0;
    for (var p = 0; p < n && found < 12; p++) {
      if (pages.url[p].toLowerCase().indexOf(needle) < 0 && pages.title[p].toLowerCase().indexOf(needle) < 0) continue;
      found++;
      (function (q) {
        var li = document.createElement("li");
        var button = document.createElement("button");
        button.type = "button"; button.className = "link";
        button.textContent = pages.url[q] + (pages.title[q] ? " — " + pages.title[q] : "");
        button.addEventListener("click", function () { results.textContent = ""; select(q, true); });
        li.appendChild(button); results.appendChild(li);
      })(p);
    }
    if (!found) { var li = document.createElement("li"); li.textContent = "no page matches"; results.appendChild(li); }
  });
  search.addEventListener("keydown", function (event) {
    var first = results.querySelector("button");
    if (event.key === "Enter" && first) first.click();
  });
  var counter = $("graph-shown");
  function count() {
    var on = 0, total = 0;
    graph.forEachNode(function (node, attrs) {
      total++;
      if (attrs.page !== undefined ? shown(attrs.page) : filters.directory.value === "" || attrs.group === +filters.directory.value) on++;
    });
    var text = on === total ? "" : "Showing " + on.toLocaleString("en") + " of " + total.toLocaleString("en") + ".";
    var g = state.group;
    if (groups && g !== null && groups.drawn[g] < groups.pages[g]) {
      text = "The " + groups.drawn[g].toLocaleString("en") + " strongest of " + groups.pages[g].toLocaleString("en") +
        " pages of " + data.directories[g] + " shown, by Link Score; search finds any. " + text;
    }
    counter.textContent = text;
  }
  [filters.directory, filters.status, filters.cluster, colourBy].forEach(function (control) {
    control.addEventListener("change", function () { count(); redraw(); });
  });
  $("graph-summary").textContent = (groups
    ? n.toLocaleString("en") + " pages in " + groups.pages.length + " directories; click a directory to open it. "
    : n.toLocaleString("en") + " pages. ") + "Node size: Link Score. Links drawn: the " +
    Math.min(EDGE_BUDGET, edges.src.length).toLocaleString("en") + " strongest, and a selected page's own; its panel lists each page's " +
    "strongest (" + edges.src.length.toLocaleString("en") + " of the " + data.total_edges.toLocaleString("en") + " linked pairs).";
})();
