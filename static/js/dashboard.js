/* Draws the dashboards' charts from the figures the page carries as JSON (json_script "chart-data").
 * No inline script: the CSP allows only our own files. Each chart is drawn when it comes near the
 * viewport; its table alternative is always in the page. */
(function () {
  "use strict";

  // Printed pages show the tables and the explanations instead of the charts (dashboard.css).
  var opened = [];
  window.addEventListener("beforeprint", function () {
    opened = Array.prototype.filter.call(document.querySelectorAll("details.panel__how"), function (d) {
      return !d.open;
    });
    opened.forEach(function (d) { d.open = true; });
  });
  window.addEventListener("afterprint", function () {
    opened.forEach(function (d) { d.open = false; });
    opened = [];
  });

  var source = document.getElementById("chart-data");
  if (!source || typeof window.Plotly === "undefined") {
    return; // The tables carry the same values; the fallback text says so.
  }
  var figures = JSON.parse(source.textContent);
  // Charts are coming: the "needs JavaScript" notes go; a chart waits empty until it is drawn.
  Array.prototype.forEach.call(document.querySelectorAll(".chart__fallback"), function (note) {
    note.remove();
  });
  // No mode bar: its buttons would be focusable controls inside the chart's role="img" (axe:
  // nested-interactive), and the table beside each chart already gives every value.
  var config = {displaylogo: false, displayModeBar: false, responsive: true, scrollZoom: false};

  function draw(element) {
    var figure = figures[element.getAttribute("data-chart")];
    if (!figure || element.getAttribute("data-drawn")) {
      return;
    }
    element.setAttribute("data-drawn", "true");
    window.Plotly.newPlot(element, figure.data, figure.layout, config).then(function () {
      element.classList.add("chart--drawn");
    });
  }

  var charts = Array.prototype.slice.call(document.querySelectorAll("[data-chart]"));
  if ("IntersectionObserver" in window) {
    var observer = new IntersectionObserver(function (entries) {
      entries.forEach(function (entry) {
        if (entry.isIntersecting) {
          observer.unobserve(entry.target);
          draw(entry.target);
        }
      });
    }, {rootMargin: "400px 0px"});
    charts.forEach(function (chart) { observer.observe(chart); });
  } else {
    charts.forEach(draw);
  }
})();
