import Foundation
import NIOHTTP1
import ReservoirServices

/// One answer of the server: the body as sent (what `--json` prints, byte for byte) and the
/// headers; `decode` reads the body as the type the server encodes, so tables come from typed fields.
struct ServerReply {
    /// The request this answers, without its query (`GET /v1/jobs`), to name it in errors.
    let request: String
    let data: Data
    let headers: HTTPHeaders

    /// The body as the server sent it.
    var text: String { String(decoding: data, as: UTF8.self) }

    /// The body as `T`; a body of another shape is `CLIError.unexpectedReply` naming the field.
    func decode<T: Decodable>(_ type: T.Type) throws(CLIError) -> T {
        do {
            return try JSONDecoder().decode(T.self, from: data)
        } catch let error as DecodingError {
            let named = DecodingErrors.reservoirError(error)
            throw .unexpectedReply(request: request, reason: "\(named.field.map { "\($0): " } ?? "")\(named.message)")
        } catch {
            throw .unexpectedReply(request: request, reason: "\(error)")
        }
    }
}
