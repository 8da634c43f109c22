// The framework editor, enhanced: "Add another" buttons copy the formset's empty form (a <template>)
// so several criteria or rows can be added before saving, and a condition line's value box shows the
// values its chosen fact allows. Without JavaScript every form works: one empty form is always there.
(function () {
  "use strict";
  document.documentElement.classList.add("app-js-enabled");

  var allowedData = document.getElementById("fact-values");
  var allowed = allowedData ? JSON.parse(allowedData.textContent) : {};

  function hint(select) {
    var valueId = select.id.replace(/_fact$/, "_value");
    var input = document.getElementById(valueId);
    if (input) { input.placeholder = allowed[select.value] || ""; }
  }

  function watch(root) {
    root.querySelectorAll("select[id$='_fact']").forEach(function (select) {
      hint(select);
      select.addEventListener("change", function () { hint(select); });
    });
  }

  document.querySelectorAll("[data-add-form]").forEach(function (button) {
    var prefix = button.getAttribute("data-add-form");
    var container = document.querySelector("[data-formset='" + prefix + "']");
    var template = document.getElementById(prefix + "-template");
    var total = document.getElementById("id_" + prefix + "-TOTAL_FORMS");
    if (!container || !template || !total) { return; }
    button.addEventListener("click", function () {
      var index = parseInt(total.value, 10);
      var html = template.innerHTML.replace(/__prefix__/g, String(index)).replace(/__number__/g, String(index + 1));
      container.insertAdjacentHTML("beforeend", html);
      total.value = String(index + 1);
      var added = container.lastElementChild;
      watch(added);
      var first = added.querySelector("input:not([type=hidden]), select, textarea");
      if (first) { first.focus(); }
    });
  });

  watch(document);
})();
