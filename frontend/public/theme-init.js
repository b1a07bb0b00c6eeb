// Keep in sync with src/lib/theme.ts (storage key and class name).
(function () {
  var stored = null;
  try { stored = localStorage.getItem("diun-dashboard-theme"); } catch (e) {}
  var dark = stored ? stored === "dark" : window.matchMedia("(prefers-color-scheme: dark)").matches;
  document.documentElement.classList.toggle("dark", dark);
})();
