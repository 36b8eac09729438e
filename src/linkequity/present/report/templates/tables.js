// The report's tables: built from the embedded JSON with textContent only (crawled text is
// never parsed as HTML), sortable by a click on a header, filtered by the box above.
(function () {
  "use strict";
  var tables = JSON.parse(document.getElementById("report-tables").textContent);
  function cellText(value) {
    if (value === null || value === undefined) return "";
    if (typeof value === "number") {
      return Number.isInteger(value) ? value.toLocaleString("en") :
        (Math.abs(value) >= 0.01 ? value.toFixed(2) : value.toPrecision(2));
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
    var filter = document.createElement("input");
    filter.className = "filter";
    filter.type = "search";
    filter.placeholder = "Filter " + spec.rows.length + " rows";
    var table = document.createElement("table");
    var head = table.createTHead().insertRow();
    var body = table.createTBody();
    var rows = spec.rows.slice();
    var order = { column: -1, descending: false };
    function draw() {
      var needle = filter.value.toLowerCase();
      body.textContent = "";
      rows.forEach(function (row) {
        if (needle && !row.some(function (v) { return cellText(v).toLowerCase().indexOf(needle) >= 0; })) return;
        var tr = body.insertRow();
        row.forEach(function (value) {
          var td = tr.insertCell();
          td.textContent = cellText(value);
          if (typeof value === "number") td.className = "number";
        });
      });
    }
    spec.columns.forEach(function (name, index) {
      var th = document.createElement("th");
      var button = document.createElement("button");
      button.type = "button";
      button.textContent = name;
      button.addEventListener("click", function () {
        order.descending = order.column === index ? !order.descending : false;
        order.column = index;
        rows.sort(function (a, b) {
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
    holder.appendChild(table);
    draw();
  });
})();
