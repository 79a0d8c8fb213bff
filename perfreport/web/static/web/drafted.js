/* "Use the drafted commentary" on an entry's page: the draft for the value
   as now typed is asked of the preview endpoint and put in the Commentary
   field, after anything already written (nothing typed is lost), and the
   field is focused for editing. Without JavaScript, or if the request
   fails, the button sends the form and the page comes back with the draft
   in the field, nothing saved. */
(function () {
  "use strict";
  var form = document.querySelector("form[data-preview-url]");
  var button = form && form.querySelector("[data-use-draft]");
  var field = document.getElementById("id_commentary");
  var shown = document.querySelector("[data-drafted-text]");
  var value = document.getElementById("id_value");
  if (!form || !button || !field || !window.fetch) { return; }

  function use(draft) {
    var kept = field.value.trim();
    if (draft && kept.indexOf(draft) === -1) {
      field.value = kept ? kept + "\n\n" + draft : draft;
    }
    if (shown && draft) { shown.textContent = draft; shown.hidden = false; }
    field.focus();
  }

  button.addEventListener("click", function (event) {
    event.preventDefault();
    var url = form.getAttribute("data-preview-url") + "?draft=1&value=" +
      encodeURIComponent(value ? value.value : "");
    ["numerator", "denominator"].forEach(function (name) {
      var count = document.getElementById("id_" + name);
      if (count && count.value) { url += "&" + name + "=" + encodeURIComponent(count.value); }
    });
    fetch(url, {headers: {"Accept": "application/json"}, credentials: "same-origin"})
      .then(function (response) {
        if (!response.ok) { throw new Error("preview answered " + response.status); }
        return response.json();
      })
      .then(function (answer) {
        if (answer.drafted) { use(answer.drafted); }
        else if (shown) {
          shown.textContent = (answer.errors && answer.errors.value) ||
            shown.getAttribute("data-no-value");
          shown.hidden = false;
        }
      })
      .catch(function () {
        /* Signed out, or the server is away: send the form instead. */
        var send = document.createElement("input");
        send.type = "hidden"; send.name = "action"; send.value = "draft";
        form.appendChild(send);
        form.submit();
      });
  });
})();
