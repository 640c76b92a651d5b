/// The console's only script (served as `/console/assets/console.js`; the CSP forbids inline scripts).
/// Pages work without it; with it, an element marked `data-refresh="SECONDS"` is refreshed in place: the
/// page is fetched again and `#content` swapped, while nobody is typing in a form of it; an element
/// marked `data-estimate-src="URL"` inside a form shows what URL answers for the form's values as one types.
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
          // A form holding [data-estimate-src] asks that URL (GET, the form's values as the query, never the
          // CSRF token) for its answer while one types, and shows it inside the element.
          function estimator(target) {
            var form = target.closest("form"), source = target.getAttribute("data-estimate-src"), timer = null, asked = 0;
            if (!form || !source) { return; }
            function ask() {
              var query = new URLSearchParams(), mine = ++asked;
              new FormData(form).forEach(function (value, name) {
                if (name !== "csrf" && name !== "intent" && typeof value === "string") { query.append(name, value); }
              });
              fetch(source + "?" + query.toString(), { credentials: "same-origin", headers: { "Accept": "text/html" } })
                .then(function (response) { return response.ok ? response.text() : null; })
                .then(function (html) { if (html !== null && mine === asked) { target.innerHTML = html; } })
                .catch(function () { /* the Estimate button still answers without the script */ });
            }
            function later() { window.clearTimeout(timer); timer = window.setTimeout(ask, 400); }
            form.addEventListener("input", later);
            form.addEventListener("change", later);
          }
          document.addEventListener("DOMContentLoaded", function () {
            Array.prototype.forEach.call(document.querySelectorAll("[data-estimate-src]"), estimator);
            var root = document.getElementById("content");
            if (!root) { return; }
            var seconds = parseInt(root.getAttribute("data-refresh") || "", 10);
            if (seconds > 0) { refresh(root, seconds); }
          });
        })();
        """#
}
