// Move focus to the error summary when a form comes back with errors, as the GOV.UK pattern does.
document.addEventListener("DOMContentLoaded", function () {
  var summary = document.querySelector(".app-error-summary");
  if (summary) { summary.focus(); }
});
