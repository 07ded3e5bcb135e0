/* On a phone the main navigation folds behind a "Menu" button; without this script it simply stays open. */
document.addEventListener("DOMContentLoaded", function () {
  // "Back to the previous page" on error pages (a javascript: address would be refused by the Content-Security-Policy).
  document.querySelectorAll("[data-history-back]").forEach(function (link) {
    if (window.history.length < 2) { return; }
    link.addEventListener("click", function (event) { event.preventDefault(); window.history.back(); });
  });
  document.querySelectorAll("[data-nav-toggle]").forEach(function (button) {
    var nav = document.getElementById(button.getAttribute("aria-controls"));
    if (!nav) { return; }
    button.hidden = false;
    button.closest(".site-header").classList.add("nav-folds");
    button.addEventListener("click", function () {
      var open = button.getAttribute("aria-expanded") !== "true";
      button.setAttribute("aria-expanded", String(open));
      nav.classList.toggle("open", open);
    });
  });
});
