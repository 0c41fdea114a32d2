/* Renders the dashboard's Vega-Lite charts with vega-embed (served from node_modules).
   Each chart's spec is embedded in the page as JSON (json_script); the table under each chart
   holds the same numbers, so nothing depends on this script.

   Under the strict Content-Security-Policy (no eval, no inline style): `ast: true` makes Vega
   evaluate its expressions with the CSP-safe interpreter (vega-interpreter, which vega-embed
   carries and uses with `ast`) instead of compiling them with new Function; vega-embed and its
   tooltip add no <style> of their own (monitor.css styles both). */
(function () {
  "use strict";

  var EMBED_OPTIONS = {
    actions: false,
    renderer: "svg",
    ast: true,
    defaultStyle: false,
    tooltip: { disableDefaultStyle: true },
  };

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
        .vegaEmbed(el, JSON.parse(source.textContent), EMBED_OPTIONS)
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
