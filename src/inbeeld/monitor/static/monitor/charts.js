/* Renders the dashboard's Vega-Lite charts with vega-embed (served from node_modules).
   Each chart's spec is embedded in the page as JSON (json_script); the table under each chart
   holds the same numbers, so nothing depends on this script. */
(function () {
  "use strict";

  function render(root) {
    if (typeof window.vegaEmbed !== "function") {
      return;
    }
    root.querySelectorAll("[data-vega-spec]").forEach(function (el) {
      if (el.dataset.rendered === "1") {
        return;
      }
      var source = document.getElementById(el.dataset.vegaSpec);
      if (!source) {
        return;
      }
      el.dataset.rendered = "1";
      window
        .vegaEmbed(el, JSON.parse(source.textContent), { actions: false, renderer: "svg" })
        .then(function () {
          el.dataset.rendered = "done";
        })
        .catch(function (error) {
          el.dataset.rendered = "failed";
          if (window.console) {
            window.console.error(error);
          }
        });
    });
  }

  function start() {
    render(document);
    document.body.addEventListener("htmx:afterSettle", function (event) {
      render(event.target);
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
