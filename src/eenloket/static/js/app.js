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
