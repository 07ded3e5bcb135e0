/* The header's search suggestions: arrow keys move between them, Escape closes them; without this script
   the suggestions are plain links reached with Tab, and the form still searches. */
document.addEventListener("DOMContentLoaded", function () {
  var input = document.getElementById("site-search-q");
  var box = document.getElementById("site-search-suggestions");
  if (!input || !box) { return; }
  function options() { return Array.prototype.slice.call(box.querySelectorAll("[role=option]")); }
  function close() { box.innerHTML = ""; input.setAttribute("aria-expanded", "false"); }
  document.body.addEventListener("htmx:afterSwap", function (event) {
    if (event.target === box) { input.setAttribute("aria-expanded", String(options().length > 0)); }
  });
  function move(event, step) {
    var list = options();
    if (!list.length) { return; }
    var at = list.indexOf(document.activeElement);
    var next = at === -1 ? (step > 0 ? 0 : list.length - 1) : at + step;
    event.preventDefault();
    if (next < 0 || next >= list.length) { input.focus(); return; }
    list[next].focus();
  }
  input.addEventListener("keydown", function (event) {
    if (event.key === "ArrowDown") { move(event, 1); }
    else if (event.key === "Escape") { close(); }
  });
  box.addEventListener("keydown", function (event) {
    if (event.key === "ArrowDown") { move(event, 1); }
    else if (event.key === "ArrowUp") { move(event, -1); }
    else if (event.key === "Escape") { close(); input.focus(); }
  });
});
