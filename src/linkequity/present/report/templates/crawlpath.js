// The crawl path: the click tree from the start URL, built from the embedded JSON with DOM
// calls and textContent only (crawled URLs are text, never links or markup). A node lists its
// children by Link Score; a big fan-out shows its first children and an "and N more" button.
// The search box finds pages by any part of their URL and shows the shortest click path to
// the one chosen (walked up the parents), then opens the tree down to it.
(function () {
  "use strict";
  var element = document.getElementById("report-crawl-path");
  var holder = document.getElementById("crawl-tree");
  if (!element || !holder) return;
  var data = JSON.parse(element.textContent);
  var count = data.url.length;
  // children shown when a node opens, and shown more by each "and N more"
  var FIRST = 25, MORE = 200, MATCHES = 12;
  var children = [];
  var i;
  for (i = 0; i < count; i += 1) children.push([]);
  for (i = 1; i < count; i += 1) children[data.parent[i]].push(i);
  var open = {};  // node -> {list, shown}
  var items = {};  // node -> its li, once drawn

  function span(className, text) {
    var element = document.createElement("span");
    element.className = className;
    element.textContent = text;
    return element;
  }
  function full(node) {
    var url = data.url[node];
    return url.charAt(0) === "/" ? data.prefix + url : url;
  }
  function score(node) {
    var value = data.score[node];
    return value === null ? "no Link Score" : "Link Score " + value.toFixed(1);
  }
  function about(node) {
    var parts = [score(node), "depth " + data.depth[node]];
    if (children[node].length) parts.push(children[node].length.toLocaleString("en") + " below");
    var role = data.role[String(node)];
    if (role) parts.push(role);
    return parts.join(" · ");
  }
  function nodeItem(node) {
    var li = document.createElement("li");
    li.setAttribute("data-node", String(node));
    var toggle = document.createElement("button");
    toggle.type = "button";
    toggle.className = "toggle";
    if (children[node].length) {
      toggle.textContent = "+";
      toggle.setAttribute("aria-expanded", "false");
      toggle.setAttribute("aria-label", "pages under " + full(node));
      toggle.addEventListener("click", function () {
        if (open[node]) collapse(node); else expand(node);
      });
    } else {
      toggle.textContent = "·";
      toggle.disabled = true;
    }
    var url = span("url", node === 0 ? full(node) : data.url[node]);
    url.title = full(node);
    li.appendChild(toggle);
    li.appendChild(url);
    li.appendChild(span("meta", about(node)));
    items[node] = li;
    return li;
  }
  function showMore(node, upTo) {
    var state = open[node];
    var kids = children[node];
    // upTo: show at least that many (opening, revealing); 0: MORE more
    var end = Math.min(kids.length, upTo ? Math.max(upTo, state.shown) : state.shown + MORE);
    if (state.more) state.more.remove();
    for (var k = state.shown; k < end; k += 1) state.list.appendChild(nodeItem(kids[k]));
    state.shown = end;
    state.more = null;
    if (end < kids.length) {
      var li = document.createElement("li");
      var button = document.createElement("button");
      button.type = "button";
      button.className = "more";
      button.textContent = "and " + (kids.length - end).toLocaleString("en") + " more";
      button.addEventListener("click", function () { showMore(node, 0); });
      li.appendChild(button);
      state.list.appendChild(li);
      state.more = li;
    }
  }
  function expand(node, upTo) {
    if (!open[node]) {
      var list = document.createElement("ul");
      items[node].appendChild(list);
      open[node] = { list: list, shown: 0, more: null };
      var toggle = items[node].querySelector("button.toggle");
      toggle.textContent = "−";
      toggle.setAttribute("aria-expanded", "true");
      showMore(node, FIRST);
    }
    if (upTo && upTo > open[node].shown) showMore(node, upTo);
  }
  // folds a node: its list goes, and with it what was open below it (drawn anew when opened)
  function collapse(node) {
    open[node].list.remove();
    Object.keys(open).forEach(function (key) {
      var up = Number(key);
      while (up >= 0 && up !== node) up = data.parent[up];
      if (up === node) delete open[key];
    });
    var toggle = items[node].querySelector("button.toggle");
    toggle.textContent = "+";
    toggle.setAttribute("aria-expanded", "false");
  }
  // opens the tree down to a node and marks it
  function reveal(node) {
    var chain = path(node);
    for (var k = 0; k + 1 < chain.length; k += 1) {
      expand(chain[k], children[chain[k]].indexOf(chain[k + 1]) + 1);
    }
    var marked = holder.querySelector("li.chosen");
    if (marked) marked.classList.remove("chosen");
    items[node].classList.add("chosen");
    items[node].scrollIntoView({ block: "center" });
  }
  function path(node) {
    var chain = [node];
    while (data.parent[chain[0]] >= 0) chain.unshift(data.parent[chain[0]]);
    return chain;
  }

  var root = document.createElement("ul");
  root.className = "tree";
  root.appendChild(nodeItem(0));
  holder.textContent = "";
  holder.appendChild(root);
  if (count > 1) expand(0);

  var search = document.getElementById("crawl-path-search");
  var matches = document.getElementById("crawl-path-matches");
  var steps = document.getElementById("crawl-path-steps");
  var said = document.getElementById("crawl-path-said");
  function choose(node) {
    var chain = path(node);
    steps.textContent = "";
    said.textContent = "Shortest click path to " + full(node) + ": " +
      (chain.length - 1) + " click(s) from the start URL.";
    chain.forEach(function (step) {
      var li = document.createElement("li");
      li.appendChild(span("url", full(step)));
      li.appendChild(span("meta", score(step)));
      steps.appendChild(li);
    });
    reveal(node);
  }
  var lowered = null;  // every URL in lower case, made at the first search
  function find() {
    var needle = search.value.trim().toLowerCase();
    matches.textContent = "";
    if (!needle) return [];
    if (!lowered) lowered = data.url.map(function (_, k) { return full(k).toLowerCase(); });
    var found = [];
    var total = 0;
    for (var k = 0; k < count; k += 1) {
      var url = lowered[k];
      if (url.indexOf(needle) < 0) continue;
      total += 1;
      if (url === needle) found.unshift(k); else if (found.length < MATCHES) found.push(k);
    }
    found = found.slice(0, MATCHES);
    var line = document.createElement("li");
    line.className = "meta";
    line.textContent = total ? total.toLocaleString("en") + " page(s) match" + (total > found.length ? "; the first " + found.length + ":" : ":") :
      "No page of the tree matches (orphans and pages reached only through nofollow links have no click path).";
    matches.appendChild(line);
    found.forEach(function (node) {
      var li = document.createElement("li");
      var button = document.createElement("button");
      button.type = "button";
      button.className = "match";
      button.textContent = full(node);
      button.addEventListener("click", function () { choose(node); });
      li.appendChild(button);
      matches.appendChild(li);
    });
    return found;
  }
  search.addEventListener("input", find);
  search.addEventListener("keydown", function (event) {
    if (event.key !== "Enter") return;
    var found = find();
    if (found.length) choose(found[0]);
  });
})();
