// Draws every <div class="plot" data-chart="{data, layout}"> with plotly.js (served locally).
"use strict";
document.addEventListener("DOMContentLoaded", function () {
  document.querySelectorAll("div.plot[data-chart]").forEach(function (el) {
    var spec = JSON.parse(el.getAttribute("data-chart"));
    window.Plotly.newPlot(el, spec.data, spec.layout, {displaylogo: false, responsive: true})
      .then(function () { el.setAttribute("data-rendered", "true"); });
  });
});
