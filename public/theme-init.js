/* global document */
// Applies the saved theme before the first paint. A file, not inline script: the page's CSP allows none.
// The key and values match src/ui/components/theme/theme-store.ts.
(function () {
  try {
    var theme = localStorage.getItem('mesoscope.theme');
    if (theme === 'light' || theme === 'dark') document.documentElement.dataset.theme = theme;
  } catch {
    // Storage blocked: the system theme it is.
  }
})();
