// The report's tables: built from the embedded JSON with textContent only (crawled text is
// never parsed as HTML), sortable by a click on a header, filtered by the box above. A table
// whose spec names a "group" column draws the rows of one value together under one header row
// (an island of orphans, the sources of a broken URL) and keeps them together when sorted.
(function () {
  "use strict";
  var tables = JSON.parse(document.getElementById("report-tables").textContent);
  function cellText(value) {
    if (value === null || value === undefined) return "";
    if (typeof value === "number") {
      // below 1, two significant digits: a gain of 0.0119 pp reads 0.012, not 0.01
      return Number.isInteger(value) ? value.toLocaleString("en") :
        (Math.abs(value) >= 1 ? value.toFixed(2) : value.toPrecision(2));
    }
    return String(value);
  }
  function compare(a, b) {
    if (a === b) return 0;
    if (a === null || a === undefined) return 1;
    if (b === null || b === undefined) return -1;
    if (typeof a === "number" && typeof b === "number") return a - b;
    return String(a).localeCompare(String(b));
  }
  document.querySelectorAll("div.table").forEach(function (holder) {
    var spec = tables[holder.getAttribute("data-table")];
    if (!spec) return;
    holder.textContent = "";
    var group = spec.group ? spec.columns.indexOf(spec.group) : -1;
    var sizes = spec.group_sizes || {};
    var groupRank = new Map();
    var groupRows = new Map();
    if (group >= 0) {
      spec.rows.forEach(function (row) {
        var key = row[group];
        if (!groupRank.has(key)) groupRank.set(key, groupRank.size);
        groupRows.set(key, (groupRows.get(key) || 0) + 1);
      });
    }
    var filter = document.createElement("input");
    filter.className = "filter";
    filter.type = "search";
    filter.placeholder = "Filter " + spec.rows.length.toLocaleString("en") + " rows";
    var count = document.createElement("span");
    count.className = "count";
    var table = document.createElement("table");
    var head = table.createTHead().insertRow();
    var body = table.createTBody();
    var rows = spec.rows.slice();
    var order = { column: -1, descending: false };
    function groupHeader(key) {
      var tr = body.insertRow();
      tr.className = "group";
      var td = tr.insertCell();
      td.colSpan = spec.columns.length - 1;
      var size = Object.prototype.hasOwnProperty.call(sizes, key) ? sizes[key] : groupRows.get(key);
      var unit = spec.group_unit ? " " + spec.group_unit[size === 1 ? 0 : 1] : "";
      td.textContent = spec.group + " " + cellText(key) + " (" + cellText(size) + unit + ")";
    }
    function draw() {
      var needle = filter.value.toLowerCase();
      var shown = 0;
      var previous = {};
      body.textContent = "";
      rows.forEach(function (row) {
        if (needle && !row.some(function (v) { return cellText(v).toLowerCase().indexOf(needle) >= 0; })) return;
        shown += 1;
        if (group >= 0 && row[group] !== previous) {
          previous = row[group];
          groupHeader(previous);
        }
        var tr = body.insertRow();
        row.forEach(function (value, index) {
          if (index === group) return;
          var td = tr.insertCell();
          td.textContent = cellText(value);
          if (typeof value === "number") td.className = "number";
        });
      });
      var text = "showing " + shown.toLocaleString("en") + " of " + rows.length.toLocaleString("en") + " rows";
      if (spec.total) text += " (" + spec.total.toLocaleString("en") + " exist; an export holds them all)";
      count.textContent = text;
    }
    spec.columns.forEach(function (name, index) {
      if (index === group) return;
      var th = document.createElement("th");
      var button = document.createElement("button");
      button.type = "button";
      button.textContent = name.replace(/_/g, " ");  // wraps between words
      button.addEventListener("click", function () {
        order.descending = order.column === index ? !order.descending : false;
        order.column = index;
        rows.sort(function (a, b) {
          if (group >= 0) {
            var g = groupRank.get(a[group]) - groupRank.get(b[group]);
            if (g !== 0) return g;
          }
          var c = compare(a[index], b[index]);
          return order.descending ? -c : c;
        });
        draw();
      });
      th.appendChild(button);
      head.appendChild(th);
    });
    filter.addEventListener("input", draw);
    holder.appendChild(filter);
    holder.appendChild(count);
    holder.appendChild(table);
    draw();
  });
})();
