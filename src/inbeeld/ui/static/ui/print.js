/* A button with data-inbeeld-print prints the page (no inline onclick under the strict CSP). */
(function () {
  "use strict";
  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-inbeeld-print]");
    if (button) {
      event.preventDefault();
      window.print();
    }
  });
})();
