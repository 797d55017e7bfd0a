// The staff's edit forms (fiche, collectivity), loaded on every page for signed-in users:
// search-as-you-type for partners, rows added in the browser, a warning before leaving unsaved
// changes, and a local draft of the form offered again when the page is reopened. Without
// JavaScript the forms work the same: every collectivity is in its <select>, and "Ajouter une
// ligne" sends the form back with one more blank row.
(function () {
  "use strict";
  var DRAFT_PREFIX = "repertoire-draft:";

  function storage() {
    try { return window.localStorage; } catch (e) { return null; }
  }

  function draftKeys(key) {
    // Every stored draft of the form ``key`` ("fiche:12"), whatever the version.
    var store = storage();
    var keys = [];
    if (!store) { return keys; }
    for (var i = 0; i < store.length; i++) {
      var name = store.key(i);
      if (name && name.indexOf(DRAFT_PREFIX + key + ":v") === 0) { keys.push(name); }
    }
    return keys;
  }

  // After a save the confirmation message names the form whose drafts are now obsolete.
  Array.prototype.forEach.call(document.querySelectorAll("[data-clear-draft]"), function (el) {
    var store = storage();
    draftKeys(el.getAttribute("data-clear-draft")).forEach(function (name) {
      store.removeItem(name);
    });
  });

  var form = document.querySelector("form.edit-form");
  if (!form) { return; }

  // --- search-as-you-type for the partner fields -------------------------------------------
  var searchUrl = form.getAttribute("data-search-url");
  var searchCount = 0;
  function enhanceSelect(select) {
    var list = document.createElement("datalist");
    list.id = "collectivity-suggestions-" + (searchCount++);
    var input = document.createElement("input");
    input.type = "search";
    input.className = "collectivity-search";
    input.setAttribute("list", list.id);
    input.setAttribute("aria-label", form.getAttribute("data-search-label") || "");
    input.placeholder = form.getAttribute("data-search-placeholder") || "";
    select.parentNode.insertBefore(input, select);
    select.parentNode.insertBefore(list, select);
    var byLabel = {};
    var timer = null;
    input.addEventListener("input", function () {
      var value = input.value.trim();
      if (byLabel[value]) {
        select.value = String(byLabel[value]);
        select.dispatchEvent(new Event("change", { bubbles: true }));
        return;
      }
      window.clearTimeout(timer);
      if (value.length < 2) { return; }
      timer = window.setTimeout(function () {
        var url = searchUrl + "?country=" + encodeURIComponent(select.getAttribute("data-country")) +
          "&q=" + encodeURIComponent(value);
        fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
          .then(function (response) { return response.ok ? response.json() : { results: [] }; })
          .then(function (data) {
            list.textContent = "";
            data.results.forEach(function (row) {
              var label = row.place ? row.name + " (" + row.place + ")" : row.name;
              byLabel[label] = row.id;
              var option = document.createElement("option");
              option.value = label;
              list.appendChild(option);
            });
          })
          .catch(function () { /* the <select> still works */ });
      }, 200);
    });
  }
  if (searchUrl) {
    Array.prototype.forEach.call(form.querySelectorAll("select.collectivity-select"), enhanceSelect);
  }

  // --- rows added in the browser -------------------------------------------------------------
  function addRow(prefix) {
    var template = document.getElementById(prefix + "-empty-row");
    var total = form.querySelector("input[name='" + prefix + "-TOTAL_FORMS']");
    var rows = document.getElementById(prefix + "-rows");
    if (!template || !total || !rows) { return null; }
    var index = parseInt(total.value, 10);
    var holder = document.createElement("div");
    holder.innerHTML = template.innerHTML.replace(/__prefix__/g, String(index));
    var row = holder.firstElementChild;
    rows.appendChild(row);
    total.value = String(index + 1);
    if (searchUrl) {
      Array.prototype.forEach.call(row.querySelectorAll("select.collectivity-select"), enhanceSelect);
    }
    return row;
  }
  Array.prototype.forEach.call(form.querySelectorAll("button.add-row"), function (button) {
    // A plain button now: Enter in a text field still saves, and nothing is sent to add a row.
    button.type = "button";
    button.removeAttribute("name");
    button.addEventListener("click", function () {
      var row = addRow(button.getAttribute("data-prefix"));
      if (row) {
        var first = row.querySelector(".row-fields input:not([type=hidden]), .row-fields select, .row-fields textarea");
        if (first) { first.focus(); }
        changed();
      }
    });
  });

  // --- unsaved changes: warning, status, local draft -----------------------------------------
  var key = form.getAttribute("data-draft-key");
  var version = form.getAttribute("data-draft-version") || "0";
  var storeKey = DRAFT_PREFIX + key + ":v" + version;
  var offer = document.querySelector(".draft-offer");
  var status = form.querySelector(".dirty-status");
  var submitting = false;
  var offerPending = false;

  function entries() {
    var out = [];
    new FormData(form).forEach(function (value, name) {
      if (name !== "csrfmiddlewaretoken" && typeof value === "string") { out.push([name, value]); }
    });
    return out;
  }
  var initial = JSON.stringify(entries());
  // A page sent back by the server (errors, conflict, added row) holds input not saved yet.
  var unsavedFromServer = form.hasAttribute("data-unsaved");

  function isDirty() {
    return unsavedFromServer || JSON.stringify(entries()) !== initial;
  }

  function saveDraft() {
    var store = storage();
    if (!store || !key || offerPending) { return; }
    try {
      if (isDirty()) {
        store.setItem(storeKey, JSON.stringify({
          saved: new Date().toISOString(), version: version, fields: entries()
        }));
      } else {
        store.removeItem(storeKey);
      }
    } catch (e) { /* storage full or refused: the warning before leaving still protects */ }
  }

  var timer = null;
  function changed() {
    window.clearTimeout(timer);
    timer = window.setTimeout(function () {
      if (status) { status.textContent = isDirty() ? status.getAttribute("data-dirty-text") : ""; }
      saveDraft();
    }, 300);
  }
  form.addEventListener("input", changed);
  form.addEventListener("change", changed);
  form.addEventListener("submit", function () { submitting = true; });
  window.addEventListener("beforeunload", function (event) {
    if (submitting || !isDirty()) { return undefined; }
    event.preventDefault();
    event.returnValue = "";
    return "";
  });
  if (unsavedFromServer) { changed(); }

  function restore(fields) {
    var values = {};
    fields.forEach(function (pair) { (values[pair[0]] = values[pair[0]] || []).push(pair[1]); });
    // Rows the draft added in the browser first, so that their fields exist.
    Object.keys(values).forEach(function (name) {
      var match = /^(.+)-TOTAL_FORMS$/.exec(name);
      var total = match && form.querySelector("input[name='" + name + "']");
      while (total && parseInt(total.value, 10) < parseInt(values[name][0], 10)) {
        if (!addRow(match[1])) { break; }
      }
    });
    Array.prototype.forEach.call(form.elements, function (el) {
      if (!el.name || el.name === "csrfmiddlewaretoken" || el.type === "submit" ||
          el.type === "button" || !(el.name in values) && el.type !== "checkbox") { return; }
      var wanted = values[el.name] || [];
      if (el.type === "checkbox" || el.type === "radio") {
        el.checked = wanted.indexOf(el.value) !== -1;
      } else if (el.type === "select-multiple") {
        Array.prototype.forEach.call(el.options, function (option) {
          option.selected = wanted.indexOf(option.value) !== -1;
        });
      } else {
        el.value = wanted[0];
      }
    });
  }

  function offerDraft() {
    var store = storage();
    if (!store || !key || !offer || unsavedFromServer) { return; }
    var found = null;
    var foundKey = null;
    draftKeys(key).forEach(function (name) {
      var draft;
      try { draft = JSON.parse(store.getItem(name)); } catch (e) { return; }
      if (!draft || !draft.fields) { return; }
      // This version's draft first, else the latest one of an older version.
      if (!found || name === storeKey || (foundKey !== storeKey && draft.saved > found.saved)) {
        found = draft;
        foundKey = name;
      }
    });
    if (!found || JSON.stringify(found.fields) === initial) { return; }
    offerPending = true;
    var date = offer.querySelector(".draft-date");
    if (date) {
      date.textContent = new Date(found.saved).toLocaleString(document.documentElement.lang || undefined);
    }
    var older = offer.querySelector(".draft-older");
    if (older) { older.hidden = String(found.version) === version; }
    offer.hidden = false;
    offer.querySelector(".draft-restore").addEventListener("click", function () {
      restore(found.fields);
      if (foundKey !== storeKey) { store.removeItem(foundKey); }
      offerPending = false;
      offer.hidden = true;
      changed();
    });
    offer.querySelector(".draft-ignore").addEventListener("click", function () {
      store.removeItem(foundKey);
      offerPending = false;
      offer.hidden = true;
      changed();
    });
  }
  offerDraft();
})();
