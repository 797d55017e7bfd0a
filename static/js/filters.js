// The filters of a list page (partnerships, actions) applied at once: each choice fetches the
// same page for the new address and swaps its results and facet counts in place, so the focus
// and an open drawer stay where they are. Without JavaScript the form works as it is (the
// "Appliquer" button); on a phone the "Filtres (n)" link then leads down to the filters.
(function () {
  "use strict";
  var form = document.getElementById("filters");
  var layout = form && form.closest(".list-layout");
  if (!form || !layout || !window.fetch || !window.DOMParser) { return; }
  layout.classList.add("is-live");

  var LONG_VISIBLE = 6;
  // Says the new number of results to screen readers (the results are replaced as a whole).
  var status = document.createElement("p");
  status.className = "visually-hidden";
  status.setAttribute("aria-live", "polite");
  layout.insertBefore(status, layout.firstChild);
  var pending = null;

  function queryOf(data) {
    var params = new URLSearchParams();
    data.forEach(function (value, key) { if (value !== "") { params.append(key, value); } });
    var text = params.toString();
    return text ? "?" + text : "";
  }

  function toggle() { return document.querySelector(".filters-toggle"); }

  // --- the drawer (phones) ------------------------------------------------------------------
  function openDrawer() {
    form.classList.add("is-open");
    document.body.classList.add("drawer-open");
    var t = toggle();
    if (t) { t.setAttribute("aria-expanded", "true"); }
    var close = form.querySelector(".filters-close");
    if (close) { close.focus(); }
  }
  function closeDrawer() {
    if (!form.classList.contains("is-open")) { return; }
    form.classList.remove("is-open");
    document.body.classList.remove("drawer-open");
    var t = toggle();
    if (t) { t.setAttribute("aria-expanded", "false"); t.focus(); }
    window.scrollTo(0, 0);
  }
  function setUpDrawer() {
    var t = toggle();
    if (t) {
      t.setAttribute("role", "button");
      t.setAttribute("aria-expanded", "false");
      t.addEventListener("click", function (event) { event.preventDefault(); openDrawer(); });
    }
  }
  Array.prototype.forEach.call(form.querySelectorAll(".filters-close, .filters-done"), function (el) {
    el.hidden = false;
    el.addEventListener("click", closeDrawer);
  });
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape") { closeDrawer(); }
  });

  // --- long facets: a search box and the first options only -----------------------------------
  function fold(text) {
    return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
  }
  function refreshLong(fieldset) {
    var box = fieldset.querySelector(".facet-search");
    var more = fieldset.querySelector(".facet-more");
    var words = box ? fold(box.value.trim()) : "";
    var expanded = fieldset.getAttribute("data-expanded") === "true";
    var options = fieldset.querySelectorAll(".facet-option");
    var shown = 0;
    Array.prototype.forEach.call(options, function (option) {
      var input = option.querySelector("input");
      var matches = !words || fold(option.textContent).indexOf(words) !== -1;
      var visible = words ? matches : (expanded || input.checked || shown < LONG_VISIBLE);
      option.hidden = !visible;
      if (visible) { shown++; }
    });
    if (more) {
      more.hidden = Boolean(words) || options.length <= LONG_VISIBLE;
      more.setAttribute("aria-expanded", expanded ? "true" : "false");
      more.textContent = expanded ? more.getAttribute("data-less")
        : more.getAttribute("data-more").replace("{n}", String(options.length));
    }
  }
  function setUpLong(fieldset) {
    if (fieldset.querySelector(".facet-search")) { refreshLong(fieldset); return; }
    var legend = fieldset.querySelector("legend");
    var box = document.createElement("input");
    box.type = "search";
    box.className = "facet-search";
    box.setAttribute("aria-label", form.getAttribute("data-facet-search") + " " + legend.textContent);
    box.placeholder = form.getAttribute("data-facet-search") || "";
    legend.insertAdjacentElement("afterend", box);
    var more = document.createElement("button");
    more.type = "button";
    more.className = "facet-more";
    more.setAttribute("data-more", form.getAttribute("data-facet-more") || "{n}");
    more.setAttribute("data-less", form.getAttribute("data-facet-less") || "-");
    fieldset.appendChild(more);
    box.addEventListener("input", function () { refreshLong(fieldset); });
    // Enter in the facet's box filters the options; it must not send the form.
    box.addEventListener("keydown", function (event) {
      if (event.key === "Enter") { event.preventDefault(); }
    });
    more.addEventListener("click", function () {
      var expanded = fieldset.getAttribute("data-expanded") === "true";
      fieldset.setAttribute("data-expanded", expanded ? "false" : "true");
      refreshLong(fieldset);
    });
    refreshLong(fieldset);
  }
  function setUpFacets() {
    Array.prototype.forEach.call(form.querySelectorAll(".facet.long"), setUpLong);
  }

  // --- applying a choice --------------------------------------------------------------------
  function swap(html, url, push) {
    var doc = new DOMParser().parseFromString(html, "text/html");
    var results = doc.getElementById("results");
    var facets = doc.querySelector("[data-swap=facets]");
    if (!results || !facets) { window.location.href = url; return; }
    var focusedId = document.activeElement && document.activeElement.id;
    document.getElementById("results").replaceWith(results);
    // Each facet's options are replaced; its search box and folding state stay.
    Array.prototype.forEach.call(facets.querySelectorAll("fieldset.facet"), function (fresh) {
      var name = fresh.getAttribute("data-facet");
      var current = form.querySelector('fieldset.facet[data-facet="' + name + '"]');
      if (!current) { return; }
      Array.prototype.forEach.call(current.querySelectorAll(".facet-option, p.small"), function (el) { el.remove(); });
      var anchor = current.querySelector(".facet-more");
      Array.prototype.forEach.call(fresh.querySelectorAll(".facet-option, p.small"), function (el) {
        current.insertBefore(document.importNode(el, true), anchor);
      });
      current.className = fresh.className;
    });
    var freshDone = doc.querySelector(".filters-done button");
    var done = form.querySelector(".filters-done button");
    if (freshDone && done) { done.textContent = freshDone.textContent; }
    document.title = doc.title;
    if (push) { window.history.pushState({ filters: true }, "", url); }
    setUpDrawer();
    setUpFacets();
    updateDoneLabel();
    if (focusedId && document.getElementById(focusedId)) {
      document.getElementById(focusedId).focus();
    } else if (!form.classList.contains("is-open")) {
      // The chip or page link followed is gone: the reader goes on from the new results.
      var heading = document.getElementById("results-title");
      heading.setAttribute("tabindex", "-1");
      heading.focus();
    }
    status.textContent = document.getElementById("results-title").textContent.trim();
  }

  function apply(url, push) {
    if (pending) { pending.abort(); }
    pending = new AbortController();
    layout.setAttribute("aria-busy", "true");
    fetch(url, { headers: { "X-Requested-With": "fetch" }, signal: pending.signal })
      .then(function (response) {
        if (!response.ok) { throw new Error(String(response.status)); }
        return response.text();
      })
      .then(function (html) { swap(html, url, push); })
      .catch(function (error) {
        // A bad value (400) or a lost connection: the server's own page says what went wrong.
        if (error.name !== "AbortError") { window.location.href = url; }
      })
      .then(function () { layout.removeAttribute("aria-busy"); });
  }

  function applyForm() {
    apply(form.getAttribute("action") + queryOf(new FormData(form)), true);
  }

  function updateDoneLabel() {
    var done = form.querySelector(".filters-done button");
    var results = document.getElementById("results");
    var title = document.getElementById("results-title");
    if (done && results && title) {
      done.textContent = (form.getAttribute("data-show") || "{n}").replace("{n}", title.textContent.trim());
    }
  }

  form.addEventListener("change", function (event) {
    var target = event.target;
    if (target.classList.contains("facet-search") || target.type === "search") { return; }
    if (target.type === "number" && !target.checkValidity()) { return; }
    applyForm();
  });
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    applyForm();
  });
  // Chips, "tout effacer" and page links: the same swap, without reloading.
  layout.addEventListener("click", function (event) {
    var link = event.target.closest("a");
    if (!link || !layout.contains(link) || link.hasAttribute("download")) { return; }
    var inList = link.closest(".chips, .pagination, .apply");
    if (!inList || event.ctrlKey || event.metaKey || event.shiftKey) { return; }
    event.preventDefault();
    var url = link.getAttribute("href");
    if (url.charAt(0) === "?") { url = form.getAttribute("action") + url; }
    // The form follows the address: clear it, the swapped facets bring their own checks back.
    var params = new URL(url, window.location.href).searchParams;
    Array.prototype.forEach.call(form.querySelectorAll("input[type=search]:not(.facet-search), input[type=number], select"), function (input) {
      input.value = params.get(input.name) || "";
    });
    if (link.closest(".pagination")) { document.getElementById("results").scrollIntoView(); }
    apply(url, true);
  });
  window.addEventListener("popstate", function () { window.location.reload(); });

  setUpDrawer();
  setUpFacets();
  updateDoneLabel();
}());
