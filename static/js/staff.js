// Search-as-you-type for the partner fields of the fiche form. Without JavaScript the <select>
// lists every collectivity of its country and the form works the same.
(function () {
  "use strict";
  var form = document.querySelector("form.fiche-form");
  if (!form) { return; }
  var searchUrl = form.getAttribute("data-search-url");
  var selects = form.querySelectorAll("select.collectivity-select");
  Array.prototype.forEach.call(selects, function (select, index) {
    var list = document.createElement("datalist");
    list.id = "collectivity-suggestions-" + index;
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
  });
})();
