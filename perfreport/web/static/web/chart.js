/* Hovering over a point of a chart shows its period and exact value (the
   table beside each chart has them all, for every reader). */
(function () {
  document.querySelectorAll("figure.chart").forEach(function (figure) {
    var decimals = Number(figure.dataset.decimals) || 0;
    var prefix = figure.dataset.prefix || "", suffix = figure.dataset.suffix || "";
    // Words in the page's language, from the template (there is no JavaScript catalogue).
    var special = figure.dataset.specialCause || "special cause";
    var valueSeries = figure.dataset.valueSeries || "Value";
    figure.querySelectorAll('[aria-roledescription="point"][aria-label]').forEach(function (point) {
      var parts = {};
      point.getAttribute("aria-label").split("; ").forEach(function (part) {
        var at = part.indexOf(": ");
        if (at > 0) { parts[part.slice(0, at)] = part.slice(at + 2); }
      });
      var amount = Number(parts.amount);
      if (!parts.period || parts.amount === undefined || isNaN(amount)) { return; }
      var number = Math.abs(amount).toLocaleString("en-GB", {minimumFractionDigits: decimals, maximumFractionDigits: decimals});
      var text = parts.period + ": " + (amount < 0 ? "-" : "") + prefix + number + suffix;
      if (parts.series && parts.series !== "Value" && parts.series !== valueSeries) { text += " (" + parts.series.toLowerCase() + ")"; }
      if (parts.signal) { text += " (" + special + ": " + parts.signal.toLowerCase() + ")"; }
      var title = document.createElementNS("http://www.w3.org/2000/svg", "title");
      title.textContent = text;
      point.appendChild(title);
    });
  });
})();
