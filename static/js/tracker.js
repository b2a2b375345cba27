// Small behaviours on top of htmx: keep keyboard focus where the person is working, and show
// upload progress. Pages work without this file; it only makes them smoother.
(function () {
  "use strict";

  // After a swap, focus moves to the element marked data-autofocus (an error summary, the
  // saved item) so that keyboard and screen-reader users are not dropped back to <body>.
  // htmx fires htmx:afterSettle on each new node; the element that asked (event.detail.elt)
  // is often inside the content that was just replaced, so it cannot be the starting point.
  function focusOn(element) {
    if (!element.hasAttribute("tabindex") && !/^(A|BUTTON|INPUT|SELECT|TEXTAREA)$/.test(element.tagName)) {
      element.setAttribute("tabindex", "-1");
    }
    element.focus();
  }

  document.addEventListener("htmx:afterSettle", function (event) {
    var swapped = event.target;
    if (!swapped || swapped.nodeType !== 1 || !swapped.isConnected) return;
    var target = swapped.matches("[data-autofocus]") ? swapped : swapped.querySelector("[data-autofocus]");
    if (!target) target = document.querySelector("[data-autofocus]");
    if (target) {
      focusOn(target);
      target.removeAttribute("data-autofocus");
    } else if (document.activeElement === document.body) {
      // A swapped-in section: its heading; a swapped-in form: its first field.
      focusOn(
        swapped.querySelector("h2, h3, [tabindex='-1']") ||
          swapped.querySelector("input:not([type=hidden]), select, textarea") ||
          swapped
      );
    }
  });

  // The matrix cell whose details the side panel shows stays marked.
  document.addEventListener("htmx:beforeRequest", function (event) {
    var link = event.detail.elt;
    if (!link || !link.closest || !link.closest(".matrix__cell")) return;
    document.querySelectorAll(".matrix__cell a.is-open").forEach(function (open) {
      open.classList.remove("is-open");
      open.removeAttribute("aria-current");
    });
    link.classList.add("is-open");
    link.setAttribute("aria-current", "true");
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
      focusOn(summary);
      summary.removeAttribute("data-autofocus");
    }
  });
})();
