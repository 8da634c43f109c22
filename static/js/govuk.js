// Starts GOV.UK Frontend's components (the header and service navigation menus, the error summary's focus, the skip
// link, details, notification banners...) from its vendored ES module.
import { initAll } from "../vendor/govuk-frontend/govuk-frontend.min.js";

initAll();

// A table wider than its box scrolls inside it: say so above it, and name the hint in the region's description.
function hintWideTables() {
  document.querySelectorAll(".app-table-wrapper").forEach(function (wrapper, index) {
    var wide = wrapper.scrollWidth > wrapper.clientWidth + 1;
    var hint = wrapper.previousElementSibling;
    var hinted = hint && hint.classList.contains("app-table-hint");
    if (wide && !hinted) {
      hint = document.createElement("p");
      hint.className = "app-table-hint";
      hint.id = "table-hint-" + index;
      hint.textContent = "Scroll sideways for more columns";
      wrapper.parentNode.insertBefore(hint, wrapper);
      wrapper.setAttribute("aria-describedby", hint.id);
    } else if (!wide && hinted) {
      hint.remove();
      wrapper.removeAttribute("aria-describedby");
    }
  });
}
hintWideTables();
window.addEventListener("resize", hintWideTables);
