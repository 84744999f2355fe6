// The network page's own script (kg/page/page.js). It holds no data: that is the JSON block
// #kg-data, so this file's CSP hash is the same on every page. Every text reaches the DOM
// through textContent; no HTML is ever parsed from data.
(function () {
  "use strict";
  var page = JSON.parse(document.getElementById("kg-data").textContent);
  // A page of a view with and without roll-up holds both (page.other); the address says which is shown.
  var rollParam = new URLSearchParams(location.hash.slice(1)).get("rollup");
  var data = page.other && rollParam !== null && (rollParam === "1") !== page.rolledUp ? page.other : page;
  var ui = data.ui;
  var container = document.getElementById("kg-net");
  var tip = document.getElementById("kg-tip");
  var detail = document.getElementById("kg-detail");
  var legendBody = document.getElementById("kg-legend-body");
  var legendToggle = document.getElementById("kg-legend-toggle");
  var tools = document.getElementById("kg-tools");
  var count = document.getElementById("kg-count");

  var byId = new Map(), adjacency = new Map();
  data.nodes.forEach(function (n) { byId.set(n.id, n); adjacency.set(n.id, []); });
  data.edges.forEach(function (e, i) {
    e.id = "e" + i;
    adjacency.get(e.from).push(e);
    if (e.to !== e.from) adjacency.get(e.to).push(e);
  });
  var edgeById = new Map(data.edges.map(function (e) { return [e.id, e]; }));
  var kindInfo = new Map(data.kinds.map(function (k) { return [k[0], { color: k[1], label: k[2] }]; }));
  var roleInfo = new Map(data.roles.map(function (r) { return [r[0], { color: r[1], label: r[2] }]; }));
  var maxWeight = data.edges.reduce(function (m, e) { return Math.max(m, e.weight); }, 1);

  // ------------------------------------------------------------------ small helpers

  function el(tag, cls, text) {
    var node = document.createElement(tag);
    if (cls) node.className = cls;
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }
  function button(text, title, onClick, cls) {
    var b = el("button", cls || null, text);
    b.type = "button";
    if (title) { b.title = title; b.setAttribute("aria-label", title); }
    b.addEventListener("click", onClick);
    return b;
  }
  function fill(template, values) {
    return template.replace(/\{(\w+)\}/g, function (m, k) { return k in values ? values[k] : m; });
  }
  function labelOf(id) { var n = byId.get(id); return n ? n.label : id; }
  function roleLabel(r) { return roleInfo.has(r) ? roleInfo.get(r).label : r; }
  function roleText(e) { return (e.roles || []).map(roleLabel).join(", "); }
  function kindLabel(k) { return kindInfo.has(k) ? kindInfo.get(k).label : k; }
  function className(c) { return data.classNames[c] || c; }
  function regionName(r) { return data.regions[r] || (byId.has(r) ? byId.get(r).label : r); }
  // one formatter: toLocaleString() makes a new one at each call (a millisecond each, in Chromium)
  var integers = new Intl.NumberFormat(undefined, { maximumFractionDigits: 0 });
  function whole(v) { return integers.format(v); }
  function number(v) {
    if (typeof v !== "number") return String(v);
    if (Number.isInteger(v)) return whole(v);
    return String(Number(v.toPrecision(3)));
  }
  function edgeColor(e) {
    var roles = e.roles || [];
    return roles.length === 1 && roleInfo.has(roles[0]) ? roleInfo.get(roles[0]).color : data.neutral;
  }
  function edgeWidth(e) { return 1 + Math.min(Math.log2(Math.max(e.weight, 1)), 4); }
  function field(dl, name, value) {
    if (value === undefined || value === null || value === "" ||
        (Array.isArray(value) && !value.length)) return;
    dl.appendChild(el("dt", null, name));
    var dd = el("dd");
    if (value instanceof Node) dd.appendChild(value); else dd.textContent = String(value);
    dl.appendChild(dd);
  }

  // Citations "source:p3" as one line per source: its title, publisher, date and url, then
  // the paragraphs cited. Sources the page knows nothing about show their id.
  function paragraphs(locs) {
    var paras = locs.filter(function (l) { return /^p\d/.test(l); }).map(function (l) { return l.slice(1); });
    var other = locs.filter(function (l) { return !/^p\d/.test(l); });
    var out = paras.length ? [fill(ui.para, { n: paras.join(ui.parasep) })] : [];
    return out.concat(other);
  }
  function citation(src, locs, short) {
    var info = data.sources[src] || {};
    var titles = info.title || {};
    var title = titles[data.lang] || titles[data.lang.split("-")[0]] || titles.en ||
      titles[Object.keys(titles).sort()[0]] || src;
    var box = el("div", "kg-cite");
    box.appendChild(el("span", "kg-cite-title", title));
    var rest = [];
    if (!short && info.creator) rest.push(info.creator);
    if (!short && info.publisher) rest.push(info.publisher);
    if (info.date) rest.push(info.date);
    rest = rest.concat(paragraphs(locs));
    if (rest.length) box.appendChild(document.createTextNode(" — " + rest.join(", ")));
    if (!short && info.url) box.appendChild(el("div", "kg-url", info.url));
    box.title = locs.map(function (l) { return src + ":" + l; }).join(" ");
    return box;
  }
  function citations(list, short) {
    var box = el("div", "kg-cites"), bySource = new Map();
    (list || []).forEach(function (c) {
      var cut = c.indexOf(":");
      var src = cut < 0 ? c : c.slice(0, cut);
      if (!bySource.has(src)) bySource.set(src, []);
      if (cut >= 0) bySource.get(src).push(c.slice(cut + 1));
    });
    bySource.forEach(function (locs, src) { box.appendChild(citation(src, locs, short)); });
    return box;
  }

  // ------------------------------------------------------------------ the state (in the URL)

  var years = [];
  data.edges.forEach(function (e) { (e.years || []).forEach(function (y) { years.push(y); }); });
  var yearMin = years.length ? Math.min.apply(null, years) : null;
  var yearMax = years.length ? Math.max.apply(null, years) : null;
  var degreeMax = data.nodes.reduce(function (m, n) { return Math.max(m, n.metrics.degree); }, 0);
  var sizeChoices = ["degree", "weighted_degree", "betweenness"].filter(function (m) {
    return data.nodes.some(function (n) { return n.metrics[m] !== undefined; });
  });
  var colorChoices = ["kind", "community", "region"].filter(function (c) {
    if (c === "community") return data.nodes.some(function (n) { return n.metrics.community !== undefined; });
    if (c === "region") return data.nodes.some(function (n) { return n.regions; });
    return true;
  });

  function defaults() {
    return { kinds: new Set(), roles: new Set(), from: yearMin, to: yearMax, degree: 0,
             sources: new Set(), regions: new Set(), color: data.colorBy, size: data.sizeBy, node: "",
             open: new Set() };  // open: the communities the reader opened (on a big page)
  }
  var state = defaults();

  function readHash() {
    var s = defaults();
    var params = new URLSearchParams(location.hash.slice(1));
    var list = function (k) { return (params.get(k) || "").split(",").filter(Boolean); };
    list("hk").forEach(function (k) { if (kindInfo.has(k)) s.kinds.add(k); });
    list("hr").forEach(function (r) { if (roleInfo.has(r) || r === "-") s.roles.add(r); });
    list("src").forEach(function (x) { if (x in data.sources) s.sources.add(x); });
    var y = (params.get("y") || "").split("-").map(Number);
    if (yearMin !== null && y.length === 2 && y[0] <= y[1]) {
      s.from = Math.max(yearMin, Math.min(yearMax, y[0]));
      s.to = Math.max(s.from, Math.min(yearMax, y[1]));
    }
    var d = parseInt(params.get("deg") || "0", 10);
    if (d > 0) s.degree = Math.min(d, degreeMax);
    list("reg").forEach(function (r) { if (r in data.regions) s.regions.add(r); });
    if (colorChoices.indexOf(params.get("c")) >= 0) s.color = params.get("c");
    if (sizeChoices.indexOf(params.get("s")) >= 0 || params.get("s") === "uniform") s.size = params.get("s");
    if (byId.has(params.get("n"))) s.node = params.get("n");
    list("open").forEach(function (c) { if (communityNodes.has(Number(c))) s.open.add(Number(c)); });
    return s;
  }
  function writeHash() {
    var p = [];
    var add = function (k, v) { if (v) p.push(k + "=" + encodeURIComponent(v)); };
    add("hk", Array.from(state.kinds).sort().join(","));
    add("hr", Array.from(state.roles).sort().join(","));
    if (yearMin !== null && (state.from !== yearMin || state.to !== yearMax)) add("y", state.from + "-" + state.to);
    add("deg", state.degree ? String(state.degree) : "");
    add("src", Array.from(state.sources).sort().join(","));
    add("reg", Array.from(state.regions).sort().join(","));
    if (state.color !== data.colorBy) add("c", state.color);
    if (state.size !== data.sizeBy) add("s", state.size || "uniform");
    if (page.other && data.rolledUp !== page.rolledUp) add("rollup", data.rolledUp ? "1" : "0");
    add("open", Array.from(state.open).sort(function (a, b) { return a - b; }).join(","));
    add("n", state.node);
    var hash = p.length ? "#" + p.join("&") : "";
    if (hash !== location.hash) history.replaceState(null, "", hash || location.pathname + location.search);
  }

  // ------------------------------------------------------------------ what is visible

  var visibleNodes = new Set(), visibleEdges = new Set(), visibleDegree = new Map();
  function yearsNarrowed() { return yearMin !== null && (state.from !== yearMin || state.to !== yearMax); }
  function edgeFiltered() {
    return state.roles.size || yearsNarrowed() || state.sources.size || state.regions.size;
  }
  function nodeIn(id) { var n = byId.get(id); return n && !state.kinds.has(n.kind); }
  // What the source and region pickers match of a link, worked out once: the sources it
  // cites, and the regions its ends lie in (or are).
  data.nodes.forEach(function (n) {
    n.inRegions = (n.regions || []).concat(n.id in data.regions ? [n.id] : []);
  });
  // (most links cite one source and join ends with no region: those make no new arrays)
  function sourceOf(c) { var cut = c.indexOf(":"); return cut < 0 ? c : c.slice(0, cut); }
  var none = [];
  data.edges.forEach(function (e) {
    var cites = e.sources || none;
    e.cited = cites.length === 1 ? [sourceOf(cites[0])] :
      cites.length ? Array.from(new Set(cites.map(sourceOf))) : none;
    var a = byId.get(e.from).inRegions, b = byId.get(e.to).inRegions;
    e.inRegions = !b.length ? a : !a.length ? b : Array.from(new Set(a.concat(b)));
  });
  function anyIn(list, set) {
    for (var i = 0; i < list.length; i++) if (set.has(list[i])) return true;
    return false;
  }
  // the filters but the source and region pickers (which count their choices under the rest)
  function edgeBase(e) {
    if (!nodeIn(e.from) || !nodeIn(e.to)) return false;
    var roles = e.roles && e.roles.length ? e.roles : ["-"];
    if (!roles.some(function (r) { return !state.roles.has(r); })) return false;
    if (yearsNarrowed() && !(e.years || []).some(function (y) { return y >= state.from && y <= state.to; })) {
      return false;
    }
    return true;
  }
  function sourceOk(e) { return !state.sources.size || anyIn(e.cited, state.sources); }
  function regionOk(e) { return !state.regions.size || anyIn(e.inRegions, state.regions); }
  var sourceCounts = new Map(), regionCounts = new Map();
  function computeVisible() {
    visibleEdges = new Set();
    visibleDegree = new Map();
    sourceCounts = new Map(); regionCounts = new Map();
    data.edges.forEach(function (e) {
      if (!edgeBase(e)) return;
      var s = sourceOk(e), r = regionOk(e), i;
      if (r) for (i = 0; i < e.cited.length; i++) sourceCounts.set(e.cited[i], (sourceCounts.get(e.cited[i]) || 0) + 1);
      if (s) for (i = 0; i < e.inRegions.length; i++) regionCounts.set(e.inRegions[i], (regionCounts.get(e.inRegions[i]) || 0) + 1);
      if (!s || !r) return;
      visibleEdges.add(e.id);
      visibleDegree.set(e.from, (visibleDegree.get(e.from) || 0) + 1);
      if (e.to !== e.from) visibleDegree.set(e.to, (visibleDegree.get(e.to) || 0) + 1);
    });
    var need = Math.max(state.degree, edgeFiltered() ? 1 : 0);
    visibleNodes = new Set();
    data.nodes.forEach(function (n) {
      if (!nodeIn(n.id)) return;
      var d = visibleDegree.get(n.id) || 0;
      if (d >= need || (need === 0 && n.metrics.degree === 0)) visibleNodes.add(n.id);
    });
    // a link whose end fell under the minimum degree goes with it
    visibleEdges.forEach(function (id) {
      var e = edgeById.get(id);
      if (!visibleNodes.has(e.from) || !visibleNodes.has(e.to)) visibleEdges.delete(id);
    });
  }

  // ------------------------------------------------------------------ colours and sizes

  var regionOf = new Map(), regionColors = new Map();
  (function () {
    var members = new Map();
    data.nodes.forEach(function (n) {
      (n.regions || []).forEach(function (r) { members.set(r, (members.get(r) || 0) + 1); });
    });
    data.nodes.forEach(function (n) {
      // the most specific region: the one with fewest members, then by id
      var best = null;
      (n.regions || []).forEach(function (r) {
        if (best === null || members.get(r) < members.get(best) || (members.get(r) === members.get(best) && r < best)) best = r;
      });
      if (best !== null) regionOf.set(n.id, best);
    });
    var counts = new Map();
    regionOf.forEach(function (r) { counts.set(r, (counts.get(r) || 0) + 1); });
    Array.from(counts.keys()).sort(function (a, b) {
      return counts.get(b) - counts.get(a) || (a < b ? -1 : 1);
    }).slice(0, data.communityColors.length).forEach(function (r, i) {
      regionColors.set(r, data.communityColors[i]);
    });
  })();
  var otherColor = kindInfo.has("Other") ? kindInfo.get("Other").color : "#8D99A6";
  function nodeColor(n) {
    if (state.color === "community") {
      var c = n.metrics.community;
      return c !== undefined && c < data.communityColors.length ? data.communityColors[c] : otherColor;
    }
    if (state.color === "region") {
      var r = regionOf.get(n.id);
      return r && regionColors.has(r) ? regionColors.get(r) : (r ? otherColor : "#D3DAE2");
    }
    return kindInfo.get(n.kind).color;
  }
  var sizeTop = {};
  sizeChoices.forEach(function (m) {
    sizeTop[m] = data.nodes.reduce(function (t, n) { return Math.max(t, n.metrics[m] || 0); }, 0);
  });
  function nodeSize(n) {
    var low = 6, high = 28;
    if (!state.size || state.size === "uniform" || !sizeTop[state.size]) return (low + high) / 3;
    return low + (high - low) * Math.sqrt(Math.max(n.metrics[state.size] || 0, 0) / sizeTop[state.size]);
  }
  // The top hubs (by degree) keep their labels at any zoom; a hub too close to a bigger one
  // is passed over, so the labels do not pile up in the centre.
  var hubs = new Set();
  (function () {
    var xs = data.nodes.map(function (n) { return n.x; }), ys = data.nodes.map(function (n) { return n.y; });
    var extent = Math.max(Math.max.apply(null, xs.concat([0])) - Math.min.apply(null, xs.concat([0])),
                          Math.max.apply(null, ys.concat([0])) - Math.min.apply(null, ys.concat([0])), 1);
    var gap = extent / 10, chosen = [];
    data.nodes.slice().sort(function (a, b) {
      return b.metrics.degree - a.metrics.degree || (a.id < b.id ? -1 : 1);
    }).some(function (n) {
      if (n.metrics.degree < 2) return true;
      if (chosen.every(function (c) { return Math.hypot(c.x - n.x, c.y - n.y) > gap; })) chosen.push(n);
      return chosen.length >= 15;
    });
    chosen.forEach(function (n) { hubs.add(n.id); });
  })();

  // ------------------------------------------------------------------ vis

  function shortLabel(n) { return n.label.length > 32 ? n.label.slice(0, 30) + "…" : n.label; }
  var scale = 1, minScreen = 2.5, hubScreen = 13;
  // vis draws no label smaller than this on screen (px); on a big page the labels it would
  // not draw are not given to it either (measuring them was a tenth of the first draw) until
  // the reader zooms in far enough to read them
  var labelFrom = data.big ? 9 : 5, FONT = 14, DEFAULT_INK = "#1f2933";
  function readable(s) { return !data.big || FONT * s >= labelFrom; }
  function nodeStyle(n, mode) {
    // mode: "" normal, "focus" the highlighted node or a neighbour, "dim" outside the neighbourhood
    var c = nodeColor(n);
    var dim = mode === "dim";
    var size = Math.max(nodeSize(n), minScreen / scale);
    var font = FONT, big = mode === "focus" || hubs.has(n.id);
    if (big) font = Math.max(FONT, hubScreen / scale);
    var ring = data.big ? c : "#ffffff";
    return {
      id: n.id, hidden: !visibleNodes.has(n.id), size: size,
      label: dim || !(big || readable(scale)) ? "" : shortLabel(n),
      color: dim ? { background: "#E4E9EF", border: "#E4E9EF",
                     highlight: { background: c, border: "#1f2933" }, hover: { background: c, border: "#1f2933" } }
                 : { background: c, border: ring, highlight: { background: c, border: "#1f2933" },
                     hover: { background: c, border: "#1f2933" } },
      font: { size: font, color: mode === "focus" ? "#101820" : DEFAULT_INK }
    };
  }
  function edgeStyle(e, mode) {
    var c = edgeColor(e);
    return { id: e.id, hidden: !visibleEdges.has(e.id), width: edgeWidth(e) + (mode === "focus" ? 0.8 : 0),
             color: { color: c, highlight: c, hover: c, opacity: mode === "dim" ? 0.08 : mode === "focus" ? 1 : 0.75 } };
  }

  // ------------------------------------------------------------------ communities as clusters

  // From data.clusterFrom nodes on, each community of 5 or more visible nodes is drawn as one
  // node of the page's own (its members are not handed to vis at all) until the reader opens it
  // (a click) or a search reaches in; the links between a closed community and the rest are
  // drawn as one link per pair, summed. vis never indexes the nodes it does not draw, which is
  // what made big pages slow (vis' own clustering copied every node once per community).
  var grouped = !!data.clusterFrom && data.nodes.length >= data.clusterFrom;
  var communityNodes = new Map();   // community -> its nodes, by degree (highest first), then id
  if (grouped) {
    data.nodes.forEach(function (n) {
      var c = n.metrics.community;
      if (c === undefined) return;
      if (!communityNodes.has(c)) communityNodes.set(c, []);
      communityNodes.get(c).push(n);
    });
    communityNodes.forEach(function (list) {
      list.sort(function (a, b) { return b.metrics.degree - a.metrics.degree || (a.id < b.id ? -1 : 1); });
    });
  }
  var CLUSTER = "cluster:";
  var closed = new Map();   // community -> { id, count, x, y, r, top } of each closed community
  function clusterOf(id) {  // the closed community a cluster node stands for, or undefined
    if (typeof id !== "string" || id.indexOf(CLUSTER) !== 0) return undefined;
    var c = Number(id.slice(CLUSTER.length));
    return closed.has(c) ? c : undefined;
  }
  // Closes every community with 5 or more visible nodes but those the reader opened (at load,
  // after a filter changes, and all of them with the "collapse" button); where it is drawn and
  // how big follows its visible members.
  function collapse() {
    closed = new Map();
    var keep = state.node ? byId.get(state.node).metrics.community : undefined;  // the selected stays open
    communityNodes.forEach(function (list, c) {
      var shown = list.filter(function (n) { return visibleNodes.has(n.id); });
      if (shown.length < 5 || c === keep || state.open.has(c)) return;
      var cx = 0, cy = 0, r = 0;
      shown.forEach(function (n) { cx += n.x / shown.length; cy += n.y / shown.length; });
      shown.forEach(function (n) { r = Math.max(r, Math.hypot(n.x - cx, n.y - cy)); });
      closed.set(c, { id: CLUSTER + c, count: shown.length, x: cx, y: cy, r: r, top: shown[0] });
    });
  }
  function drawnAs(id) {    // the node that stands for ``id`` on the canvas: itself or its community's
    if (!closed.size) return id;
    var c = byId.get(id).metrics.community;
    return c !== undefined && closed.has(c) ? CLUSTER + c : id;
  }
  function clusterStyle(c, g, mode) {
    var colour = state.color === "community" && c < data.communityColors.length ? data.communityColors[c] :
      nodeColor(g.top);
    var dim = mode === "dim";
    return {
      id: g.id, shape: "dot", size: Math.max(0.45 * g.r, 4 * minScreen / scale), borderWidth: 2,
      label: dim ? "" : fill(ui.communityof, { n: c + 1 }) + " · " + shortLabel(g.top) + " (" +
        whole(g.count) + ")",
      color: { background: dim ? "#E4E9EF" : colour, border: dim ? "#E4E9EF" : "#1f2933",
               highlight: { background: colour, border: "#1f2933" }, hover: { background: colour, border: "#1f2933" } },
      font: { size: Math.max(14, hubScreen / scale), color: "#1f2933" }
    };
  }
  function openCommunity(c) {
    if (!communityNodes.has(c)) return false;   // a small page: nothing is closed
    state.open.add(c);
    if (!closed.delete(c)) return false;
    restyle();
    return true;
  }

  state = readHash();
  computeVisible();
  collapse();
  var drawnNodes = new Map(), drawnEdges = new Map();
  var nodes = new vis.DataSet(), edges = new vis.DataSet();
  var network = null;
  var goal = 0;   // the zoom an animated move is heading for (0: none); styles are sized for it

  // ------------------------------------------------------------------ neighbourhoods

  var focused = "";   // the node whose neighbourhood is highlighted ("" none)
  var sums = new Map();   // the summed links drawn: id -> { from, to, count, roles (role -> links) }
  function neighbourhood(id) {
    var near = new Set([id]), links = new Set();
    (adjacency.get(id) || []).forEach(function (e) {
      if (!visibleEdges.has(e.id)) return;
      links.add(e.id);
      near.add(drawnAs(e.from === id ? e.to : e.from));
    });
    return { nodes: near, edges: links };
  }
  // What vis draws: the nodes outside closed communities, a node for each closed one, the links
  // between drawn nodes and, for the rest, a link for each pair of drawn ends (their count).
  // vis redraws what it is given, so only what changed is given.
  function restyle() {
    var now = goal || (network ? network.getScale() : scale);
    if (Math.abs(Math.log(now / scale)) > 0.01) scale = now;
    var hood = focused ? neighbourhood(focused) : null;
    var mode = function (inHood) { return !hood ? "" : inHood ? "focus" : "dim"; };
    var wantNodes = [], wantEdges = [], summed = new Map();
    data.nodes.forEach(function (n) {
      if (drawnAs(n.id) === n.id) wantNodes.push(nodeStyle(n, mode(hood && hood.nodes.has(n.id))));
    });
    closed.forEach(function (g, c) {
      var st = clusterStyle(c, g, mode(hood && hood.nodes.has(g.id)));
      st.x = g.x; st.y = g.y;
      wantNodes.push(st);
    });
    data.edges.forEach(function (e) {
      var a = drawnAs(e.from), b = drawnAs(e.to);
      if (a === e.from && b === e.to) {
        var st = edgeStyle(e, mode(hood && hood.edges.has(e.id)));
        st.from = e.from; st.to = e.to;
        wantEdges.push(st);
        return;
      }
      if (a === b || !visibleEdges.has(e.id)) return;
      if (!data.directed && b < a) { var t = a; a = b; b = t; }
      var key = "sum:" + a + "\n" + b, s = summed.get(key);
      if (!s) { s = { from: a, to: b, count: 0, focus: false, roles: new Map() }; summed.set(key, s); }
      s.count += 1;
      (e.roles && e.roles.length ? e.roles : ["-"]).forEach(function (r) { s.roles.set(r, (s.roles.get(r) || 0) + 1); });
      if (hood && hood.edges.has(e.id)) s.focus = true;
    });
    summed.forEach(function (s, key) {
      var dim = hood && !s.focus;
      wantEdges.push({ id: key, from: s.from, to: s.to, width: edgeWidth({ weight: s.count }),
                       color: { color: data.neutral, highlight: data.neutral, hover: data.neutral,
                                opacity: dim ? 0.08 : s.focus ? 0.9 : 0.35 } });
    });
    sums = summed;
    var n = changes(drawnNodes, wantNodes), e = changes(drawnEdges, wantEdges);
    // links leave before the nodes they join, and arrive after them
    if (e.gone.length) edges.remove(e.gone);
    if (n.gone.length) nodes.remove(n.gone);
    if (n.added.length) nodes.add(n.added.map(function (st) {
      var m = byId.get(st.id), out = {}, k;
      for (k in st) out[k] = st[k];   // (st is what ``drawnNodes`` remembers; a copy goes to vis)
      if (m) { out.x = m.x; out.y = m.y; }
      // a new node with the options' own font is given none: vis then parses no font for it
      if (out.font && out.font.size === FONT && out.font.color === DEFAULT_INK) delete out.font;
      return out;
    }));
    if (n.changed.length) nodes.update(n.changed);
    if (e.added.length) edges.add(e.added);
    if (e.changed.length) edges.update(e.changed);
  }
  // What to add, change and remove so that vis holds ``want`` (styles with ids); ``drawn``
  // remembers what it holds (each style as JSON).
  function changes(drawn, want) {
    var out = { added: [], changed: [], gone: [] }, keep = new Set();
    want.forEach(function (st) {
      keep.add(st.id);
      var key = JSON.stringify(st), had = drawn.get(st.id);
      if (had === key) return;
      drawn.set(st.id, key);
      (had === undefined ? out.added : out.changed).push(st);
    });
    if (keep.size < drawn.size) {
      drawn.forEach(function (key, id) { if (!keep.has(id)) out.gone.push(id); });
      out.gone.forEach(function (id) { drawn.delete(id); });
    }
    return out;
  }
  function highlight(id) {
    id = id && visibleNodes.has(id) ? id : "";
    if (id === focused) return;
    focused = id;
    restyle();
  }

  // The box around the drawn nodes and their radii (the filtered-out left out), in canvas
  // coordinates; null when nothing is drawn. Before vis has the nodes, their places in the layout.
  function bounds() {
    var b = { x0: Infinity, y0: Infinity, x1: -Infinity, y1: -Infinity };
    var pos = network ? network.getPositions() : null;
    function add(id, at, size) {
      var p = pos ? pos[id] : at;
      if (!p) return;
      b.x0 = Math.min(b.x0, p.x - size); b.x1 = Math.max(b.x1, p.x + size);
      b.y0 = Math.min(b.y0, p.y - size); b.y1 = Math.max(b.y1, p.y + size);
    }
    data.nodes.forEach(function (n) {
      if (visibleNodes.has(n.id) && drawnAs(n.id) === n.id) add(n.id, n, nodeSize(n));
    });
    closed.forEach(function (g) { add(g.id, g, Math.max(0.45 * g.r, 10)); });
    return b.x0 === Infinity ? null : b;
  }
  // vis' events are listened to once the network is made, after the legend and the tools
  // (which the first fit leaves free)
  var listeners = [];
  function listen(event, handler) { listeners.push([event, handler]); }


  // ------------------------------------------------------------------ tooltip and details

  function nodeInfo(n, full) {
    var box = el("div", "kg-info");
    box.appendChild(el("div", "kg-title", n.label));
    var kind = el("div", "kg-kind");
    var dot = el("span", "kg-dot");
    dot.style.background = nodeColor(n);
    kind.appendChild(dot);
    var types = (n.types || []).map(className).filter(function (t) { return t !== kindLabel(n.kind); });
    kind.appendChild(el("span", null, kindLabel(n.kind) + (types.length ? " · " + types.join(", ") : "")));
    box.appendChild(kind);
    var names = el("div");
    n.names.forEach(function (pair) {
      var row = el("div");
      row.appendChild(el("span", "kg-lang", pair[0] === "zh-latn-pinyin" ? ui.pinyin : pair[0]));
      row.appendChild(document.createTextNode(" " + pair[1]));
      names.appendChild(row);
    });
    box.appendChild(names);
    var dl = el("dl");
    var named = new Set(n.names.map(function (p) { return p[1]; }));
    field(dl, ui.aliases, (n.aliases || []).filter(function (a) { return !named.has(a); }).join(" · "));
    field(dl, ui.dates, n.dates);
    if (n.regions) field(dl, ui.regions, n.regions.map(regionName).join(", "));
    if (n.members) field(dl, ui.members, n.members.join(" · "));
    var links = (adjacency.get(n.id) || []).filter(function (e) { return visibleEdges.has(e.id); });
    if (links.length) {
      var list = el("ul", "kg-links");
      var shown = full ? links : links.slice(0, 6);
      shown.forEach(function (e) {
        var other = e.from === n.id ? e.to : e.from;
        var item = el("li");
        var line = el("div", "kg-link-line");
        var swatch = el("span", "kg-line");
        swatch.style.borderColor = edgeColor(e);
        line.appendChild(swatch);
        var text = el("span", "kg-link-text");
        if (full) {
          text.appendChild(button(labelOf(other), null, function () { select(other); }, "kg-goto"));
        } else {
          text.appendChild(el("span", null, labelOf(other)));
        }
        if (e.roles) text.appendChild(el("span", "kg-roles", " " + roleText(e)));
        line.appendChild(text);
        item.appendChild(line);
        if (e.via) item.appendChild(el("div", "kg-src", ui.via + ": " + e.via.join(", ")));
        if (e.amounts) item.appendChild(el("div", "kg-src", ui.amounts + ": " + e.amounts.join("; ")));
        if (e.sources) item.appendChild(citations(e.sources, !full));
        list.appendChild(item);
      });
      if (links.length > shown.length) {
        list.appendChild(el("li", "kg-src", "+" + (links.length - shown.length) + " " + ui.more));
      }
      field(dl, ui.links + " (" + whole(links.length) + ")", list);
    }
    var m = n.metrics, rows = el("div");
    ["degree", "weighted_degree", "betweenness"].forEach(function (k) {
      if (m[k] === undefined) return;
      var note = k === "betweenness" && data.sampled ? " (" + ui.sampled + ")" : "";
      rows.appendChild(el("div", null, ui[k] + ": " + number(m[k]) + note));
    });
    if (m.community !== undefined) rows.appendChild(el("div", null, fill(ui.communityof, { n: m.community + 1 })));
    field(dl, ui.metrics, rows);
    box.appendChild(dl);
    return box;
  }

  function edgeInfo(e) {
    var box = el("div", "kg-info");
    box.appendChild(el("div", "kg-title", labelOf(e.from) + (data.directed ? " → " : " — ") + labelOf(e.to)));
    var dl = el("dl");
    field(dl, ui.roles, roleText(e));
    field(dl, ui.via, (e.via || []).join(", "));
    field(dl, ui.amounts, (e.amounts || []).join("; "));
    field(dl, ui.dates, e.dates);
    if (e.weight !== 1) field(dl, ui.weight, e.weight);
    if (e.sources) field(dl, ui.sources, citations(e.sources, false));
    box.appendChild(dl);
    return box;
  }

  function showTip(content, pointer) {
    tip.replaceChildren(content);
    tip.hidden = false;
    var w = tip.offsetWidth, h = tip.offsetHeight;
    var x = pointer.x + 14, y = pointer.y + 14;
    if (x + w > window.innerWidth - 8) x = Math.max(8, pointer.x - w - 14);
    if (y + h > window.innerHeight - 8) y = Math.max(8, pointer.y - h - 14);
    tip.style.left = x + "px";
    tip.style.top = y + "px";
  }
  function hideTip() { tip.hidden = true; tip.replaceChildren(); }
  // a closed community: its number, its best-linked members and how to open it
  function clusterInfo(c) {
    var g = closed.get(c), box = el("div", "kg-info");
    box.appendChild(el("div", "kg-title", fill(ui.communityof, { n: c + 1 })));
    var names = communityNodes.get(c).filter(function (n) { return visibleNodes.has(n.id); })
      .slice(0, 5).map(function (n) { return n.label; });
    box.appendChild(el("div", null, names.join(" · ") + (g.count > names.length ? " …" : "")));
    box.appendChild(el("div", "kg-src", fill(ui.openhint, { n: whole(g.count) })));
    return box;
  }
  listen("hoverNode", function (p) {
    var c = clusterOf(p.node);
    if (c !== undefined) { showTip(clusterInfo(c), p.pointer.DOM); return; }
    if (!byId.has(p.node)) return;
    showTip(nodeInfo(byId.get(p.node), false), p.pointer.DOM);
    if (!state.node) highlight(p.node);
  });
  // a summed link: its two ends, how many links it stands for and their roles
  function endName(id) { var c = clusterOf(id); return c === undefined ? labelOf(id) : fill(ui.communityof, { n: c + 1 }); }
  function sumInfo(s) {
    var box = el("div", "kg-info");
    box.appendChild(el("div", "kg-title", endName(s.from) + (data.directed ? " → " : " — ") + endName(s.to)));
    box.appendChild(el("div", null, fill(s.count === 1 ? ui.summedone : ui.summed, { n: whole(s.count) })));
    var dl = el("dl");
    field(dl, ui.roles, Array.from(s.roles.keys()).sort(function (a, b) {
      return s.roles.get(b) - s.roles.get(a) || (a < b ? -1 : 1);
    }).map(function (r) { return (r === "-" ? ui.norole : roleLabel(r)) + " " + whole(s.roles.get(r)); }).join(" · "));
    box.appendChild(dl);
    return box;
  }
  listen("hoverEdge", function (p) {
    var e = edgeById.get(p.edge);
    if (e) showTip(edgeInfo(e), p.pointer.DOM);
    else if (sums.has(p.edge)) showTip(sumInfo(sums.get(p.edge)), p.pointer.DOM);
  });
  listen("blurNode", function () { hideTip(); if (!state.node) highlight(""); });
  listen("blurEdge", hideTip);
  listen("dragStart", hideTip);

  function showDetail(id) {
    var n = byId.get(id);
    if (!n) { closeDetail(); return; }
    var head = el("div", "kg-detail-head");
    head.appendChild(button("×", ui.close, closeDetail, "kg-close"));
    detail.replaceChildren(head, nodeInfo(n, true));
    detail.hidden = false;
    detail.scrollTop = 0;
  }
  function closeDetail() {
    detail.hidden = true;
    detail.replaceChildren();
    state.node = "";
    network.unselectAll();
    highlight("");
    window.__kgSelected = "";
    writeHash();
  }
  // opens a closed community and brings its members into view
  function openAndShow(c) {
    var g = closed.get(c), free = freeArea();
    var zoom = 0.45 * Math.min(free.right - free.left, free.bottom - free.top) / Math.max(g.r, 1);
    goal = Math.max(network.getScale(), Math.min(zoom, 1.5));
    network.unselectAll();
    hideTip();
    openCommunity(c);
    moveInto({ x: g.x, y: g.y }, goal, true);
    writeHash();
  }
  listen("selectNode", function (p) {
    var id = p.nodes[0];
    var c = clusterOf(id);
    if (c !== undefined) { openAndShow(c); return; }
    select(id, true);
  });
  // From the keyboard (the canvas focused, moved with the arrow keys and + and -), Enter opens
  // the closed community nearest the middle of the view: the one whose disc holds it, else
  // the one whose edge is closest.
  container.addEventListener("keydown", function (ev) {
    if (ev.key !== "Enter" || ev.target !== container || !closed.size) return;
    var at = network.getViewPosition(), best, bestGap = Infinity;
    closed.forEach(function (g, c) {
      var gap = Math.hypot(g.x - at.x, g.y - at.y) - network.getBoundingBox(g.id).right + g.x;
      if (gap < bestGap) { best = c; bestGap = gap; }
    });
    ev.preventDefault();
    openAndShow(best);
  });
  listen("deselectNode", function (p) { if (!p.nodes.length) closeDetail(); });
  listen("selectEdge", function (p) {
    if (p.nodes.length) return;
    var e = edgeById.get(p.edges[0]), s = sums.get(p.edges[0]);
    if (!e && !s) return;
    var head = el("div", "kg-detail-head");
    head.appendChild(button("×", ui.close, closeDetail, "kg-close"));
    detail.replaceChildren(head, e ? edgeInfo(e) : sumInfo(s));
    detail.hidden = false;
  });

  function select(id, fromCanvas) {
    if (!byId.has(id)) return;
    hideTip();
    closeResults();
    if (!visibleNodes.has(id)) { resetFilters(); }
    var c = byId.get(id).metrics.community;
    if (!fromCanvas) goal = Math.max(network.getScale(), 1.3);
    if (c !== undefined) openCommunity(c);   // a member of a closed community: open it
    state.node = id;
    network.selectNodes([id]);
    highlight(id);
    showDetail(id);
    if (!fromCanvas) moveInto(network.getPosition(id), goal, true);
    window.__kgSelected = id;
    writeHash();
  }
  document.addEventListener("keydown", function (ev) {
    if (ev.key === "Escape" && !detail.hidden && document.activeElement !== input) {
      closeDetail();
      container.focus();
    }
  });

  // ------------------------------------------------------------------ search

  function fold(s) {
    return String(s).normalize("NFKD").replace(/[\u0300-\u036f]/g, "").toLowerCase()
      .replace(/\s+/g, " ").trim();
  }
  function entry(id, keys, region) {
    return { id: id, region: region, keys: keys.map(fold), compact: keys.map(function (k) {
      return fold(k).replace(/[\s\-_·]/g, "");
    }) };
  }
  // made at the first search, not while the page opens (folding every name of 15,000 nodes
  // is a tenth of a second)
  var index = null, regionIndex = null;
  function makeIndex() {
    index = data.nodes.map(function (n) {
      return entry(n.id, [n.label, n.id].concat(n.names.map(function (p) { return p[1]; }), n.aliases || []), false);
    });
    // a region by any of its names (Inner Mongolia, 内蒙, nei menggu): choosing one filters the view to it
    regionIndex = Object.keys(data.regionNames || {}).sort().map(function (r) {
      return entry(r, [regionName(r), r].concat(data.regionNames[r]), true);
    });
  }
  var REGION = "region:";  // a search result that is a region, not a node
  var input = document.getElementById("kg-search");
  var results = document.getElementById("kg-results");
  var found = [], active = 0;
  function search(query) {
    var q = fold(query), qc = q.replace(/[\s\-_·]/g, "");
    if (!q) return [];
    function matches(entries) {
      var hits = [];
      entries.forEach(function (entry) {
        var best = 9;
        for (var i = 0; i < entry.keys.length; i++) {
          var k = entry.keys[i], c = entry.compact[i];
          if (k === q || c === qc) { best = 0; break; }
          if (k.indexOf(q) === 0 || c.indexOf(qc) === 0) best = Math.min(best, 1);
          else if (k.indexOf(q) >= 0 || (qc && c.indexOf(qc) >= 0)) best = Math.min(best, 2);
        }
        if (best < 9) {
          hits.push([best, entry.region ? regionName(entry.id) : byId.get(entry.id).label,
                     entry.region ? REGION + entry.id : entry.id]);
        }
      });
      hits.sort(function (a, b) {
        return a[0] - b[0] || (a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0);
      });
      return hits.map(function (h) { return h[2]; });
    }
    // the nodes first; then the regions the view can be filtered to
    if (!index) makeIndex();
    return matches(index).slice(0, 12).concat(matches(regionIndex).slice(0, 3));
  }
  function closeResults() { found = []; results.replaceChildren(); }
  function showResults() {
    results.replaceChildren();
    if (!input.value.trim()) return;
    if (!found.length) { results.appendChild(el("li", "kg-none", ui.nomatch)); return; }
    found.forEach(function (id, i) {
      var li = el("li");
      li.setAttribute("role", "option");
      li.setAttribute("aria-selected", i === active ? "true" : "false");
      if (id.indexOf(REGION) === 0) {
        li.appendChild(el("span", null, regionName(id.slice(REGION.length))));
        li.appendChild(el("span", "kg-sub", ui.region));
        li.addEventListener("mousedown", function (ev) { ev.preventDefault(); choose(id); });
        results.appendChild(li);
        return;
      }
      var n = byId.get(id);
      var dot = el("span", "kg-dot");
      dot.style.background = nodeColor(n);
      li.appendChild(dot);
      li.appendChild(el("span", null, n.label));
      var others = n.names.map(function (p) { return p[1]; }).filter(function (s) {
        return n.label.indexOf(s) < 0;
      });
      if (others.length) li.appendChild(el("span", "kg-sub", others.join(" · ")));
      li.addEventListener("mousedown", function (ev) { ev.preventDefault(); choose(id); });
      results.appendChild(li);
    });
  }
  function choose(id) {
    if (id.indexOf(REGION) === 0) {  // keep what lies in or serves the region
      var region = id.slice(REGION.length);
      state.regions.add(region);
      input.value = regionName(region);
      closeResults();
      syncControls();
      update();
      return;
    }
    input.value = byId.get(id).label;
    select(id);
  }
  input.addEventListener("input", function () {
    found = search(input.value); active = 0; showResults();
  });
  input.addEventListener("keydown", function (ev) {
    if (ev.key === "ArrowDown" || ev.key === "ArrowUp") {
      if (!found.length) return;
      active = (active + (ev.key === "ArrowDown" ? 1 : found.length - 1)) % found.length;
      showResults();
      ev.preventDefault();
    } else if (ev.key === "Enter") {
      if (found.length) choose(found[active]);
      ev.preventDefault();
    } else if (ev.key === "Escape") {
      input.value = ""; closeResults();
    }
  });
  input.addEventListener("blur", function () { setTimeout(closeResults, 150); });

  // ------------------------------------------------------------------ legend and filters

  function countText(shown, all) {
    return shown === all ? whole(all) : whole(shown) + " " + ui.of + " " + whole(all);
  }
  function toggleRow(swatch, label, onClick) {
    var b = el("button", "kg-toggle");
    b.type = "button";
    b.appendChild(swatch);
    b.appendChild(el("span", "kg-name", label));
    var n = el("span", "kg-n");
    b.appendChild(n);
    b.addEventListener("click", onClick);
    return { button: b, count: n };
  }
  var kindRows = new Map(), roleRows = new Map(), legendColors = el("ul");
  function section(title, body) {
    var s = el("section", "kg-sec");
    s.appendChild(el("h2", null, title));
    s.appendChild(body);
    legendBody.appendChild(s);
    return s;
  }
  function select_(id, choices, current, label, onChange) {
    var wrap = el("label", "kg-choice");
    wrap.appendChild(el("span", null, label));
    var s = el("select");
    s.id = id;
    choices.forEach(function (c) {
      var o = el("option", null, c[1]);
      o.value = c[0];
      s.appendChild(o);
    });
    s.value = current;
    s.addEventListener("change", function () { onChange(s.value); });
    wrap.appendChild(s);
    return wrap;
  }

  var choicesBox = el("div", "kg-choices");
  choicesBox.appendChild(select_("kg-color", colorChoices.map(function (c) { return [c, ui[c]]; }),
    state.color, ui.color, function (v) { state.color = v; update(); }));
  choicesBox.appendChild(select_("kg-size", sizeChoices.map(function (c) { return [c, ui[c]]; })
    .concat([["uniform", ui.uniform]]), state.size || "uniform", ui.size,
    function (v) { state.size = v; update(); }));
  legendBody.appendChild(choicesBox);

  var kindList = el("ul");
  data.kinds.forEach(function (k) {
    var dot = el("span", "kg-dot");
    dot.style.background = k[1];
    var row = toggleRow(dot, k[2], function () {
      if (state.kinds.has(k[0])) state.kinds.delete(k[0]); else state.kinds.add(k[0]);
      update();
    });
    var li = el("li");
    li.appendChild(row.button);
    kindList.appendChild(li);
    kindRows.set(k[0], row);
  });
  var kindSection = section(ui.kinds, kindList);
  var colorSection = section(ui.color, legendColors);

  var roleList = el("ul");
  var roleKeys = data.roles.map(function (r) { return [r[0], r[1], r[2]]; });
  if (data.edges.some(function (e) { return !e.roles || !e.roles.length; })) roleKeys.push(["-", data.neutral, ui.norole]);
  roleKeys.forEach(function (r) {
    var line = el("span", "kg-line");
    line.style.borderColor = r[1];
    var row = toggleRow(line, r[2], function () {
      if (state.roles.has(r[0])) state.roles.delete(r[0]); else state.roles.add(r[0]);
      update();
    });
    var li = el("li");
    li.appendChild(row.button);
    roleList.appendChild(li);
    roleRows.set(r[0], row);
  });
  // role families (supporter: funder, guide, partner, ...): one switch for all their roles
  var familyRows = new Map(), firstRole = roleList.firstChild;
  (data.roleFamilies || []).forEach(function (f) {
    var line = el("span", "kg-line");
    line.style.borderColor = data.neutral;
    var row = toggleRow(line, fill(ui.family, { family: f[1] }), function () {
      var allShown = f[2].every(function (r) { return !state.roles.has(r); });
      f[2].forEach(function (r) { if (allShown) state.roles.add(r); else state.roles.delete(r); });
      update();
    });
    var li = el("li");
    li.appendChild(row.button);
    roleList.insertBefore(li, firstRole);
    familyRows.set(f[0], { row: row, roles: f[2] });
  });
  if (data.edges.some(function (e) { return e.roles && e.roles.length > 1; })) {
    var several = el("li", "kg-note");
    var grey = el("span", "kg-line");
    grey.style.borderColor = data.neutral;
    several.appendChild(grey);
    several.appendChild(el("span", null, ui.several));
    roleList.appendChild(several);
  }
  var widthKey = ui["width_" + data.view] || ui.width;
  if (maxWeight > 1) {
    var widths = el("li", "kg-note");
    var thin = el("span", "kg-line kg-w1"), thick = el("span", "kg-line kg-w5");
    thin.style.borderTopWidth = "1px";
    thick.style.borderTopWidth = Math.round(edgeWidth({ weight: maxWeight })) + "px";
    widths.appendChild(thin);
    widths.appendChild(thick);
    widths.appendChild(el("span", null, fill(widthKey, { max: maxWeight })));
    roleList.appendChild(widths);
  }
  if (roleKeys.length) section(ui.roles, roleList);

  var filterBox = el("div", "kg-filters");
  var yearLabel = null, fromInput = null, toInput = null;
  if (yearMin !== null && yearMax > yearMin) {
    yearLabel = el("div", "kg-range-label");
    var ranges = el("div", "kg-ranges");
    fromInput = el("input");
    toInput = el("input");
    [fromInput, toInput].forEach(function (r, i) {
      r.type = "range"; r.min = yearMin; r.max = yearMax; r.step = 1;
      r.id = i ? "kg-year-to" : "kg-year-from";
      r.setAttribute("aria-label", ui.years + (i ? " ≤" : " ≥"));
      r.addEventListener("input", function () {
        var a = Number(fromInput.value), b = Number(toInput.value);
        if (a > b) { if (i) a = b; else b = a; }
        state.from = a; state.to = b;
        update();
      });
      ranges.appendChild(r);
    });
    filterBox.appendChild(yearLabel);
    filterBox.appendChild(ranges);
    filterBox.appendChild(el("div", "kg-src", ui.undated));
  }
  var degreeLabel = el("div", "kg-range-label");
  var degreeInput = el("input");
  degreeInput.type = "range"; degreeInput.min = 0; degreeInput.max = Math.max(degreeMax, 1); degreeInput.step = 1;
  degreeInput.id = "kg-degree";
  degreeInput.setAttribute("aria-label", ui.mindegree);
  degreeInput.addEventListener("input", function () { state.degree = Number(degreeInput.value); update(); });
  filterBox.appendChild(degreeLabel);
  filterBox.appendChild(degreeInput);
  // A picker of several sources or regions: a folding list of checkboxes, each with the
  // number of links it keeps under the other filters; none ticked is all of them.
  function picker(id, label, allText, ids, nameOf, chosen) {
    var box = el("details", "kg-pick");
    box.id = id;
    var summary = el("summary", null, label);
    var said = el("span", "kg-said");
    summary.appendChild(document.createTextNode(": "));
    summary.appendChild(said);
    box.appendChild(summary);
    var narrow = null;
    if (ids.length > 8) {
      narrow = el("input", "kg-narrow");
      narrow.type = "search";
      narrow.placeholder = ui.narrow;
      narrow.setAttribute("aria-label", label + ": " + ui.narrow);
      narrow.addEventListener("input", function () {
        var q = fold(narrow.value);
        rows.forEach(function (row) { row.li.hidden = !!q && row.key.indexOf(q) < 0; });
      });
      box.appendChild(narrow);
    }
    var list = el("ul", "kg-pick-list");
    list.setAttribute("role", "group");
    list.setAttribute("aria-label", label);
    var rows = new Map();
    ids.forEach(function (x) {
      var li = el("li"), lab = el("label"), tick = el("input");
      tick.type = "checkbox";
      tick.value = x;
      tick.addEventListener("change", function () {
        if (tick.checked) chosen().add(x); else chosen().delete(x);
        update();
      });
      lab.appendChild(tick);
      var name = nameOf(x);
      lab.appendChild(el("span", "kg-name", name.length > 60 ? name.slice(0, 58) + "…" : name));
      lab.title = name;
      var n = el("span", "kg-n");
      lab.appendChild(n);
      li.appendChild(lab);
      list.appendChild(li);
      rows.set(x, { li: li, tick: tick, count: n, key: fold(name + " " + x), shown: null });
    });
    box.appendChild(list);
    return {
      box: box,
      sync: function (counts, totals) {
        var set = chosen();
        said.textContent = set.size ? (set.size === 1 ? nameOf(Array.from(set)[0]) : fill(ui.chosen, { n: set.size }))
          : allText;
        rows.forEach(function (row, x) {
          row.tick.checked = set.has(x);
          var text = countText(counts.get(x) || 0, totals.get(x) || 0);
          if (row.shown !== text) { row.count.textContent = text; row.shown = text; }
        });
      }
    };
  }
  function sourceTitle(s) {
    var t = data.sources[s].title || {};
    return t[data.lang] || t[data.lang.split("-")[0]] || t.en || t[Object.keys(t).sort()[0]] || s;
  }
  var sourceIds = Object.keys(data.sources).sort(function (a, b) {
    return sourceTitle(a).localeCompare(sourceTitle(b)) || (a < b ? -1 : 1);
  });
  var sourcePick = null, regionPick = null, sourceTotals = new Map(), regionTotals = new Map();
  data.edges.forEach(function (e) {
    e.cited.forEach(function (x) { sourceTotals.set(x, (sourceTotals.get(x) || 0) + 1); });
    e.inRegions.forEach(function (x) { regionTotals.set(x, (regionTotals.get(x) || 0) + 1); });
  });
  if (sourceIds.length > 1) {
    sourcePick = picker("kg-source", ui.sources, ui.allsources, sourceIds, sourceTitle,
                        function () { return state.sources; });
    filterBox.appendChild(sourcePick.box);
  }
  var regionIds = Object.keys(data.regions).sort(function (a, b) {
    return regionName(a) < regionName(b) ? -1 : regionName(a) > regionName(b) ? 1 : 0;
  });
  if (regionIds.length) {
    regionPick = picker("kg-region", ui.regions, ui.allregions, regionIds, regionName,
                        function () { return state.regions; });
    filterBox.appendChild(regionPick.box);
  }
  filterBox.appendChild(button(ui.reset, null, function () { resetFilters(); }, "kg-reset"));
  section(ui.filters, filterBox);

  function resetFilters() {
    var keep = { color: state.color, size: state.size, node: state.node, open: state.open };
    state = defaults();
    state.color = keep.color; state.size = keep.size; state.node = keep.node; state.open = keep.open;
    update();
  }

  function syncControls() {
    if (fromInput) {
      fromInput.value = state.from; toInput.value = state.to;
      yearLabel.textContent = ui.years + ": " + (yearsNarrowed() ? state.from + "–" + state.to : ui.allyears +
        " (" + yearMin + "–" + yearMax + ")");
    }
    degreeInput.value = state.degree;
    degreeLabel.textContent = ui.mindegree + ": " + state.degree;
    if (sourcePick) sourcePick.sync(sourceCounts, sourceTotals);
    if (regionPick) regionPick.sync(regionCounts, regionTotals);
    document.getElementById("kg-color").value = state.color;
    document.getElementById("kg-size").value = state.size || "uniform";
  }

  function updateLegend() {
    var kindAll = new Map(), kindShown = new Map(), roleAll = new Map(), roleShown = new Map();
    data.nodes.forEach(function (n) {
      kindAll.set(n.kind, (kindAll.get(n.kind) || 0) + 1);
      if (visibleNodes.has(n.id)) kindShown.set(n.kind, (kindShown.get(n.kind) || 0) + 1);
    });
    data.edges.forEach(function (e) {
      (e.roles && e.roles.length ? e.roles : ["-"]).forEach(function (r) {
        roleAll.set(r, (roleAll.get(r) || 0) + 1);
        if (visibleEdges.has(e.id)) roleShown.set(r, (roleShown.get(r) || 0) + 1);
      });
    });
    kindRows.forEach(function (row, k) {
      row.count.textContent = countText(kindShown.get(k) || 0, kindAll.get(k) || 0);
      row.button.setAttribute("aria-pressed", state.kinds.has(k) ? "false" : "true");
    });
    roleRows.forEach(function (row, r) {
      row.count.textContent = countText(roleShown.get(r) || 0, roleAll.get(r) || 0);
      row.button.setAttribute("aria-pressed", state.roles.has(r) ? "false" : "true");
    });
    familyRows.forEach(function (f) {
      var all = 0, shown = 0;
      data.edges.forEach(function (e) {
        if (!(e.roles || []).some(function (r) { return f.roles.indexOf(r) >= 0; })) return;
        all += 1;
        if (visibleEdges.has(e.id)) shown += 1;
      });
      f.row.count.textContent = countText(shown, all);
      f.row.button.setAttribute("aria-pressed", f.roles.every(function (r) { return !state.roles.has(r); }) ? "true" : "false");
    });
    // the colour key, when colours follow communities or regions
    legendColors.replaceChildren();
    colorSection.hidden = state.color === "kind";
    kindSection.classList.toggle("kg-muted", state.color !== "kind");
    if (state.color === "community") {
      var groups = new Map();
      data.nodes.forEach(function (n) {
        var c = n.metrics.community;
        if (c === undefined || !visibleNodes.has(n.id)) return;
        if (!groups.has(c)) groups.set(c, []);
        groups.get(c).push(n);
      });
      Array.from(groups.keys()).sort(function (a, b) { return a - b; }).forEach(function (c) {
        if (c >= data.communityColors.length) return;
        var members = groups.get(c).sort(function (a, b) { return b.metrics.degree - a.metrics.degree; });
        var li = el("li");
        var dot = el("span", "kg-dot");
        dot.style.background = data.communityColors[c];
        li.appendChild(dot);
        var name = el("span", "kg-name", fill(ui.communityof, { n: c + 1 }) + ": " + shortLabel(members[0]));
        name.title = members.slice(0, 5).map(function (n) { return n.label; }).join(", ");
        li.appendChild(name);
        li.appendChild(el("span", "kg-n", whole(members.length)));
        legendColors.appendChild(li);
      });
      if (Array.from(groups.keys()).some(function (c) { return c >= data.communityColors.length; })) {
        var rest = el("li");
        var d2 = el("span", "kg-dot");
        d2.style.background = otherColor;
        rest.appendChild(d2);
        rest.appendChild(el("span", "kg-name", ui.othercommunity));
        legendColors.appendChild(rest);
      }
    } else if (state.color === "region") {
      var rows = Array.from(regionColors.keys()).concat(["+", ""]);
      rows.forEach(function (r) {
        var li = el("li");
        var dot = el("span", "kg-dot");
        dot.style.background = r === "+" ? otherColor : r === "" ? "#D3DAE2" : regionColors.get(r);
        li.appendChild(dot);
        li.appendChild(el("span", "kg-name", r === "+" ? ui.otherregion : r === "" ? ui.noregion : regionName(r)));
        legendColors.appendChild(li);
      });
    }
    var sizeNote = state.size && state.size !== "uniform" ? ui.sizenote : "";
    choicesBox.title = sizeNote;
  }

  function filterKey() {
    return JSON.stringify([Array.from(state.kinds), Array.from(state.roles), state.from, state.to,
                           state.degree, Array.from(state.sources), Array.from(state.regions), state.color]);
  }
  var lastFilter = null;
  function update() {
    computeVisible();
    var key = filterKey();
    if (grouped && key !== lastFilter) {
      if (lastFilter !== null) collapse();  // the first time: closed as the page opened
      lastFilter = key;
    }
    if (focused && !visibleNodes.has(focused)) focused = "";
    if (state.node && !visibleNodes.has(state.node)) {
      state.node = ""; detail.hidden = true; network.unselectAll(); focused = "";
    }
    restyle();
    updateLegend();
    syncControls();
    shown();
  }
  // The count, the details, the address: what follows the view once it is drawn.
  function shown() {
    count.textContent = countText(visibleNodes.size, data.nodes.length) + " " +
      (data.nodes.length === 1 ? ui.node : ui.nodes) + " · " +
      countText(visibleEdges.size, data.edges.length) + " " + (data.edges.length === 1 ? ui.edge : ui.edges);
    if (state.node) showDetail(state.node);
    writeHash();
    window.__kgVisible = { nodes: visibleNodes.size, edges: visibleEdges.size };
  }

  legendToggle.addEventListener("click", function () {
    var open = legendToggle.getAttribute("aria-expanded") !== "true";
    legendToggle.setAttribute("aria-expanded", open ? "true" : "false");
    legendBody.hidden = !open;
  });
  if (window.matchMedia("(max-width: 640px)").matches) {
    legendToggle.setAttribute("aria-expanded", "false");
    legendBody.hidden = true;
  }

  // ------------------------------------------------------------------ tools: zoom, fit, export

  // The part of the canvas the open panels leave free: each panel (largest first) cuts the
  // free rectangle on the side that keeps the most of it. On a wide screen the legend takes the
  // left, the details the right; on a phone the legend and the bottom sheet take the bottom.
  function freeArea() {
    var box = container.getBoundingClientRect();
    var free = { left: 0, top: 0, right: box.width, bottom: box.height };
    var panels = [document.getElementById("kg-head"), document.getElementById("kg-legend"), detail, tools]
      .filter(function (p) { return p && !p.hidden; })
      .map(function (p) {
        var r = p.getBoundingClientRect();
        return { left: r.left - box.left - 8, top: r.top - box.top - 8, right: r.right - box.left + 8,
                 bottom: r.bottom - box.top + 8 };
      })
      .filter(function (r) { return r.right > r.left + 8 && r.bottom > r.top + 8; })
      .sort(function (a, b) { return (b.right - b.left) * (b.bottom - b.top) - (a.right - a.left) * (a.bottom - a.top); });
    panels.forEach(function (p) {
      if (p.right <= free.left || p.left >= free.right || p.bottom <= free.top || p.top >= free.bottom) return;
      var cuts = [
        { left: free.left, top: free.top, right: Math.min(free.right, p.left), bottom: free.bottom },
        { left: Math.max(free.left, p.right), top: free.top, right: free.right, bottom: free.bottom },
        { left: free.left, top: free.top, right: free.right, bottom: Math.min(free.bottom, p.top) },
        { left: free.left, top: Math.max(free.top, p.bottom), right: free.right, bottom: free.bottom }
      ];
      var area = function (r) { return Math.max(0, r.right - r.left) * Math.max(0, r.bottom - r.top); };
      var best = cuts.reduce(function (a, b) { return area(b) > area(a) ? b : a; });
      // a panel that would leave too little is drawn over instead
      if (best.right - best.left >= 120 && best.bottom - best.top >= 120) free = best;
    });
    return free;
  }
  // Moves the view so that canvas point ``at`` sits in the middle of the free area, at ``zoom``.
  function moveInto(at, zoom, animate) {
    var box = container.getBoundingClientRect(), free = freeArea();
    var dx = (free.left + free.right) / 2 - box.width / 2, dy = (free.top + free.bottom) / 2 - box.height / 2;
    goal = animate ? zoom : 0;
    network.moveTo({ position: { x: at.x - dx / zoom, y: at.y - dy / zoom }, scale: zoom,
                     animation: animate ? { duration: 450, easingFunction: "easeInOutQuad" } : false });
  }
  // Where a fit puts the view, { at, zoom }: the drawn nodes (open communities' members, closed
  // communities, not the filtered-out) in the free area; null when nothing is drawn.
  function fitView() {
    var b = bounds();
    if (!b) return null;
    var free = freeArea();
    var zoom = 0.95 * Math.min((free.right - free.left) / Math.max(b.x1 - b.x0, 1),
                               (free.bottom - free.top) / Math.max(b.y1 - b.y0, 1));
    zoom = Math.min(zoom, 1.1);  // a few nodes: no close-up
    return { at: { x: (b.x0 + b.x1) / 2, y: (b.y0 + b.y1) / 2 }, zoom: zoom };
  }
  function fit() {
    var view = fitView();
    if (view) moveInto(view.at, view.zoom, false); else network.fit({ animation: false });
  }
  function zoomBy(f) {
    goal = network.getScale() * f;
    network.moveTo({ scale: goal, animation: { duration: 200, easingFunction: "easeInOutQuad" } });
  }
  function save(blob, name) {
    var a = document.createElement("a");
    a.download = name;
    a.href = URL.createObjectURL(blob);
    document.body.appendChild(a);
    a.click();
    a.remove();
    setTimeout(function () { URL.revokeObjectURL(a.href); }, 1000);
  }
  function fileName(ext) {
    var t = document.title.replace(/[\\/:*?"<>|\s]+/g, "-").replace(/^-+|-+$/g, "").slice(0, 60);
    return (t || "network") + "." + ext;
  }
  function png() {
    var canvas = container.querySelector("canvas");
    var out = document.createElement("canvas");
    out.width = canvas.width; out.height = canvas.height;
    var ctx = out.getContext("2d");
    ctx.fillStyle = "#ffffff";
    ctx.fillRect(0, 0, out.width, out.height);
    ctx.drawImage(canvas, 0, 0);
    // Encoded at once (a few ms): toBlob waits for the browser's idle time, which after a click
    // took from 1 to 7 s in headless Chromium.
    var bytes = atob(out.toDataURL("image/png").split(",")[1]), buf = new Uint8Array(bytes.length);
    for (var i = 0; i < bytes.length; i++) buf[i] = bytes.charCodeAt(i);
    save(new Blob([buf], { type: "image/png" }), fileName("png"));
  }
  function csvCell(v) {
    var s = v === undefined || v === null ? "" : String(v);
    if (/^[=+\-@\t\r]/.test(s)) s = "'" + s;   // never a formula in a spreadsheet
    return /[",\n\r]/.test(s) ? '"' + s.replace(/"/g, '""') + '"' : s;
  }
  function csv(rows) { return rows.map(function (r) { return r.map(csvCell).join(","); }).join("\r\n") + "\r\n"; }
  function nodesCsv() {
    var rows = [["id", "label", "kind", "types", "regions", "links_shown", "degree", "weighted_degree",
                 "betweenness", "community"]];
    data.nodes.forEach(function (n) {
      if (!visibleNodes.has(n.id)) return;
      var m = n.metrics;
      rows.push([n.id, n.label, n.kind, (n.types || []).join("; "), (n.regions || []).join("; "),
                 visibleDegree.get(n.id) || 0, m.degree, m.weighted_degree, m.betweenness,
                 m.community === undefined ? "" : m.community + 1]);
    });
    return csv(rows);
  }
  function edgesCsv() {
    var rows = [["source", "target", "source_label", "target_label", "roles", "weight", "years", "via", "amounts",
                 "sources"]];
    data.edges.forEach(function (e) {
      if (!visibleEdges.has(e.id)) return;
      rows.push([e.from, e.to, labelOf(e.from), labelOf(e.to), (e.roles || []).join("; "), e.weight,
                 (e.years || []).join("; "), (e.via || []).join("; "), (e.amounts || []).join("; "),
                 (e.sources || []).join("; ")]);
    });
    return csv(rows);
  }
  var csvType = "text/csv;charset=utf-8";
  tools.appendChild(button("+", ui.zoomin, function () { zoomBy(1.3); }, "kg-tool"));
  tools.appendChild(button("−", ui.zoomout, function () { zoomBy(1 / 1.3); }, "kg-tool"));
  tools.appendChild(button("⤢", ui.fit, fit, "kg-tool"));
  if (grouped) {
    tools.appendChild(button(ui.collapse, ui.collapsetitle, function () {
      state.open.clear();
      collapse();
      restyle();
      writeHash();
    }, "kg-tool kg-wide"));
  }
  if (page.other) {  // the switch between the view with and without roll-up: kept in the address
    tools.appendChild(button(data.rolledUp ? ui.unrollup : ui.rollup, ui.rolluptitle, function () {
      var params = new URLSearchParams(location.hash.slice(1));
      params.set("rollup", data.rolledUp ? "0" : "1");
      params.delete("n");  // the selected node may not be drawn in the other view
      history.replaceState(null, "", "#" + params.toString());
      location.reload();
    }, "kg-tool kg-wide kg-rollup"));
  }
  tools.appendChild(button(ui.png, ui.pngtitle, png, "kg-tool kg-wide"));
  tools.appendChild(button(ui.csvnodes, ui.csvtitle, function () {
    save(new Blob(["\ufeff" + nodesCsv()], { type: csvType }), fileName("nodes.csv"));
  }, "kg-tool kg-wide"));
  tools.appendChild(button(ui.csvedges, ui.csvtitle, function () {
    save(new Blob(["\ufeff" + edgesCsv()], { type: csvType }), fileName("links.csv"));
  }, "kg-tool kg-wide"));

  // Labels of hubs and neighbours, and the smallest nodes, keep a readable size on screen.
  var zoomTimer = null;
  listen("zoom", function () {
    goal = 0;   // the reader's own zoom ends any move
    hideTip();
    clearTimeout(zoomTimer);
    zoomTimer = setTimeout(function () {
      var s = network.getScale();
      if (Math.abs(Math.log(s / scale)) > 0.2 || readable(s) !== readable(scale)) restyle();
    }, 150);
  });
  listen("animationFinished", function () {
    goal = 0;
    var s = network.getScale();
    if (Math.abs(Math.log(s / scale)) > 0.2 || readable(s) !== readable(scale)) restyle();
  });

  // ------------------------------------------------------------------ vis, made

  // The first styles are sized for the zoom of the first fit, so that the fit restyles nothing.
  updateLegend();
  syncControls();
  var firstView = fitView();
  if (firstView) scale = firstView.zoom;
  restyle();

  var options = {
    autoResize: true,
    layout: { improvedLayout: false, randomSeed: 7 },
    nodes: {
      shape: "dot", borderWidth: 1.5, borderWidthSelected: 3,
      font: { face: data.font, size: FONT, color: DEFAULT_INK, strokeWidth: 3,
              strokeColor: "rgba(255,255,255,0.9)" },
      scaling: { label: { drawThreshold: labelFrom } }
    },
    edges: {
      smooth: data.big ? false : { type: "continuous", roundness: 0.3 },
      arrows: { to: { enabled: data.directed, scaleFactor: 0.6 } },
      selectionWidth: 1.5, hoverWidth: 1
    },
    // The layout settles out of sight (up to 1000 steps, fewer once it is still) and is then
    // shown. "Still" is the minVelocity of vis' own forceAtlas2 example: at vis' default (0.1) a
    // 212-node view took 650 steps, the last 250 moving on screen, and a 300-node one moved on
    // screen for 25 s with a core busy all along.
    physics: data.physics ? {
      solver: "forceAtlas2Based",
      forceAtlas2Based: { gravitationalConstant: -60, springLength: 90, avoidOverlap: 0.4 },
      minVelocity: 0.75,
      stabilization: { enabled: true, iterations: 1000, updateInterval: 50, fit: true }
    } : false,
    interaction: { hover: true, tooltipDelay: 60, hideEdgesOnDrag: data.big,
                   hideEdgesOnZoom: data.big, multiselect: false,
                   keyboard: { enabled: true, bindToWindow: false, speed: { x: 10, y: 10, zoom: 0.03 } } }
  };

  // A layout that will not come to rest (the first one, or one stirred by a dragged node) is
  // stopped SETTLE_MS after it began: an open page keeps no core busy.
  var SETTLE_MS = 3000, settleTimer = null;
  function settleWithin() {
    clearTimeout(settleTimer);
    settleTimer = setTimeout(function () { network.stopSimulation(); }, SETTLE_MS);
  }
  if (data.physics) {
    listen("startStabilizing", settleWithin);
    listen("stabilized", function () { clearTimeout(settleTimer); });
  }

  var tNetwork = performance.now();
  network = new vis.Network(container, { nodes: nodes, edges: edges }, options);
  listeners.forEach(function (l) { network.on(l[0], l[1]); });
  if (data.physics) settleWithin();  // the first layout began inside vis.Network, before listen

  // ------------------------------------------------------------------ ready

  var ready = false;
  function markReady() {
    if (ready) return;
    ready = true;
    var now = performance.now();
    window.__kgStats = { nodes: data.nodes.length, edges: data.edges.length, drawn: nodes.length, drawMs: Math.round(now),
                         networkMs: Math.round(now - tNetwork) };
    window.__kgReady = true;
    document.body.setAttribute("data-ready", "true");
  }
  function start() {
    // the styles, legend and controls were made for this view before vis had it: only a
    // scale other than the one foreseen (physics moved the nodes) restyles
    fit();
    lastFilter = filterKey();
    if (Math.abs(Math.log(network.getScale() / scale)) > 0.01) restyle();
    if (state.node && !visibleNodes.has(state.node)) state.node = "";  // the address' filters hide it
    shown();
    if (state.node) select(state.node);
    network.once("afterDrawing", markReady);
    network.redraw();
  }
  if (data.physics && data.nodes.length) network.once("stabilizationIterationsDone", start); else start();

  window.__kg = { network: network, nodes: nodes, edges: edges, select: select, search: search,
                  // the closed communities' nodes; the nodes one of them stands for; open one, or all
                  clusters: function () { return Array.from(closed.values()).map(function (g) { return g.id; }); },
                  members: function (id) {
                    var c = clusterOf(id);
                    return c === undefined ? [] : communityNodes.get(c).filter(function (n) {
                      return visibleNodes.has(n.id);
                    }).map(function (n) { return n.id; });
                  },
                  open: function (id) { var c = clusterOf(id); return c !== undefined && openCommunity(c); },
                  openAll: function () {
                    closed.forEach(function (g, c) { state.open.add(c); });
                    closed.clear();
                    restyle();
                  },
                  state: function () { return state; }, close: closeDetail };
})();
