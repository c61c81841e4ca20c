// Warns before the session ends and lets the user continue (WCAG 2.2.1, DigiD norm).
// Without JavaScript the session still ends on the server; this only adds the warning.
//
// The dialog counts down the time left every second where it can be seen; a screen reader hears
// it in a polite live region only once a minute and at 30 seconds, not every second. Escape
// (the dialog's "cancel") means "Continue": closing the warning never leaves the end timer
// running unseen.
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
  var countdown = dialog.querySelector("[data-session-countdown]");
  var announcer = dialog.querySelector("[data-session-announce]");
  var ANNOUNCE_SECONDS = 30;
  var warnTimer = null;
  var endTimer = null;
  var ticker = null;
  var endsAt = 0;
  var announced = "";

  function expire() {
    window.location.assign(dialog.getAttribute("data-expired-url"));
  }

  function remaining() {
    return Math.max(0, Math.ceil((endsAt - Date.now()) / 1000));
  }

  // The sentence for the time left: whole minutes (rounded up), or the last 30 seconds.
  function sentence(seconds) {
    if (seconds <= ANNOUNCE_SECONDS) {
      return announcer.getAttribute("data-seconds").replace("{n}", String(ANNOUNCE_SECONDS));
    }
    var minutes = Math.ceil(seconds / 60);
    if (minutes === 1) {
      return announcer.getAttribute("data-one-minute");
    }
    return announcer.getAttribute("data-minutes").replace("{n}", String(minutes));
  }

  function tick() {
    var seconds = remaining();
    var rest = seconds % 60;
    countdown.textContent = Math.floor(seconds / 60) + ":" + (rest < 10 ? "0" : "") + rest;
    var text = sentence(seconds);
    if (text !== announced) {
      announced = text;
      announcer.textContent = text;
    }
  }

  function open() {
    if (dialog.open) {
      return;
    }
    announced = "";
    announcer.textContent = "";
    dialog.showModal();
    tick();
    ticker = window.setInterval(tick, 1000);
  }

  function schedule(seconds) {
    window.clearTimeout(warnTimer);
    window.clearTimeout(endTimer);
    endsAt = Date.now() + seconds * 1000;
    warnTimer = window.setTimeout(open, Math.max(0, seconds - warnBefore) * 1000);
    endTimer = window.setTimeout(expire, seconds * 1000);
  }

  function extend() {
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
        if (dialog.open) {
          dialog.close();
        }
        schedule(data.seconds_left);
      }
    }).catch(expire);
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    extend();
  });
  // Escape closes a modal dialog by itself; here it also continues the session.
  dialog.addEventListener("cancel", extend);
  dialog.addEventListener("close", function () {
    window.clearInterval(ticker);
  });

  schedule(secondsLeft);
})();
