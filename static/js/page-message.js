/*
 * After a change the portal redirects to a page with the confirmation at the top of the content
 * (components/messages.html). A status region that is already there when the page loads is not
 * reliably announced, so move focus to it: a screen reader reads it, and the next Tab goes on
 * from there. Without JavaScript the message is still the first thing in the content, in view.
 * An error summary on the same page keeps the focus (js/error-summary.js).
 */
(function () {
  "use strict";

  function init() {
    var message = document.querySelector("[data-notification-focus]");
    if (!message || document.querySelector("[data-error-summary]")) {
      return;
    }
    message.focus();
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
