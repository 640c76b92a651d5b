import Foundation
import Hummingbird
import ReservoirCore

/// What a page handler answers: a page rendered in the layout, a redirect after a successful POST
/// (post/redirect/get, with an optional flash message for the next page), or a download.
public enum ConsoleReply: Sendable {
    case page(ConsoleView)
    case redirect(to: String, flash: String?)
    case download(filename: String, contentType: String, body: String)

    /// A page: `template` (a name registered by the page's group) rendered with `data` inside the layout.
    public static func render(_ page: ConsolePage, _ template: String, _ data: [String: any Sendable], status: HTTPResponse.Status = .ok) -> ConsoleReply {
        .page(ConsoleView(page: page, template: template, data: data, status: status))
    }

    /// A redirect (303) after a POST that worked, with a message shown once on the page it leads to.
    public static func seeOther(_ path: String, flash: String? = nil) -> ConsoleReply {
        .redirect(to: path, flash: flash)
    }
}

/// A page to render: which page (title, id, nav section), its template and data, and the status.
public struct ConsoleView: Sendable {
    public var page: ConsolePage
    public var template: String
    public var data: [String: any Sendable]
    public var status: HTTPResponse.Status

    public init(page: ConsolePage, template: String, data: [String: any Sendable], status: HTTPResponse.Status = .ok) {
        self.page = page
        self.template = template
        self.data = data
        self.status = status
    }
}
