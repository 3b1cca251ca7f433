/*
 * The print view's "Print this page" button (the only script of a plain page): without
 * JavaScript the button is not shown and the page says to use the browser's Print command.
 */
(function () {
  'use strict';
  document.querySelectorAll('[data-print]').forEach(function (button) {
    button.hidden = false;
    button.addEventListener('click', function () { window.print(); });
  });
  document.querySelectorAll('[data-print-hint]').forEach(function (hint) { hint.hidden = true; });
})();
