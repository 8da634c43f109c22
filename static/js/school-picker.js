// The school picker: each <select data-school-picker> becomes a box that suggests schools as you type
// (GOV.UK accessible-autocomplete, enhanceSelectElement). The select stays in the form, hidden, and holds
// the choice, so the form posts the same thing with or without JavaScript.
(function () {
  "use strict";

  function optionFor(select, text) {
    for (var i = 0; i < select.options.length; i++) {
      if (select.options[i].value && select.options[i].textContent === text) { return select.options[i]; }
    }
    return null;
  }

  function enhance(select) {
    var id = select.id;
    window.accessibleAutocomplete.enhanceSelectElement({
      selectElement: select,
      defaultValue: "",
      minLength: 2,
      showAllValues: false,
      displayMenu: "overlay",
      tNoResults: function () { return "No school matches"; },
      onConfirm: function (chosen) {
        var input = document.getElementById(id);
        var text = chosen !== undefined ? chosen : (input ? input.value : "");
        var option = text ? optionFor(select, text) : null;
        if (option) {
          option.selected = true;
        } else {
          select.value = "";  // cleared, or no school of that name: the form asks again rather than keep an old choice
        }
      }
    });
    // The hint and error the select pointed to describe the new box too.
    var described = select.getAttribute("aria-describedby");
    var input = document.getElementById(id);
    if (described && input) {
      var own = input.getAttribute("aria-describedby");
      input.setAttribute("aria-describedby", own ? own + " " + described : described);
    }
  }

  document.addEventListener("DOMContentLoaded", function () {
    if (!window.accessibleAutocomplete) { return; }
    var selects = document.querySelectorAll("select[data-school-picker]");
    for (var i = 0; i < selects.length; i++) { enhance(selects[i]); }
  });
})();
