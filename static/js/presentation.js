/* The meeting mode's keys and swipes (templates/dashboards/presentation_base.html).
 * Every screen is a page of its own with real links to the screens before and after it, so the
 * presentation works without this file. With it: ←/→ and Page Up/Page Down (a presenter's remote)
 * go to the previous or next screen, Home and End to the start and end screens, Esc leaves to the
 * goal page; a horizontal swipe does as the arrows. On arrival the screen's heading takes the focus,
 * so a screen reader reads it (the page's title also names the screen). No inline script: the CSP
 * allows only our own files. */
(function () {
  "use strict";

  var nav = document.querySelector("[data-deck]");
  if (!nav) {
    return;
  }

  function hrefOf(selector) {
    var link = document.querySelector(selector);
    return link ? link.getAttribute("href") : null;
  }

  var targets = {
    previous: function () { return hrefOf("[data-deck-previous]"); },
    next: function () { return hrefOf("[data-deck-next]"); },
    first: function () { return nav.getAttribute("data-first"); },
    last: function () { return nav.getAttribute("data-last"); },
    exit: function () { return hrefOf("[data-deck-exit]"); }
  };

  var KEYS = {
    ArrowLeft: "previous", PageUp: "previous",
    ArrowRight: "next", PageDown: "next",
    Home: "first", End: "last",
    Escape: "exit"
  };

  function go(where) {
    var href = targets[where]();
    if (!href) {
      return false;
    }
    window.location.assign(href);
    return true;
  }

  function typingIn(element) {
    // Arrow keys in a form field (the start screen's meeting chooser) belong to the field.
    if (!element || !element.closest) {
      return false;
    }
    return Boolean(element.closest("input, select, textarea, [contenteditable]"));
  }

  document.addEventListener("keydown", function (event) {
    // Alt+← is the browser's Back, Ctrl/Cmd+arrows move in text: leave them alone.
    if (event.defaultPrevented || event.altKey || event.ctrlKey || event.metaKey || event.shiftKey) {
      return;
    }
    var where = KEYS[event.key];
    if (!where || (where !== "exit" && typingIn(event.target))) {
      return;
    }
    if (go(where)) {
      event.preventDefault();
    }
  });

  var start = null;
  var SWIPE = 60; // px: shorter movements are taps or scrolling

  document.addEventListener("touchstart", function (event) {
    start = event.touches.length === 1 ? { x: event.touches[0].clientX, y: event.touches[0].clientY } : null;
  }, { passive: true });

  document.addEventListener("touchend", function (event) {
    if (!start || event.changedTouches.length !== 1) {
      return;
    }
    var dx = event.changedTouches[0].clientX - start.x;
    var dy = event.changedTouches[0].clientY - start.y;
    start = null;
    // Mostly sideways: a swipe to the left shows the next screen, as turning a page.
    if (Math.abs(dx) >= SWIPE && Math.abs(dx) > 2 * Math.abs(dy)) {
      go(dx < 0 ? "next" : "previous");
    }
  }, { passive: true });

  var heading = document.querySelector("[data-deck-heading]");
  if (heading && !window.location.hash) {
    heading.focus({ preventScroll: false });
  }
})();
