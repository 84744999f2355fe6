
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("kg-data").textContent);
  var ui = data.ui;
  var container = document.getElementById("kg-net");
  var tip = document.getElementById("kg-tip");
  var detail = document.getElementById("kg-detail");
  var byId = new Map(), adjacency = new Map();
  data.nodes.forEach(function (n) { byId.set(n.id, n); adjacency.set(n.id, []); });
  data.edges.forEach(function (e, i) {
    e.id = "e" + i;
    adjacency.get(e.from).push(e);
    if (e.to !== e.from) adjacency.get(e.to).push(e);
  });

  function el(tag, cls, text) {
    var node = document.createElement(tag);
    if (cls) node.className = cls;
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }
  function labelOf(id) { var n = byId.get(id); return n ? n.label : id; }
  function field(dl, name, value) {
    if (value === undefined || value === null || value === "" ||
        (Array.isArray(value) && !value.length)) return;
    dl.appendChild(el("dt", null, name));
    var dd = el("dd");
    if (value instanceof Node) dd.appendChild(value); else dd.textContent = String(value);
    dl.appendChild(dd);
  }
  function roleText(e) { return (e.roles || []).join(", "); }

  function nodeInfo(n, maxLinks) {
    var box = el("div", "kg-info");
    box.appendChild(el("div", "kg-title", n.label));
    var kind = el("div", "kg-kind");
    var dot = el("span", "kg-dot");
    dot.style.background = data.kindColors[n.kind];
    kind.appendChild(dot);
    kind.appendChild(el("span", null, n.kind + (n.types ? " · " + n.types.join(", ") : "")));
    box.appendChild(kind);
    var names = el("div");
    n.names.forEach(function (pair) {
      var row = el("div");
      row.appendChild(el("span", "kg-lang", pair[0]));
      row.appendChild(document.createTextNode(" " + pair[1]));
      names.appendChild(row);
    });
    box.appendChild(names);
    var dl = el("dl");
    field(dl, ui.aliases, (n.aliases || []).join(" · "));
    field(dl, ui.dates, n.dates);
    var links = adjacency.get(n.id) || [];
    if (links.length) {
      var list = el("ul");
      links.slice(0, maxLinks).forEach(function (e) {
        var other = e.from === n.id ? e.to : e.from;
        var item = el("li", null, labelOf(other) + (e.roles ? " (" + roleText(e) + ")" : ""));
        if (e.via) item.appendChild(el("div", "kg-src", ui.via + ": " + e.via.join(", ")));
        if (e.sources) {
          item.appendChild(el("div", "kg-src", ui.sources + ": " + e.sources.join(", ")));
        }
        list.appendChild(item);
      });
      if (links.length > maxLinks) {
        list.appendChild(el("li", "kg-src", "+" + (links.length - maxLinks) + " " + ui.more));
      }
      field(dl, ui.links + " (" + links.length + ")", list);
    }
    if (n.metrics) {
      field(dl, "metrics", Object.keys(n.metrics).map(function (k) {
        return k + " " + n.metrics[k];
      }).join(" · "));
    }
    box.appendChild(dl);
    return box;
  }

  function edgeInfo(e) {
    var box = el("div", "kg-info");
    box.appendChild(el("div", "kg-title", labelOf(e.from) + (data.directed ? " → " : " — ") +
      labelOf(e.to)));
    var dl = el("dl");
    field(dl, ui.roles, roleText(e));
    field(dl, ui.via, (e.via || []).join(", "));
    field(dl, ui.dates, e.dates);
    field(dl, ui.sources, (e.sources || []).join(", "));
    if (e.weight !== undefined) field(dl, "weight", e.weight);
    box.appendChild(dl);
    return box;
  }

  var nodes = new vis.DataSet(data.nodes.map(function (n) {
    var c = data.kindColors[n.kind];
    var ring = data.big ? c : "#ffffff";
    return {
      // long names are cut on the canvas only; tooltips, panel and search show them whole
      id: n.id, label: n.label.length > 32 ? n.label.slice(0, 30) + "…" : n.label,
      x: n.x, y: n.y, size: n.size,
      color: { background: c, border: ring, highlight: { background: c, border: "#1f2933" },
               hover: { background: c, border: "#1f2933" } }
    };
  }));
  var edges = new vis.DataSet(data.edges.map(function (e) {
    return { id: e.id, from: e.from, to: e.to, width: e.width,
             color: { color: e.color, highlight: "#1f2933", hover: e.color, opacity: 0.75 } };
  }));
  var edgeById = new Map(data.edges.map(function (e) { return [e.id, e]; }));

  var options = {
    autoResize: true,
    layout: { improvedLayout: false, randomSeed: 7 },
    nodes: {
      shape: "dot", borderWidth: 1.5, borderWidthSelected: 3,
      font: { face: data.font, size: 14, color: "#1f2933", strokeWidth: 3,
              strokeColor: "rgba(255,255,255,0.9)" },
      scaling: { label: { drawThreshold: data.big ? 9 : 5 } }
    },
    edges: {
      smooth: data.big ? false : { type: "continuous", roundness: 0.3 },
      arrows: { to: { enabled: data.directed, scaleFactor: 0.6 } },
      selectionWidth: 1.5, hoverWidth: 1
    },
    physics: data.physics ? {
      solver: "forceAtlas2Based",
      forceAtlas2Based: { gravitationalConstant: -60, springLength: 90, avoidOverlap: 0.4 },
      stabilization: { enabled: true, iterations: 400, updateInterval: 50, fit: true }
    } : false,
    interaction: { hover: true, tooltipDelay: 60, hideEdgesOnDrag: data.big,
                   hideEdgesOnZoom: data.big, keyboard: false, multiselect: false }
  };

  var tNetwork = performance.now();
  var network = new vis.Network(container, { nodes: nodes, edges: edges }, options);
  var ready = false;
  function markReady() {
    if (ready) return;
    ready = true;
    var now = performance.now();
    window.__kgStats = { nodes: nodes.length, edges: edges.length, drawMs: Math.round(now),
                         networkMs: Math.round(now - tNetwork) };
    window.__kgReady = true;
    document.body.setAttribute("data-ready", "true");
  }
  function fit() {
    network.fit({ animation: false });
    if (network.getScale() > 1.1) network.moveTo({ scale: 1.1 });  // a few nodes: no close-up
  }
  if (data.physics) {
    network.once("stabilizationIterationsDone", function () {
      fit();
      network.once("afterDrawing", markReady);
      network.redraw();
    });
  } else {
    fit();
    network.once("afterDrawing", markReady);
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
  network.on("hoverNode", function (p) { showTip(nodeInfo(byId.get(p.node), 6), p.pointer.DOM); });
  network.on("hoverEdge", function (p) {
    var e = edgeById.get(p.edge);
    if (e) showTip(edgeInfo(e), p.pointer.DOM);
  });
  network.on("blurNode", hideTip);
  network.on("blurEdge", hideTip);
  network.on("dragStart", hideTip);
  network.on("zoom", hideTip);

  function showDetail(id) {
    var n = byId.get(id);
    if (!n) { detail.hidden = true; return; }
    detail.replaceChildren(nodeInfo(n, 40));
    detail.hidden = false;
  }
  network.on("selectNode", function (p) { showDetail(p.nodes[0]); });
  network.on("deselectNode", function (p) { if (!p.nodes.length) detail.hidden = true; });

  function select(id) {
    if (!byId.has(id)) return;
    hideTip();
    network.selectNodes([id]);
    network.focus(id, { scale: Math.max(network.getScale(), 1.3),
                        animation: { duration: 450, easingFunction: "easeInOutQuad" } });
    showDetail(id);
    window.__kgSelected = id;
  }

  // Search: labels in every language, aliases (pinyin with or without tone marks) and ids.
  function fold(s) {
    return String(s).normalize("NFKD").replace(/[\u0300-\u036f]/g, "").toLowerCase()
      .replace(/\s+/g, " ").trim();
  }
  var index = data.nodes.map(function (n) {
    var keys = [n.label, n.id].concat(n.names.map(function (p) { return p[1]; }), n.aliases || []);
    return { id: n.id, keys: keys.map(fold), compact: keys.map(function (k) {
      return fold(k).replace(/[\s\-_·]/g, "");
    }) };
  });
  var input = document.getElementById("kg-search");
  var results = document.getElementById("kg-results");
  var found = [], active = 0;
  function search(query) {
    var q = fold(query), qc = q.replace(/[\s\-_·]/g, "");
    if (!q) return [];
    var hits = [];
    index.forEach(function (entry) {
      var best = 9;
      for (var i = 0; i < entry.keys.length; i++) {
        var k = entry.keys[i], c = entry.compact[i];
        if (k === q || c === qc) { best = 0; break; }
        if (k.indexOf(q) === 0 || c.indexOf(qc) === 0) best = Math.min(best, 1);
        else if (k.indexOf(q) >= 0 || (qc && c.indexOf(qc) >= 0)) best = Math.min(best, 2);
      }
      if (best < 9) hits.push([best, byId.get(entry.id).label, entry.id]);
    });
    hits.sort(function (a, b) {
      return a[0] - b[0] || (a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0);
    });
    return hits.slice(0, 12).map(function (h) { return h[2]; });
  }
  function showResults() {
    results.replaceChildren();
    if (!input.value.trim()) return;
    if (!found.length) { results.appendChild(el("li", "kg-none", ui.nomatch)); return; }
    found.forEach(function (id, i) {
      var n = byId.get(id);
      var li = el("li");
      li.setAttribute("role", "option");
      li.setAttribute("aria-selected", i === active ? "true" : "false");
      var dot = el("span", "kg-dot");
      dot.style.background = data.kindColors[n.kind];
      li.appendChild(dot);
      li.appendChild(el("span", null, n.label));
      var others = n.names.map(function (p) { return p[1]; }).filter(function (s) {
        return s !== n.label;
      });
      if (others.length) li.appendChild(el("span", "kg-sub", others.join(" · ")));
      li.addEventListener("mousedown", function (ev) { ev.preventDefault(); select(id); });
      results.appendChild(li);
    });
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
      if (found.length) select(found[active]);
      ev.preventDefault();
    } else if (ev.key === "Escape") {
      input.value = ""; found = []; showResults();
    }
  });

  window.__kg = { network: network, select: select, search: search };
})();
