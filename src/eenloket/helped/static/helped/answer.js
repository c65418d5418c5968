// The character counter under the comment on the "bent u geholpen?" page (no inline script:
// Content-Security-Policy). The text comes translated from the page (data-text, %(count)s).
document.addEventListener("DOMContentLoaded", function () {
  document.querySelectorAll("[data-counter-for]").forEach(function (counter) {
    var field = document.getElementById(counter.getAttribute("data-counter-for"));
    var max = parseInt(counter.getAttribute("data-max"), 10);
    var text = counter.getAttribute("data-text");
    if (!field || !max || !text) return;
    var timer = null;
    function update() {
      var left = Math.max(0, max - field.value.length);
      counter.textContent = text.replace("%(count)s", String(left));
    }
    field.addEventListener("input", function () {
      // Screen readers hear the count when typing pauses, not at every key.
      clearTimeout(timer);
      timer = setTimeout(update, 400);
    });
    update();
  });
});
// After a failed submit the error summary gets the focus, so screen readers read it first.
document.addEventListener("DOMContentLoaded", function () {
  var errors = document.getElementById("form-fouten");
  if (errors) {
    errors.setAttribute("tabindex", "-1");
    errors.focus();
  }
});
