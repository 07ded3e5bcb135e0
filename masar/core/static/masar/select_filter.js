// A search box above a long list: typing narrows the list's options to those containing the words typed.
(function () {
  "use strict";
  function fold(text) {
    return text.normalize("NFKD").replace(/[\u0300-\u036f\u064b-\u065f\u0670]/g, "").toLocaleLowerCase();
  }
  document.querySelectorAll("input[data-filters]").forEach(function (box) {
    var select = document.getElementById(box.dataset.filters);
    if (!select || box.dataset.ready) return;
    box.dataset.ready = "1";
    box.hidden = false;
    box.addEventListener("input", function () {
      var words = fold(box.value.trim());
      var shown = 0;
      Array.prototype.forEach.call(select.options, function (option) {
        var keep = !words || !option.value || option.selected || fold(option.text).indexOf(words) !== -1;
        option.hidden = !keep;
        if (keep) shown += 1;
      });
      select.size = words ? Math.min(Math.max(shown, 2), 8) : 0;
    });
  });
})();
