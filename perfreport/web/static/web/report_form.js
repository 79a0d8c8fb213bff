/* The report form while a report is made: the button is disabled and a live
   message says "Making the report…" (a big report takes a while), then the
   file is saved and the message says so. Without JavaScript the form is an
   ordinary GET form and the browser downloads the file as usual; a form
   with an error is sent again the ordinary way, so its page shows the error. */
(function () {
  var form = document.querySelector("form.report-form");
  if (!form || !window.fetch || !window.URL || !URL.createObjectURL) { return; }
  var button = form.querySelector("button[type=submit]");
  var status = form.querySelector(".busy");
  var plain = false;

  function say(text) {
    status.hidden = !text;
    status.textContent = text;
  }

  function done() {
    button.disabled = false;
    button.removeAttribute("aria-disabled");
  }

  function fileName(response) {
    var header = response.headers.get("Content-Disposition") || "";
    var match = /filename\*=UTF-8''([^;]+)/i.exec(header) || /filename="?([^";]+)"?/i.exec(header);
    return match ? decodeURIComponent(match[1]) : "report";
  }

  form.addEventListener("submit", function (event) {
    if (plain) { return; }
    event.preventDefault();
    var url = form.action + "?" + new URLSearchParams(new FormData(form)).toString();
    button.disabled = true;
    button.setAttribute("aria-disabled", "true");
    say("Making the report…");
    fetch(url, {credentials: "same-origin"}).then(function (response) {
      var disposition = response.headers.get("Content-Disposition") || "";
      if (!response.ok || disposition.indexOf("attachment") !== 0) {
        plain = true;  // the page with the error, the ordinary way
        say("");
        done();
        form.submit();
        return null;
      }
      return response.blob().then(function (blob) {
        var link = document.createElement("a");
        link.href = URL.createObjectURL(blob);
        link.download = fileName(response);
        document.body.appendChild(link);
        link.click();
        link.remove();
        setTimeout(function () { URL.revokeObjectURL(link.href); }, 60000);
        say("The report is ready: " + link.download + " is saved in your downloads.");
        done();
      });
    }).catch(function () {
      say("The report could not be made just now. Try again.");
      done();
    });
  });
})();
