// Loaded first in <body>, as GOV.UK Frontend asks: marks the page as having JavaScript, and as supporting GOV.UK
// Frontend's components when the browser runs ES modules, before anything is drawn. A static file, not an inline
// script, for the Content-Security-Policy.
document.body.className += " js-enabled" + ("noModule" in HTMLScriptElement.prototype ? " govuk-frontend-supported" : "");
