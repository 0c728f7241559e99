// Pipekit pages: small progressive enhancements. Every page works without this file.
(function () {
  "use strict";
  var root = document.documentElement;

  // Theme: follows the system unless the toggle chose one (kept in localStorage).
  var saved = localStorage.getItem("pipekit-theme");
  if (saved) root.setAttribute("data-theme", saved);
  function toggleTheme() {
    var dark = root.getAttribute("data-theme") === "dark" ||
      (!root.getAttribute("data-theme") && matchMedia("(prefers-color-scheme: dark)").matches);
    var next = dark ? "light" : "dark";
    root.setAttribute("data-theme", next);
    localStorage.setItem("pipekit-theme", next);
  }

  // Relative times refresh every 30 s; the absolute time stays in the title.
  function relative(iso) {
    var d = (Date.now() - Date.parse(iso)) / 1000, future = d < 0, a = Math.abs(d), t;
    if (!future && a < 5) return "just now";
    if (a < 45) t = Math.floor(a) + " s";
    else if (a < 3600) t = Math.round(a / 60) + " m";
    else if (a < 36 * 3600) t = Math.round(a / 3600) + " h";
    else t = Math.round(a / 86400) + " d";
    return future ? "in " + t : t + " ago";
  }
  function refreshTimes(scope) {
    (scope || document).querySelectorAll("time[data-rel]").forEach(function (el) { el.textContent = relative(el.getAttribute("datetime")); });
  }
  setInterval(refreshTimes, 30000);

  // Copy buttons and "show all" on long panels.
  document.addEventListener("click", function (e) {
    var copy = e.target.closest("[data-copy]");
    if (copy) {
      e.preventDefault();
      var src = document.getElementById(copy.getAttribute("data-copy"));
      if (src && navigator.clipboard) navigator.clipboard.writeText(src.innerText).then(function () {
        var was = copy.textContent; copy.textContent = "Copied"; setTimeout(function () { copy.textContent = was; }, 1200);
      });
      return;
    }
    var more = e.target.closest("[data-expand]");
    if (more) {
      e.preventDefault();
      var box = more.closest(".clamp");
      box.classList.toggle("expanded");
      more.textContent = box.classList.contains("expanded") ? "Show less" : "Show all";
      return;
    }
    if (e.target.closest("[data-theme-toggle]")) { e.preventDefault(); toggleTheme(); return; }
    var confirmer = e.target.closest("[data-confirm]");
    if (confirmer && !confirm(confirmer.getAttribute("data-confirm"))) { e.preventDefault(); e.stopImmediatePropagation(); }
  }, true);

  // Wizard step 2: "Edit…" opens one <dialog> with the row's alias, expression, type and in/out; Apply writes them back.
  var editedRow = null;
  function columnField(row, name) { return row.querySelector("[name=" + name + "]"); }
  function setUpColumnDialog() {
    var dialog = document.getElementById("column-dialog");
    if (!dialog || !dialog.showModal) return;
    document.querySelectorAll("[data-edit-column]").forEach(function (b) { b.hidden = false; });
    dialog.addEventListener("close", function () {
      if (dialog.returnValue !== "apply" || !editedRow) return;
      columnField(editedRow, "col_alias").value = document.getElementById("dlg-alias").value.trim();
      columnField(editedRow, "col_expr").value = document.getElementById("dlg-expr").value.trim();
      columnField(editedRow, "col_type").value = document.getElementById("dlg-type").value.trim();
      columnField(editedRow, "col_in").checked = document.getElementById("dlg-in").checked;
      editedRow.querySelector("[data-edit-column]").focus();
      editedRow = null;
    });
  }
  document.addEventListener("click", function (e) {
    var edit = e.target.closest("[data-edit-column]");
    var dialog = document.getElementById("column-dialog");
    if (!edit || !dialog) return;
    editedRow = edit.closest("tr");
    dialog.querySelector("[data-column-name]").textContent = edit.getAttribute("data-edit-column");
    dialog.querySelector("[data-column-type]").textContent = columnField(editedRow, "col_source_type").value;
    document.getElementById("dlg-alias").value = columnField(editedRow, "col_alias").value;
    document.getElementById("dlg-expr").value = columnField(editedRow, "col_expr").value;
    document.getElementById("dlg-type").value = columnField(editedRow, "col_type").value;
    document.getElementById("dlg-in").checked = columnField(editedRow, "col_in").checked;
    dialog.returnValue = "";
    dialog.showModal();
    document.getElementById("dlg-alias").focus();
  });

  // Live logs follow the tail while the reader is at the bottom (GitHub Actions' habit).
  var following = new WeakMap();
  document.addEventListener("scroll", function (e) {
    var el = e.target;
    if (el.classList && el.classList.contains("log")) following.set(el, el.scrollHeight - el.scrollTop - el.clientHeight < 24);
  }, true);
  function follow(scope) {
    (scope || document).querySelectorAll("ol.log[data-follow]").forEach(function (el) {
      if (following.get(el) !== false) el.scrollTop = el.scrollHeight;
    });
  }
  document.addEventListener("htmx:beforeSwap", function (e) {
    var old = e.detail.target && e.detail.target.querySelector && e.detail.target.querySelector("ol.log[data-follow]");
    if (old) following.set(document, following.get(old) !== false && old.scrollHeight - old.scrollTop - old.clientHeight < 24);
  });
  document.addEventListener("htmx:afterSwap", function (e) {
    refreshTimes(e.detail.target);
    var el = e.detail.target.querySelector && e.detail.target.querySelector("ol.log[data-follow]");
    if (el) { if (following.get(document) !== false) el.scrollTop = el.scrollHeight; }
    checkPlaceholders();
  });

  // Antiforgery for htmx requests that are not a form post (the token sits in a meta tag).
  document.addEventListener("htmx:configRequest", function (e) {
    var meta = document.querySelector('meta[name="csrf-token"]');
    if (meta) e.detail.headers["X-CSRF-Token"] = meta.getAttribute("content");
  });

  // Placeholders in the source query vs. watermark names, as you type (the server checks again on save).
  function checkPlaceholders() {
    document.querySelectorAll("[data-placeholder-check]").forEach(function (form) {
      var query = form.querySelector("[data-source-query]");
      var out = form.querySelector("[data-placeholder-warning]");
      if (!query || !out) return;
      var used = {}, m, re = /\{([A-Za-z_][A-Za-z0-9_]*)\}/g;
      while ((m = re.exec(query.value)) !== null) used[m[1]] = true;
      var names = {};
      form.querySelectorAll("[data-watermark-name]").forEach(function (i) {
        var row = i.closest("tr");
        var removed = row && row.querySelector("[data-watermark-remove]:checked");
        if (i.value.trim() && !removed) names[i.value.trim()] = true;
      });
      var missing = Object.keys(used).filter(function (n) { return !names[n]; });
      var unused = Object.keys(names).filter(function (n) { return !used[n]; });
      var parts = [];
      if (missing.length) parts.push("The query uses {" + missing.join("}, {") + "} but no watermark has that name.");
      if (unused.length) parts.push("Watermark " + unused.join(", ") + " is not used in the query (add {" + unused[0] + "} to it or remove the watermark).");
      out.textContent = parts.join(" ");
      out.hidden = parts.length === 0;
    });
  }
  document.addEventListener("input", function (e) { if (e.target.closest("[data-placeholder-check]")) checkPlaceholders(); });
  document.addEventListener("change", function (e) { if (e.target.closest("[data-placeholder-check]")) checkPlaceholders(); });

  // Add a watermark / hook row from a <template>.
  document.addEventListener("click", function (e) {
    var add = e.target.closest("[data-add-row]");
    if (!add) return;
    e.preventDefault();
    var tpl = document.getElementById(add.getAttribute("data-add-row"));
    var body = document.getElementById(add.getAttribute("data-into"));
    body.querySelectorAll("tr.placeholder").forEach(function (r) { r.remove(); });
    body.appendChild(tpl.content.cloneNode(true));
    var first = body.lastElementChild.querySelector("input,textarea,select");
    if (first) first.focus();
    checkPlaceholders();
  });

  // The SQL console: Ctrl+Enter (Cmd+Enter) in the editor runs the query.
  document.addEventListener("keydown", function (e) {
    if (e.key !== "Enter" || !(e.ctrlKey || e.metaKey) || !e.target.closest("[data-console-sql]")) return;
    var run = document.getElementById("run-button");
    if (run) { e.preventDefault(); run.click(); }
  });

  // Keyboard: / search, n new module, r run (module page), g d dashboard, g r runs, ? help.
  var pendingG = 0;
  document.addEventListener("keydown", function (e) {
    if (e.ctrlKey || e.metaKey || e.altKey) return;
    var t = e.target;
    if (t.closest("input, textarea, select, [contenteditable]")) { if (e.key === "Escape") t.blur(); return; }
    var k = e.key;
    if (pendingG && Date.now() - pendingG < 1000) {
      pendingG = 0;
      var go = { d: "/", m: "/modules", r: "/runs", g: "/groups", c: "/connections", p: "/pipelines", h: "/chains", q: "/query", s: "/settings" }[k];
      if (go) { e.preventDefault(); location.href = go; }
      return;
    }
    if (k === "g") { pendingG = Date.now(); return; }
    if (k === "/") { var s = document.querySelector("[data-search]"); if (s) { e.preventDefault(); s.focus(); s.select(); } return; }
    if (k === "n") { e.preventDefault(); location.href = "/wizard"; return; }
    if (k === "r") { var run = document.querySelector("[data-shortcut-run]"); if (run) { e.preventDefault(); run.click(); } return; }
    if (k === "?") { var h = document.getElementById("shortcuts"); if (h) { e.preventDefault(); h.open ? h.close() : h.showModal(); } return; }
  });

  // Cron rows: the next three fire times as you type, computed by the server with the scheduler's own parser.
  var cronTimer = null;
  document.addEventListener("input", function (e) {
    var input = e.target.closest("[data-cron]");
    if (!input) return;
    var row = input.closest("tr");
    clearTimeout(cronTimer);
    cronTimer = setTimeout(function () {
      var cron = row.querySelector('[name="schedule_cron"]').value;
      var tz = row.querySelector('[name="schedule_timezone"]').value;
      fetch("/groups?handler=NextFires&cron=" + encodeURIComponent(cron) + "&timezone=" + encodeURIComponent(tz), { credentials: "same-origin" })
        .then(function (r) { return r.text(); })
        .then(function (html) { row.querySelector(".fires-slot").innerHTML = html; });
    }, 200);
  });

  // Client-side filter of the dashboard (the server filters too when the form is submitted without JavaScript).
  document.addEventListener("input", function (e) {
    var s = e.target.closest("[data-search]");
    if (!s || !s.hasAttribute("data-filter")) return;
    var q = s.value.trim().toLowerCase();
    document.querySelectorAll(s.getAttribute("data-filter")).forEach(function (row) {
      row.hidden = q !== "" && row.getAttribute("data-name").indexOf(q) < 0;
    });
    document.querySelectorAll("tbody[data-section]").forEach(function (tb) {
      var any = tb.querySelector("tr[data-name]:not([hidden])");
      tb.hidden = q !== "" && !any;
    });
  });

  document.addEventListener("DOMContentLoaded", function () { refreshTimes(); follow(); checkPlaceholders(); setUpColumnDialog(); });
})();
