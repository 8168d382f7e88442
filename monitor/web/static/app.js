// Pantau: keyboard shortcuts and small conveniences. No dependencies, no inline handlers.
(function () {
  "use strict";

  function typing(event) {
    var el = event.target;
    var tag = el && el.tagName;
    return tag === "INPUT" || tag === "TEXTAREA" || tag === "SELECT" || (el && el.isContentEditable);
  }

  function rows() {
    return Array.prototype.slice.call(document.querySelectorAll("[data-row]"));
  }

  var current = -1;

  function focusRow(index) {
    var list = rows();
    if (!list.length) { return; }
    current = Math.max(0, Math.min(index, list.length - 1));
    list.forEach(function (row, i) { row.classList.toggle("current", i === current); });
    var link = list[current].querySelector("[data-open]");
    if (link) { link.focus({ preventScroll: true }); }
    list[current].scrollIntoView({ block: "nearest" });
  }

  function currentRow() {
    var list = rows();
    return current >= 0 ? list[current] : null;
  }

  function selectedCount() {
    var counter = document.querySelector("[data-selected-count]");
    if (!counter) { return; }
    var n = document.querySelectorAll("[data-select]:checked").length;
    counter.textContent = n ? String(n) + " \u2713" : "";
  }

  function click(selector) {
    var el = document.querySelector(selector);
    if (el) { el.click(); return true; }
    return false;
  }

  function focusField(selector) {
    var el = document.querySelector(selector);
    if (el) { el.focus(); el.scrollIntoView({ block: "center" }); return true; }
    return false;
  }

  function queueKeys(event) {
    var row;
    switch (event.key) {
      case "j": focusRow(current + 1); return true;
      case "k": focusRow(current - 1); return true;
      case "o":
      case "Enter":
        row = currentRow();
        if (row) { window.location.assign(row.getAttribute("data-href")); return true; }
        return false;
      case "x":
        row = currentRow();
        if (row) {
          var box = row.querySelector("[data-select]");
          box.checked = !box.checked;
          selectedCount();
          return true;
        }
        return false;
      case "a":
        row = currentRow();
        if (row && !document.querySelector("[data-select]:checked")) {
          row.querySelector("[data-select]").checked = true;
        }
        var action = document.querySelector("[data-shortcut=bulk-action]");
        if (action) { action.value = "assign"; action.form.requestSubmit(); return true; }
        return false;
      case "[": return click("[data-shortcut=prev-page]");
      case "]": return click("[data-shortcut=next-page]");
      default: return false;
    }
  }

  function caseKeys(event) {
    switch (event.key) {
      case "a": return click("[data-shortcut=assign]");
      case "l": return focusField("[data-shortcut=label]");
      case "d": return focusField("[data-shortcut=draft]");
      case "p": return click("[data-shortcut=approve]");
      case "u": return click("[data-shortcut=back]");
      default: return false;
    }
  }

  document.addEventListener("keydown", function (event) {
    if (event.ctrlKey || event.metaKey || event.altKey || typing(event)) { return; }
    var page = document.body.getAttribute("data-page");
    var handled = false;
    if (event.key === "/") {
      handled = focusField("[data-shortcut=search]");
    } else if (event.key === "?") {
      var help = document.getElementById("shortcuts");
      if (help) { help.open = !help.open; handled = true; }
    } else if (page === "queue") {
      handled = queueKeys(event);
    } else if (page === "case") {
      handled = caseKeys(event);
    }
    if (handled) { event.preventDefault(); }
  });

  document.addEventListener("change", function (event) {
    var target = event.target;
    if (target.matches && target.matches("[data-select-all]")) {
      document.querySelectorAll("[data-select]").forEach(function (box) { box.checked = target.checked; });
    }
    selectedCount();
  });

  // Destructive buttons ask first.
  document.addEventListener("submit", function (event) {
    var danger = event.submitter && event.submitter.classList.contains("danger");
    var message = document.documentElement.lang === "en" ? "Are you sure?" : "Yakin?";
    if (danger && !window.confirm(message)) { event.preventDefault(); }
  });
})();
