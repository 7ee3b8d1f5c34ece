/* "Kopiera": copies the code of a read-only field on the CMS snippet's page
   (templates/exports/cms_page.html). Progressive enhancement: each button
   (data-copy-target: the field's id) is hidden until this script shows it; without
   script the field's code is selected and copied by hand. It says what it did in the
   live region data-copy-status names, in the words of data-copied (copied) or
   data-selected (only selected, where the clipboard is not available). No inline
   script, nothing sent anywhere. */
(function () {
  "use strict";

  function say(button, words) {
    var region = document.getElementById(button.getAttribute("data-copy-status"));
    if (region) {
      region.textContent = "";
      window.setTimeout(function () { region.textContent = words; }, 50);
    }
  }

  function select(field, button) {
    field.focus();
    field.select();
    say(button, button.getAttribute("data-selected"));
  }

  function copy(field, button) {
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(field.value).then(
        function () { say(button, button.getAttribute("data-copied")); },
        function () { select(field, button); }
      );
    } else {
      select(field, button);
    }
  }

  var buttons = document.querySelectorAll("button[data-copy-target]");
  Array.prototype.forEach.call(buttons, function (button) {
    var field = document.getElementById(button.getAttribute("data-copy-target"));
    if (!field) {
      return;
    }
    button.hidden = false;
    button.addEventListener("click", function () { copy(field, button); });
  });
})();
