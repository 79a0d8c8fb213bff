/* A run of background work still queued or running: ask for its status
   every two seconds. The words go in the page's status region (role="status",
   aria-live="polite") only when the outcome changes, so that a screen reader
   hears each change once; the progress bar and its note, outside the region,
   are brought up to date each time. Stops once the run has finished. Without
   JavaScript the page offers a "Look again" link. */
(function () {
  var region = document.getElementById("job-run");
  if (!region || !window.fetch) { return; }
  var url = region.getAttribute("data-poll");
  if (!url) { return; }
  var outcome = region.getAttribute("data-outcome");
  var words = document.getElementById("job-run-words");
  var progress = document.getElementById("job-run-progress");
  var bar = progress.querySelector("progress");
  var detail = document.getElementById("job-run-detail");
  var file = document.getElementById("job-run-file");

  function show(status) {
    if (status.outcome !== outcome) {
      outcome = status.outcome;
      words.textContent = status.words;
      words.classList.toggle("notification--error", outcome === "failed");
    }
    progress.hidden = status.outcome !== "running";
    bar.value = status.progress;
    bar.textContent = status.progress + "%";
    detail.textContent = status.detail;
    if (status.file) { file.hidden = false; }
  }

  function look() {
    fetch(url, { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (response) {
        if (!response.ok) { throw new Error(String(response.status)); }
        return response.json();
      })
      .then(function (status) {
        show(status);
        if (!status.finished) { setTimeout(look, 2000); }
      })
      .catch(function () { setTimeout(look, 5000); });
  }
  setTimeout(look, 1000);
})();
