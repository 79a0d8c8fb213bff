/* A report being made in the background: ask for its status every second
   and a half. The stage goes in the page's status region (role="status",
   aria-live="polite") only when it has changed, so that a screen reader
   hears each stage once; the bar and its numbers, outside the region, are
   brought up to date each time. Stops when the report is ready or has
   failed. Without JavaScript the page offers a "Look again" link. */
(function () {
  var region = document.getElementById("report-run");
  var progress = document.getElementById("report-run-progress");
  if (!region || !progress || !window.fetch) { return; }
  var bar = progress.querySelector("progress");
  var detail = progress.querySelector(".report-run__detail");
  var url = region.getAttribute("data-poll");
  var stage = region.getAttribute("data-stage");

  function show(status) {
    if (status.stage_key !== stage) {
      stage = status.stage_key;
      region.innerHTML = status.html;
    }
    progress.hidden = status.outcome !== "running";
    bar.value = status.progress;
    bar.textContent = status.progress + "%";
    detail.textContent = status.detail;
  }

  function look() {
    fetch(url, { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (response) {
        if (!response.ok) { throw new Error(String(response.status)); }
        return response.json();
      })
      .then(function (status) {
        show(status);
        if (!status.finished) { setTimeout(look, 1500); }
      })
      .catch(function () { setTimeout(look, 5000); });
  }
  setTimeout(look, 1000);
})();
