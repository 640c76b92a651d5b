// What every console page must be (docs/CONSOLE.md, "Every page"), checked in the page as rendered.
// Run by browser.py through execute_script with arguments[0] = whether a user is signed in and
// arguments[1] = whether the viewport is a phone's; returns a list of problems in words (empty: fine).
const signedIn = arguments[0];
const phone = arguments[1];
const problems = [];
const one = (selector) => document.querySelector(selector);
const all = (selector) => Array.from(document.querySelectorAll(selector));
const describe = (el) => el.tagName.toLowerCase() + (el.id ? "#" + el.id : "") +
    (el.classList.length ? "." + Array.from(el.classList).join(".") : "") +
    (el.getAttribute("name") ? "[name=" + el.getAttribute("name") + "]" : "");

if (document.documentElement.lang !== "en") problems.push('no <html lang="en">');
if (!document.title.trim()) problems.push("no <title>");
const viewport = one('meta[name="viewport"]');
if (!viewport || !/width=device-width/.test(viewport.content)) problems.push("no viewport <meta> with width=device-width");
const page = one('meta[name="reservoir-page"]');
if (!page || !page.content) problems.push('no <meta name="reservoir-page">');
if (!one('main#content')) problems.push('no <main id="content">');
if (!one('a[href="#content"]')) problems.push("no skip link to #content");
const headings = all("main h1").length;
if (headings !== 1) problems.push(headings + " <h1> in <main> (one expected)");
if (signedIn) {
    if (!one('nav[aria-label="Console"]')) problems.push('no <nav aria-label="Console">');
    if (!one('form[action="/sign-out"]')) problems.push("no sign-out form");
}

// Forms: a CSRF token in each POST form (when signed in), a label on every field.
for (const form of all("form")) {
    const post = (form.getAttribute("method") || "get").toLowerCase() === "post";
    const csrf = form.querySelector('input[type="hidden"][name="csrf"]');
    if (post && signedIn && !(csrf && csrf.value)) problems.push("a POST form to " + form.getAttribute("action") + " has no csrf field");
}
for (const field of all("input, select, textarea")) {
    if (["hidden", "submit", "button", "reset", "image"].includes(field.type)) continue;
    const labelled = (field.id && one('label[for="' + CSS.escape(field.id) + '"]')) || field.closest("label") ||
        field.getAttribute("aria-label") || field.getAttribute("aria-labelledby");
    if (!labelled) problems.push("no label for " + describe(field));
}
for (const error of all(".field-error")) {
    if (!/^error-/.test(error.id)) problems.push('a .field-error without id="error-FIELD"');
}

// Tables: header cells with a scope. No inline style or script (the CSP forbids them).
for (const th of all("th")) {
    if (!th.getAttribute("scope")) { problems.push("a <th> without scope (" + th.textContent.trim().slice(0, 30) + ")"); break; }
}
const styled = all("[style]");
if (styled.length) problems.push("inline style= on " + styled.slice(0, 3).map(describe).join(", "));
const inline = all("script:not([src])").filter((s) => s.textContent.trim() && s.type !== "application/json");
if (inline.length) problems.push(inline.length + " inline <script>");

// At phone width nothing may push the page wider than the screen: wide tables scroll inside .table-wrap.
// (clientWidth is the screen's width: a phone's innerWidth grows to fit content that is too wide.)
const screenWidth = document.documentElement.clientWidth;
if (phone && document.documentElement.scrollWidth > screenWidth + 1) {
    const clipped = (el) => {
        for (let p = el.parentElement; p && p !== document.body; p = p.parentElement) {
            if (["auto", "scroll", "hidden", "clip"].includes(getComputedStyle(p).overflowX)) return true;
        }
        return false;
    };
    const wide = all("body *").filter((el) => el.getBoundingClientRect().right > screenWidth + 1 && !clipped(el));
    const outermost = wide.filter((el) => !wide.includes(el.parentElement));
    problems.push("the page is " + document.documentElement.scrollWidth + " px wide at " + screenWidth +
        " px (too wide: " + outermost.slice(0, 3).map(describe).join(", ") + ")");
}
return problems;
