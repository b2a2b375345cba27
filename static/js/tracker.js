// Small behaviours on top of htmx: keep keyboard focus where the person is working, and show
// upload progress. Pages work without this file; it only makes them smoother.
(function () {
  "use strict";

  // After a swap, focus moves to the element marked data-autofocus (an error summary, the
  // saved item) so that keyboard and screen-reader users are not dropped back to <body>.
  document.addEventListener("htmx:afterSettle", function (event) {
    var root = event.detail.elt && event.detail.elt.isConnected ? event.detail.elt : document;
    var target = root.querySelector ? root.querySelector("[data-autofocus]") : null;
    if (!target) target = document.querySelector("[data-autofocus]");
    if (target) {
      if (!target.hasAttribute("tabindex") && !/^(A|BUTTON|INPUT|SELECT|TEXTAREA)$/.test(target.tagName)) {
        target.setAttribute("tabindex", "-1");
      }
      target.focus();
      target.removeAttribute("data-autofocus");
    } else if (document.activeElement === document.body && event.detail.elt && event.detail.elt.isConnected) {
      var fallback = event.detail.elt.querySelector("h2, h3, [tabindex='-1']") || event.detail.elt;
      if (!fallback.hasAttribute("tabindex")) fallback.setAttribute("tabindex", "-1");
      fallback.focus();
    }
  });

  // Upload progress for forms that carry a <progress data-upload-progress>.
  document.addEventListener("htmx:xhr:progress", function (event) {
    var form = event.detail.elt.closest ? event.detail.elt.closest("form") : null;
    var bar = form && form.querySelector("[data-upload-progress]");
    if (!bar || !event.detail.lengthComputable) return;
    bar.hidden = false;
    bar.value = Math.round((event.detail.loaded / event.detail.total) * 100);
    bar.textContent = bar.value + "%";
  });

  // On a page without htmx swaps (a full-page POST that failed validation), move focus to
  // the error summary once the page has loaded.
  document.addEventListener("DOMContentLoaded", function () {
    var summary = document.querySelector("[data-autofocus]");
    if (summary) {
      if (!summary.hasAttribute("tabindex")) summary.setAttribute("tabindex", "-1");
      summary.focus();
    }
  });
})();
