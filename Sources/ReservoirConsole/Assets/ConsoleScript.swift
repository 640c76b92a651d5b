/// The console's only script (served as `/console/assets/console.js`; the CSP forbids inline scripts).
/// Pages work without it; with it, an element marked `data-refresh="SECONDS"` is refreshed in place: the
/// page is fetched again and `#content` swapped, while nobody is typing in a form of it.
enum ConsoleScript {
    static let source = #"""
        "use strict";
        (function () {
          function busy(root) {
            var active = document.activeElement;
            return active && root.contains(active) && /^(INPUT|TEXTAREA|SELECT)$/.test(active.tagName);
          }
          function refresh(root, seconds) {
            window.setTimeout(function () {
              if (document.hidden || busy(root)) { refresh(root, seconds); return; }
              fetch(window.location.href, { credentials: "same-origin", headers: { "Accept": "text/html" } })
                .then(function (response) {
                  if (response.redirected || !response.ok) { window.location.reload(); return null; }
                  return response.text();
                })
                .then(function (html) {
                  if (html === null) { return; }
                  var next = new DOMParser().parseFromString(html, "text/html").getElementById("content");
                  if (next) { root.innerHTML = next.innerHTML; }
                  refresh(root, seconds);
                })
                .catch(function () { refresh(root, seconds * 2); });
            }, seconds * 1000);
          }
          document.addEventListener("DOMContentLoaded", function () {
            var root = document.getElementById("content");
            if (!root) { return; }
            var seconds = parseInt(root.getAttribute("data-refresh") || "", 10);
            if (seconds > 0) { refresh(root, seconds); }
          });
        })();
        """#
}
