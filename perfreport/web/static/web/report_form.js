/* The report form while a report is made: the button is disabled and a live
   message says "Making the report…" (a big report takes a while) until the
   file arrives, then the message says so. The form is still sent the
   ordinary way (an error comes back as the page, as without JavaScript); it
   carries a token the answer sets as a cookie (report_ready) with the file,
   which is how this page learns that the download has started. */
(function () {
  var form = document.querySelector("form.report-form");
  if (!form) { return; }
  var button = form.querySelector("button[type=submit]");
  var status = form.querySelector(".busy");
  var token = document.createElement("input");
  token.type = "hidden";
  token.name = "download_token";
  form.appendChild(token);
  var timer = null;

  function say(text) {
    status.hidden = !text;
    status.textContent = text;
  }

  function ready() {
    button.disabled = false;
    button.removeAttribute("aria-disabled");
    if (timer) { clearInterval(timer); timer = null; }
  }

  form.addEventListener("submit", function () {
    var value = Date.now().toString(36) + Math.random().toString(36).slice(2, 10);
    token.value = value;
    say("Making the report…");
    // The form is sent all the same: the button has no name or value to send.
    button.disabled = true;
    button.setAttribute("aria-disabled", "true");
    if (timer) { clearInterval(timer); }
    timer = setInterval(function () {
      if (document.cookie.split("; ").indexOf("report_ready=" + value) >= 0) {
        document.cookie = "report_ready=; Max-Age=0; path=/; SameSite=Lax";
        say("The report is ready: it is saved in your downloads.");
        ready();
      }
    }, 300);
  });

  // Back to this page from the browser's history: the form as new.
  window.addEventListener("pageshow", function () { say(""); ready(); });
})();
