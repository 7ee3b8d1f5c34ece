/*
  Loads htmx when a visitor first reaches for something it enhances, not with the page.

  Every page works without JavaScript: htmx only swaps a list or a search's results in place
  of following the link or sending the form. Starting htmx walks the whole page, which on a
  goal page of 200 assignments keeps a phone busy for a fifth of a second just after the
  page is shown. So base.html puts htmx's script tags ({% htmx_script %}) in
  <template id="htmx-script">, and this script adds them to the page the first time a
  pointer goes over, a finger touches or the keyboard focus comes to an element with htmx
  attributes (data-hx-*) or inside one. htmx then starts at once on the page as it is.
  Until it has started, a click is an ordinary link or form, as without JavaScript.
*/
(function () {
  "use strict";
  var template = document.getElementById("htmx-script");
  if (!template || !("content" in template) || window.htmx) {
    return;
  }
  var ENHANCED = "[data-hx-get], [data-hx-post], [data-hx-trigger], [data-hx-target]";
  var EVENTS = ["pointerover", "touchstart", "focusin"];

  function load() {
    EVENTS.forEach(function (type) {
      document.removeEventListener(type, reach, true);
    });
    // htmx started after DOMContentLoaded waits for it unless the page has loaded: so
    // before the load event, wait for it.
    if (document.readyState === "complete") {
      addScripts();
    } else {
      window.addEventListener("load", addScripts, { once: true });
    }
  }

  function addScripts() {
    template.content.querySelectorAll("script").forEach(function (original) {
      var script = document.createElement("script");
      Array.prototype.forEach.call(original.attributes, function (attribute) {
        if (attribute.name !== "defer") {
          script.setAttribute(attribute.name, attribute.value);
        }
      });
      script.async = false; // in the template's order: htmx before what builds on it
      document.head.appendChild(script);
    });
  }

  function reach(event) {
    var target = event.target;
    if (target instanceof Element && target.closest(ENHANCED)) {
      load();
    }
  }

  EVENTS.forEach(function (type) {
    document.addEventListener(type, reach, { capture: true, passive: true });
  });
})();
