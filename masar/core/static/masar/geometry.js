/* Place the bars of timelines, the roadmap and score bars from their data attributes (data-at: where the bar
   starts, data-size: its length, both in percent of the track). The Content-Security-Policy refuses style
   attributes; styles set through the CSSOM, as here, are allowed. */
(function () {
  "use strict";
  function place(root) {
    root.querySelectorAll("[data-at], [data-size]").forEach(function (element) {
      var at = parseFloat(element.dataset.at), size = parseFloat(element.dataset.size);
      if (!isNaN(at)) { element.style.setProperty("inset-inline-start", at + "%"); }
      if (!isNaN(size)) { element.style.setProperty("inline-size", size + "%"); }
    });
  }
  document.addEventListener("DOMContentLoaded", function () {
    place(document);
    document.body.addEventListener("htmx:afterSwap", function (event) { place(event.target); });
  });
})();
