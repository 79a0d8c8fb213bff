/* An entry's form as its owner types: the RAG rating and change of the value
   in the live region (announced to screen readers), a value that cannot be
   read said beside the field, and the hint that a Red rating needs actions.
   Without JavaScript the form works just the same: "Check the rating" sends
   it to be rated, and saving checks everything again. */
(function () {
  "use strict";
  var form = document.querySelector("form[data-preview-url]");
  var input = form && form.querySelector("#id_value");
  var region = document.getElementById("entry-preview");
  if (!form || !input || !region || !window.fetch) { return; }

  var url = form.getAttribute("data-preview-url");
  var period = form.getAttribute("data-period") || "";
  /* The page's words, in its language (templates/web/work_entry.html). */
  function words(name, fallback) { return form.getAttribute("data-" + name) || fallback; }
  function filled(text, values) {
    return text.replace(/\{(\w+)\}/g, function (all, key) { return key in values ? values[key] : all; });
  }
  var group = document.getElementById("value-group");
  var error = document.getElementById("value-error");
  var redHint = document.getElementById("actions-red-hint");
  var actions = document.getElementById("id_actions");
  var check = form.querySelector("[data-check-button]");
  var ARROWS = {improving: "▲", declining: "▼", unchanged: "▶"};
  /* The numerator and denominator too: with both and no value, the value
     is worked out from them, and a value that disagrees is said at once. */
  var counts = [form.querySelector("#id_numerator"), form.querySelector("#id_denominator")]
    .filter(function (field) { return field; });
  function query() {
    var parts = ["value=" + encodeURIComponent(input.value)];
    counts.forEach(function (field) {
      if (field.value) { parts.push(field.name + "=" + encodeURIComponent(field.value)); }
    });
    return parts.join("&");
  }
  var timer = null, pending = null, asked = query();

  if (check) { check.hidden = true; }

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) { node.className = className; }
    if (text) { node.textContent = text; }
    return node;
  }

  function hidden(text) {
    var node = el("span", null, text);
    node.setAttribute("aria-hidden", "true");
    return node;
  }

  /* Add or take away one id from a field's aria-describedby. */
  function describe(field, id, on) {
    if (!field) { return; }
    var ids = (field.getAttribute("aria-describedby") || "").split(/\s+/).filter(function (x) {
      return x && x !== id;
    });
    if (on) { ids.push(id); }
    if (ids.length) { field.setAttribute("aria-describedby", ids.join(" ")); }
    else { field.removeAttribute("aria-describedby"); }
  }

  function showError(message) {
    if (!error) { return; }
    error.querySelector("[data-error-text]").textContent = message || "";
    error.hidden = !message;
    if (group) { group.classList.toggle("form-group--error", !!message); }
    input.classList.toggle("input--error", !!message);
    if (message) { input.setAttribute("aria-invalid", "true"); }
    else { input.removeAttribute("aria-invalid"); }
    describe(input, "value-error", !!message);
  }

  /* The same markup as the page's own (includes/work_preview.html). */
  function render(answer) {
    var parts = [];
    var rating = el("p", "preview__rating");
    if (answer.rating) {
      var tag = el("strong", "tag rag-" + answer.rating);
      tag.append(hidden(answer.symbol + " "), answer.rating_label);
      rating.append(tag);
    } else if (answer.value) {
      rating.append(el("strong", "tag rag-none", answer.rating_label));
    }
    if (answer.value) {
      var said = answer.target
        ? words("value-target-text", "{value} for {period}, against a target of {target}")
        : words("value-text", "{value} for {period}");
      rating.append(" ", el("span", null, filled(said, {value: answer.value, period: period, target: answer.target})));
    }
    parts.push(rating, el("p", "preview__explanation", answer.explanation));
    if (answer.change_text) {
      var change = el("p", "preview__change");
      if (answer.change) { change.append(hidden(ARROWS[answer.change] + " ")); }
      change.append(answer.change_text);
      parts.push(change);
    }
    if (answer.actions_required) {
      var warning = el("p", "preview__warning");
      warning.append(el("strong", null, words("red-warning", "Actions are required to submit a Red rating.")));
      parts.push(warning);
    }
    region.replaceChildren.apply(region, parts);
    showError(answer.errors && answer.errors.value);
    if (redHint) {
      redHint.hidden = !answer.actions_required;
      describe(actions, "actions-red-hint", answer.actions_required);
    }
  }

  function ask() {
    var value = query();
    if (value === asked) { return; }
    asked = value;
    if (pending) { pending.abort(); }
    pending = window.AbortController ? new AbortController() : null;
    fetch(url + "?" + value, {
      headers: {"Accept": "application/json"},
      credentials: "same-origin",
      signal: pending ? pending.signal : undefined
    }).then(function (response) {
      if (!response.ok) { throw new Error("preview answered " + response.status); }
      return response.json();
    }).then(render).catch(function (problem) {
      if (problem.name === "AbortError") { return; }
      /* Signed out, or the server is away: the button still works. */
      asked = null;
      if (check) { check.hidden = false; }
    });
  }

  input.addEventListener("input", function () {
    window.clearTimeout(timer);
    timer = window.setTimeout(ask, 350);
  });
  input.addEventListener("change", ask);
  counts.forEach(function (field) {
    field.addEventListener("input", function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(ask, 350);
    });
    field.addEventListener("change", ask);
  });
})();
