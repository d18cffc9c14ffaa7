/* Keeps the import's progress bar up to date while the worker reads, checks or saves the file.
 * No inline script: the CSP allows only our own files. Without JavaScript the page reloads itself
 * (a <noscript> refresh) and has an "Uppdatera" link; with it, the page asks the status URL once a
 * second and reloads when the step is done, to show the result (or go on to the register). */
(function () {
  "use strict";

  var box = document.querySelector("[data-import-status]");
  if (!box || !window.fetch) {
    return;
  }
  var url = box.getAttribute("data-import-status");
  var bar = box.querySelector("progress");
  var heading = box.querySelector("[data-import-heading]");
  var stage = box.querySelector("[data-import-stage]");
  var text = box.querySelector("[data-import-text]");
  var percent = box.querySelector("[data-import-percent]");
  var failures = 0;

  function show(status) {
    if (status.total) {
      bar.max = status.total;
      bar.value = status.done;
      percent.textContent = status.percent + " %";
    } else {
      bar.removeAttribute("value"); // not known yet: an indeterminate bar
      percent.textContent = "";
    }
    if (heading.textContent !== status.heading) {
      heading.textContent = status.heading;
    }
    if (stage.textContent !== status.stage_label) {
      stage.textContent = status.stage_label; // a live region: read out when the stage changes, not every second
    }
    if (text.textContent !== status.text) {
      text.textContent = status.text;
    }
  }

  function poll() {
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) {
        if (!response.ok) {
          throw new Error("status " + response.status);
        }
        return response.json();
      })
      .then(function (status) {
        failures = 0;
        if (status.finished) {
          window.location.reload();
          return;
        }
        show(status);
        window.setTimeout(poll, 1000);
      })
      .catch(function () {
        failures += 1; // the server may be busy: ask less often, and leave the link to reload by hand
        window.setTimeout(poll, Math.min(30000, 2000 * failures));
      });
  }

  window.setTimeout(poll, 1000);
})();
