/*
 * Error summary: move focus to it when the page loads, and make its links land on the field.
 *
 * The summary carries `autofocus`, which Chromium honours without this script; this is the
 * fallback for other browsers. Loaded with `defer`, so the document is parsed when it runs.
 */
(function () {
  "use strict";

  function labelFor(field) {
    var group = field.closest("fieldset");
    if (group && group.querySelector("legend")) {
      return group.querySelector("legend");
    }
    if (field.id && window.CSS && CSS.escape) {
      return document.querySelector('label[for="' + CSS.escape(field.id) + '"]');
    }
    return null;
  }

  function onSummaryClick(event) {
    var link = event.target.closest('a[href^="#"]');
    if (!link) {
      return;
    }
    var field = document.getElementById(decodeURIComponent(link.hash.slice(1)));
    if (!field) {
      return;
    }
    event.preventDefault();
    // Show the label or legend together with the field, not only the field itself.
    (labelFor(field) || field).scrollIntoView({ block: "start" });
    field.focus({ preventScroll: true });
  }

  function init() {
    var summary = document.querySelector("[data-error-summary]");
    if (!summary) {
      return;
    }
    if (document.activeElement !== summary) {
      summary.focus();
    }
    summary.addEventListener("click", onSummaryClick);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
