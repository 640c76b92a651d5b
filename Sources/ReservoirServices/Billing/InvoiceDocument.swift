import Foundation
import ReservoirCore

/// An invoice with the JSON bytes served for it. For a month that is over these are the bytes stored
/// when it was issued, and `invoice` is read back from them, so the JSON and the CSV of a closed month
/// never change, whatever happens to prices or sessions afterwards.
public struct InvoiceDocument: Sendable {
    public let invoice: Invoice
    public let json: Data

    /// The CSV export (`Invoice.csv()`): derived from the same invoice as the JSON.
    public var csv: String { invoice.csv() }

    /// Encodes an invoice the way the API writes every body (sorted keys, indented), once.
    init(encoding invoice: Invoice) throws {
        self.invoice = invoice
        self.json = try Self.encoder.encode(invoice)
    }

    /// Reads an issued invoice back from its stored bytes.
    init(stored json: Data) throws {
        self.invoice = try JSONDecoder().decode(Invoice.self, from: json)
        self.json = json
    }

    static let encoder: JSONEncoder = {
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        return e
    }()
}

/// What a top-up answers: the credit recorded and the balance after it.
public struct CreditReceipt: Codable, Sendable {
    public var credit: Credit
    public var balance: Balance
}
