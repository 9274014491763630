/*
 * gan-course site: draws the Plotly charts. Each chart is a <div class="plotly-chart"
 * data-figure="ID"> whose figure ({data, layout, config}) sits in <script type="application/json"
 * id="ID">, written at build time. plotly.js is the one local copy in assets/ (no CDN).
 * Charts are made responsive: a fixed layout.width is dropped so they fit a phone screen.
 * Each chart gets data-state="drawn" or "error" (the browser check waits for it).
 */
(function () {
  "use strict";
  var FONT = '-apple-system, BlinkMacSystemFont, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif';

  function fail(el, message, error) {
    el.setAttribute("data-state", "error");
    el.innerHTML = "";
    var p = document.createElement("p");
    p.className = "chart-placeholder chart-error";
    p.textContent = message;
    el.appendChild(p);
    if (error) console.error(message, error);
  }

  function draw(el) {
    var source = document.getElementById(el.getAttribute("data-figure"));
    var figure;
    try {
      figure = JSON.parse(source.textContent);
    } catch (e) {
      return fail(el, "This chart's data could not be read.", e);
    }
    var layout = Object.assign({}, figure.layout || {});
    delete layout.width;
    layout.autosize = true;
    layout.font = Object.assign({ family: FONT }, layout.font || {});
    if (!layout.margin) layout.margin = { l: 56, r: 24, t: layout.title ? 56 : 24, b: 48 };
    var config = Object.assign({}, figure.config || {}, {
      responsive: true,
      displaylogo: false,
      showLink: false,
      sendData: false,
    });
    el.innerHTML = "";
    return window.Plotly.newPlot(el, figure.data, layout, config).then(
      function () {
        if (figure.frames && figure.frames.length) window.Plotly.addFrames(el, figure.frames);
        el.setAttribute("data-state", "drawn");
      },
      function (e) {
        fail(el, "This chart could not be drawn.", e);
      },
    );
  }

  function init() {
    var charts = document.querySelectorAll(".plotly-chart[data-figure]");
    if (!charts.length) return;
    if (!window.Plotly) {
      for (var i = 0; i < charts.length; i++) fail(charts[i], "The chart library (assets/plotly.min.js) did not load.");
      console.error("plotly.js is missing");
      return;
    }
    for (var j = 0; j < charts.length; j++) {
      try {
        draw(charts[j]);
      } catch (e) {
        fail(charts[j], "This chart could not be drawn.", e);
      }
    }
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
