// Progressive enhancement only: every page works without this (error summaries get focus, buttons
// ignore double clicks). A file rather than an inline script so a strict CSP can forbid inline code.
// GOV.UK Frontend's components start only when the body says the browser supports them; a browser
// that runs this module does.
import { initAll } from "/static/govuk/govuk-frontend.min.js";
document.body.classList.add("js-enabled", "govuk-frontend-supported");
initAll();
