import Hummingbird
import ReservoirCore

/// A query parameter (or request header) a route reads: its name, the values it takes, and what it means.
struct QueryParameter: Sendable {
    let name: String
    let schema: Schema
    let description: String
    let required: Bool
    /// `query`, or `header` for a request header.
    let location: String

    init(_ name: String, _ schema: Schema, _ description: String, required: Bool = false, location: String = "query") {
        self.name = name
        self.schema = schema
        self.description = description
        self.required = required
        self.location = location
    }

    /// A retry with the same key returns what the first request created (`Request.idempotencyKey`).
    static let idempotencyKey = QueryParameter(
        "Idempotency-Key", .string(maxBytes: InputLimits.idempotencyKeyBytes, minLength: 1, pattern: #"^[\x21-\x7E]+$"#),
        "A retry with the same key returns what the first request created instead of creating it again", location: "header")

    /// A page's size; defined once, every list route takes it.
    static let limit = QueryParameter("limit", .integer(Bounds.pageSize), "Most items in one page")
    /// Where a page starts; defined once, every list route takes it.
    static let cursor = QueryParameter(
        "cursor", .string(maxBytes: InputLimits.textBytes, minLength: 1),
        "Opaque: where the next page starts, as the `Link: <…>; rel=\"next\"` header of the previous page gives it")

    /// A time in Unix seconds, within `Bounds.unixSeconds`.
    static func time(_ name: String, _ description: String) -> QueryParameter { QueryParameter(name, .unixSeconds, description) }

    /// A time as people write it (`Request.pointInTime`): Unix seconds, a duration ago or an ISO 8601 date or time.
    static func pointInTime(_ name: String, _ description: String) -> QueryParameter {
        QueryParameter(
            name, Schema.string(maxBytes: 64, minLength: 1).described("Unix seconds, a duration ago (7d, 12h, 30m, 1w) or an ISO 8601 date or time"),
            description)
    }

    /// A lower bound on time for a filter (`Request.time`): any finite Unix seconds, far past or future.
    static func since(_ description: String) -> QueryParameter { QueryParameter("since", Schema.number().described("Unix seconds"), description) }

    /// An id of a pool, tenant, node, region… to look up or filter by: any text (a malformed id matches nothing).
    static func id(_ name: String, _ description: String, required: Bool = false) -> QueryParameter {
        QueryParameter(name, .string(), description, required: required)
    }
}

/// A header a successful answer may carry.
struct ResponseHeader: Sendable {
    let name: String
    let schema: Schema
    let description: String

    /// The number of all matching items, when a page shows only some.
    static let totalCount = ResponseHeader(name: Coding.totalCount.rawName, schema: .integer(minimum: 0), description: "All items that match the filter")
    /// Sent when more items exist: the same request for the next page.
    static let link = ResponseHeader(
        name: "Link", schema: .string(), description: "`<URL>; rel=\"next\"` when more items exist: the same request with the next page's cursor")
}

/// What a route takes as its body, by media type.
struct RequestBody: Sendable {
    let content: [String: Schema]

    /// A body decoded by `Coding.decode`: JSON, or YAML with `Content-Type: application/yaml`.
    static func decoded(_ component: Component) -> RequestBody {
        RequestBody(content: ["application/json": component.ref, "application/yaml": component.ref])
    }

    init(content: [String: Schema]) { self.content = content }
}

/// What a route answers when it succeeds: the status, the body and its headers.
struct Answer: Sendable {
    let status: HTTPResponse.Status
    /// Media type and schema of the body; nil: no body (204).
    let content: (mediaType: String, schema: Schema)?
    let headers: [ResponseHeader]
    /// A list: it takes `limit` and `cursor` and links to the next page.
    let isPage: Bool
    /// Other renderings of the same answer (CSV, Markdown, HTML) a client chooses with `format` or `Accept`:
    /// text, so a generated client knows they exist and a checker accepts them.
    var textAlternatives: [String] = []

    static func ok(_ component: Component) -> Answer { ok(component.ref) }

    /// JSON by default, or one of `alternatives` (media types of text renderings of the same content).
    static func ok(_ component: Component, or alternatives: [String]) -> Answer {
        var answer = ok(component.ref)
        answer.textAlternatives = alternatives
        return answer
    }

    /// Every media type of the body with its schema: the JSON one first, then the text renderings.
    var media: [(mediaType: String, schema: Schema)] {
        guard let content else { return [] }
        return [content] + textAlternatives.map { ($0, Schema.string()) }
    }

    static func ok(_ schema: Schema) -> Answer { Answer(status: .ok, content: ("application/json", schema), headers: [], isPage: false) }

    static func created(_ component: Component) -> Answer {
        Answer(status: .created, content: ("application/json", component.ref), headers: [], isPage: false)
    }

    /// A page of a list of `item`s, with `Link: rel="next"` when more exist.
    static func page(of item: Component, headers: [ResponseHeader] = []) -> Answer {
        Answer(status: .ok, content: ("application/json", .array(item.ref)), headers: [.link] + headers, isPage: true)
    }

    static let noContent = Answer(status: .noContent, content: nil, headers: [], isPage: false)

    static func text(_ mediaType: String) -> Answer { Answer(status: .ok, content: (mediaType, .string()), headers: [], isPage: false) }

    /// A route not yet described: any JSON object. The conformance test refuses it.
    static let undescribed = Answer(status: .ok, content: ("application/json", .object(required: [:], open: true)), headers: [], isPage: false)
}

extension RequestBody {
    /// `POST /v1/import`: a cluster description in YAML (or JSON, which YAML reads), or with
    /// `format=openb` an openb node list (CSV).
    static let clusterImport = RequestBody(content: [
        "application/yaml": Components.clusterDescription.ref, "application/json": Components.clusterDescription.ref,
        "text/csv": .string(minLength: 1),
    ])
}

extension [QueryParameter] {
    /// The capacity policy a plan may override.
    static var capacityPolicy: [QueryParameter] {
        [
            QueryParameter("threshold", .number(Bounds.expansionThreshold), "Sustained utilisation that triggers expansion (default: configured)"),
            QueryParameter("buffer", .number(Bounds.expansionBuffer), "Head-room on top of the forecast (default: configured)"),
        ]
    }
}
