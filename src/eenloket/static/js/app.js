// Keyboard help for the counter: Ctrl/Cmd + Enter saves the form you are typing in.
document.addEventListener("keydown", function (event) {
  if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
    var form = event.target && event.target.form;
    if (form) {
      event.preventDefault();
      form.requestSubmit();
    }
  }
});
// Move focus to the error summary after a failed submit so screen readers hear it.
document.addEventListener("DOMContentLoaded", function () {
  var errors = document.getElementById("form-fouten");
  if (errors) {
    errors.setAttribute("tabindex", "-1");
    errors.focus();
  }
});
// Routing suggestions under the question: Alt + 1…5 picks suggestion 1…5 without leaving the
// question; the radio buttons also work with Tab and the arrow keys.
document.addEventListener("keydown", function (event) {
  if (!event.altKey || event.ctrlKey || event.metaKey) return;
  var digit = /^Digit([1-9])$/.exec(event.code || "");
  if (!digit) return;
  var choice = document.querySelector('input[name="service"][data-shortcut="' + digit[1] + '"]');
  if (choice) {
    event.preventDefault();
    choice.checked = true;
    choice.dispatchEvent(new Event("change", { bubbles: true }));
    var status = document.getElementById("dienst-gekozen-status");
    if (status) status.textContent = choice.labels[0].querySelector("strong").textContent;
  }
});
// htmx triggers without inline JavaScript (the Content-Security-Policy allows no eval, which a
// trigger filter such as change[target.id=='x'] needs): an element with data-refresh-on="id …"
// gets the event "choice-changed" when a field of its form with one of those ids changes, also
// after htmx replaced that field (hx-trigger="choice-changed").
document.addEventListener("change", function (event) {
  var field = event.target;
  if (!field || !field.id || !field.form) return;
  field.form.querySelectorAll("[data-refresh-on]").forEach(function (element) {
    if (element.getAttribute("data-refresh-on").split(" ").indexOf(field.id) !== -1) {
      element.dispatchEvent(new CustomEvent("choice-changed"));
    }
  });
});
// A part of a form shown only for one choice (data-show-when="field-id=value"), e.g. the
// callback fields for the outcome "Terugbelverzoek". Without JavaScript it is always shown.
(function () {
  function sync(form) {
    form.querySelectorAll("[data-show-when]").forEach(function (part) {
      var rule = part.getAttribute("data-show-when").split("=");
      var field = document.getElementById(rule[0]);
      if (field) part.hidden = field.value !== rule[1];
    });
  }
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("form").forEach(sync);
  });
  document.addEventListener("change", function (event) {
    if (event.target && event.target.form) sync(event.target.form);
  });
})();
