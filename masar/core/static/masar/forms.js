/* Take the reader to the first problem of a form sent back with errors: the field itself when the form
   shows one (its error is read out through aria-describedby), else the summary above the form. */
(function () {
  "use strict";
  function focusFirstError() {
    var summary = document.querySelector("[data-error-summary]");
    if (!summary) {
      return;
    }
    var form = summary.closest("form") || document;
    var field = form.querySelector("[aria-invalid='true']");
    if (!field) {
      var fieldset = form.querySelector(".has-error fieldset");
      field = fieldset && fieldset.querySelector("input, select, textarea");
    }
    var target = field || summary;
    target.scrollIntoView({ block: "center" });
    target.focus({ preventScroll: true });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", focusFirstError);
  } else {
    focusFirstError();
  }
})();
