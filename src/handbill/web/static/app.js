// handbill serve: job progress by polling (no inline script; CSP allows only this origin's files).
"use strict";
(function () {
  var job = document.getElementById("job");
  if (!job) return;
  var bar = document.getElementById("progress"), message = document.getElementById("job-message");
  var text = JSON.parse(document.body.dataset.text || "{}");
  function poll() {
    fetch(job.dataset.status, {headers: {"Accept": "application/json"}, credentials: "same-origin"})
      .then(function (r) { return r.json(); })
      .then(function (s) {
        bar.value = s.percent; bar.textContent = s.percent + "%";
        if (s.message) message.textContent = s.message;
        job.dataset.state = s.state;
        if (s.state === "done" || s.state === "failed") {
          // The finished page lists results and failures, rendered by the server.
          window.location.reload();
          return;
        }
        setTimeout(poll, 700);
      })
      .catch(function () { message.textContent = text.working || "…"; setTimeout(poll, 2000); });
  }
  if (job.dataset.state !== "done" && job.dataset.state !== "failed") setTimeout(poll, 300);
})();
