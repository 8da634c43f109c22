// Live progress of a categorisation run: polls the run's progress.json every 1.5 seconds, moves the
// progress bar, its label (the stage: categorising, confirming, letters) and its text, and reloads the
// page once the run, its confirmation and its letters have finished.
// Without JavaScript the page refreshes itself (a meta refresh inside <noscript>).
(function () {
  "use strict";
  var box = document.querySelector("[data-run-progress]");
  if (!box || !window.fetch) { return; }
  document.documentElement.classList.add("app-js-enabled");
  var url = box.getAttribute("data-run-progress");
  var bar = box.querySelector("progress");
  var text = box.querySelector(".app-progress__text");
  var label = box.querySelector("label");
  var failures = 0;
  var announcedAt = 0;

  function say(message, now) {
    // The text is a polite live region: say a new figure at most every five seconds, so a screen
    // reader is not talked over; the bar itself moves at every poll.
    if (text.textContent !== message && (now || Date.now() - announcedAt >= 5000)) {
      text.textContent = message;
      announcedAt = Date.now();
    }
  }

  function poll() {
    fetch(url, { credentials: "same-origin", cache: "no-store", headers: { "Accept": "application/json" } })
      .then(function (response) {
        if (!response.ok) { throw new Error("HTTP " + response.status); }
        return response.json();
      })
      .then(function (data) {
        failures = 0;
        bar.value = data.percent;
        bar.textContent = data.percent + "%";
        if (label && data.label && label.textContent !== data.label) { label.textContent = data.label; }
        if (!data.working) {
          say(data.message + " Loading the results.", true);
          window.location.reload();
          return;
        }
        say(data.message, false);
        window.setTimeout(poll, 1500);
      })
      .catch(function () {
        failures += 1;
        if (failures < 5) {
          window.setTimeout(poll, 3000);
        } else {
          say("The progress could not be read. Refresh the page to see where the run is.", true);
        }
      });
  }

  window.setTimeout(poll, 1000);
})();
