// Warns before the session ends and lets the user continue (WCAG 2.2.1, DigiD norm).
// Without JavaScript the session still ends on the server; this only adds the warning.
(function () {
  "use strict";
  var body = document.body;
  var dialog = document.getElementById("session-dialog");
  var warnBefore = Number(body.getAttribute("data-session-warning"));
  var secondsLeft = Number(body.getAttribute("data-session-left"));
  if (!dialog || typeof dialog.showModal !== "function" || !secondsLeft) {
    return;
  }
  var form = dialog.querySelector("[data-session-extend]");
  var warnTimer = null;
  var endTimer = null;

  function expire() {
    window.location.assign(dialog.getAttribute("data-expired-url"));
  }

  function schedule(seconds) {
    window.clearTimeout(warnTimer);
    window.clearTimeout(endTimer);
    warnTimer = window.setTimeout(function () {
      if (!dialog.open) {
        dialog.showModal();
      }
    }, Math.max(0, seconds - warnBefore) * 1000);
    endTimer = window.setTimeout(expire, seconds * 1000);
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    fetch(form.action, {
      method: "POST",
      body: new FormData(form),
      headers: { Accept: "application/json" },
      credentials: "same-origin"
    }).then(function (response) {
      if (!response.ok) {
        expire();
        return null;
      }
      return response.json();
    }).then(function (data) {
      if (data) {
        dialog.close();
        schedule(data.seconds_left);
      }
    }).catch(expire);
  });

  schedule(secondsLeft);
})();
