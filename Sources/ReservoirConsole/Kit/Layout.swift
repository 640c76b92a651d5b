/// The shared templates: the `layout` every page extends (`{{<layout}}{{$main}}…{{/main}}{{/layout}}`),
/// and the partials forms use (`{{> csrf}}`, `{{#fields}}{{> field}}{{/fields}}`, `{{> form-error}}`).
/// The layout reads the keys `ConsoleRenderer` adds to every page: `title`, `pageID`, `signedIn`, `user`,
/// `role`, `nav`, `csrf`, `flash`, and `refresh` (seconds; set it for pages the script refreshes).
enum Layout {
    static let templates: [String: String] = [
        "layout": layout, "csrf": csrf, "field": field, "form-error": formError, "status": status,
    ]

    static let layout = """
        <!DOCTYPE html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <meta name="reservoir-page" content="{{pageID}}">
        <title>{{title}} · Reservoir</title>
        <link rel="icon" href="data:,">
        <link rel="stylesheet" href="/console/assets/console.css">
        <script src="/console/assets/console.js" defer></script>
        </head>
        <body>
        <a class="skip-link" href="#content">Skip to content</a>
        <header class="site-header">
        <a class="brand" href="/console">Reservoir</a>
        {{#signedIn}}
        <nav aria-label="Console" class="site-nav">
        <ul>
        {{#nav}}<li><a href="{{path}}"{{#current}} aria-current="page"{{/current}}>{{title}}</a></li>{{/nav}}
        </ul>
        </nav>
        <div class="who">
        <span class="user">{{user}}</span> <span class="role">{{role}}</span>
        <form method="post" action="/sign-out" class="sign-out">{{> csrf}}<button type="submit" id="sign-out">Sign out</button></form>
        </div>
        {{/signedIn}}
        </header>
        <main id="content"{{#refresh}} data-refresh="{{refresh}}"{{/refresh}}>
        {{#flash}}<p class="flash" role="status">{{flash}}</p>{{/flash}}
        <h1>{{title}}</h1>
        {{$main}}{{/main}}
        </main>
        </body>
        </html>
        """

    static let csrf = #"<input type="hidden" name="csrf" value="{{csrf}}">"#

    /// One labelled input with its hint and its error (a `FormField`).
    static let field = """
        <div class="field{{#invalid}} invalid{{/invalid}}">
        <label for="{{name}}">{{label}}</label>
        <input id="{{name}}" name="{{name}}" type="{{type}}" value="{{value}}"{{#autocomplete}} autocomplete="{{autocomplete}}"{{/autocomplete}}{{#required}} required{{/required}}{{#invalid}} aria-invalid="true" aria-describedby="error-{{name}}"{{/invalid}}>
        {{#invalid}}<p class="field-error" id="error-{{name}}">{{error}}</p>{{/invalid}}
        {{#hint}}<p class="hint">{{hint}}</p>{{/hint}}
        </div>
        """

    /// An error no single field shows (`formError`), above the form.
    static let formError = """
        {{#formError}}<p class="form-error" role="alert">{{formError}}</p>{{/formError}}
        """

    /// 403, 404 and the other error pages: the heading is the title, `message` says why.
    static let status = """
        {{<layout}}{{$main}}
        <p class="status-message">{{message}}</p>
        <p><a href="/console">Back to the overview</a></p>
        {{/main}}{{/layout}}
        """
}
