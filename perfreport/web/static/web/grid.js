/* The grid of an owner's due figures: each row's RAG rating worked out as
   its value is typed (the entry page's preview, web/entry.js, asked of the
   same address), said in the row's live region; a value that cannot be read
   is said beside its field. Without JavaScript the grid works the same:
   saving rates and checks every row again. */
(function () {
  "use strict";
  if (!window.fetch) { return; }

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) { node.className = className; }
    if (text) { node.textContent = text; }
    return node;
  }

  /* Add or take away one id from a field's aria-describedby. */
  function describe(field, id, on) {
    var ids = (field.getAttribute("aria-describedby") || "").split(/\s+/).filter(function (x) {
      return x && x !== id;
    });
    if (on) { ids.push(id); }
    if (ids.length) { field.setAttribute("aria-describedby", ids.join(" ")); }
    else { field.removeAttribute("aria-describedby"); }
  }

  function watch(row) {
    var input = row.querySelector("[data-grid-value]");
    var region = row.querySelector("[data-grid-rating]");
    var error = row.querySelector("[data-grid-error]");
    var notes = row.querySelector("details.grid-notes");
    if (!input || !region) { return; }
    var url = input.getAttribute("data-preview-url");
    var timer = null, pending = null, asked = input.value;

    function showError(message) {
      if (!error) { return; }
      error.querySelector("[data-error-text]").textContent = message || "";
      error.hidden = !message;
      input.parentNode.classList.toggle("form-group--error", !!message);
      input.classList.toggle("input--error", !!message);
      if (message) { input.setAttribute("aria-invalid", "true"); }
      else { input.removeAttribute("aria-invalid"); }
      describe(input, error.id, !!message);
    }

    /* The same markup as the page's own (web/grid_rating.html). */
    function render(answer) {
      var parts = [];
      if (answer.rating) {
        var tag = el("strong", "tag rag-" + answer.rating);
        var symbol = el("span", null, answer.symbol + " ");
        symbol.setAttribute("aria-hidden", "true");
        tag.append(symbol, answer.rating_label);
        parts.push(tag);
      } else if (answer.value) {
        parts.push(el("strong", "tag rag-none", answer.rating_label));
      }
      parts.push(el("p", "grid-table__explanation", answer.explanation));
      if (answer.actions_required) {
        var warning = el("p", "grid-table__warning");
        /* The page's words, in its language (templates/web/grid.html). */
        var table = row.closest("[data-red-warning]");
        var said = table ? table.getAttribute("data-red-warning") : "";
        warning.append(el("strong", null, said || "Actions are required to submit a Red rating."));
        parts.push(warning);
      }
      region.replaceChildren.apply(region, parts);
      /* A Red rating needs actions: open the row's commentary and actions. */
      if (answer.actions_required && notes) { notes.open = true; }
      showError(answer.errors && answer.errors.value);
    }

    function ask() {
      var value = input.value;
      if (value === asked) { return; }
      asked = value;
      if (pending) { pending.abort(); }
      pending = window.AbortController ? new AbortController() : null;
      fetch(url + "?value=" + encodeURIComponent(value), {
        headers: {"Accept": "application/json"},
        credentials: "same-origin",
        signal: pending ? pending.signal : undefined
      }).then(function (response) {
        if (!response.ok) { throw new Error("preview answered " + response.status); }
        return response.json();
      }).then(render).catch(function (problem) {
        if (problem.name === "AbortError") { return; }
        asked = null;  /* signed out or the server away: saving still checks it */
      });
    }

    input.addEventListener("input", function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(ask, 350);
    });
    input.addEventListener("change", ask);
  }

  Array.prototype.forEach.call(document.querySelectorAll("[data-grid-row]"), watch);
})();
