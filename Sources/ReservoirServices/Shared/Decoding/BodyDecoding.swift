import Foundation
import ReservoirCore
import Yams

/// Decodes what people send (API bodies, `--config` and `import` files) strictly: a key the type does not
/// know is refused and named (`replica: 2` is not silently a one-replica job), with the nearest known key
/// as a suggestion; syntax errors give line and column; an invalid enum value lists the valid ones.
/// Stored data is decoded leniently elsewhere, so old rows stay readable.
public enum BodyDecoding {
    public static func json<T: Decodable>(_ type: T.Type, from data: Data) throws -> T {
        let recorder = KeyRecorder()
        let decoder = JSONDecoder()
        decoder.userInfo[.keyRecorder] = recorder
        return try strictly(recorder) {
            do {
                return try decoder.decode(Strict<T>.self, from: data).value
            } catch DecodingError.dataCorrupted(let context) where context.codingPath.isEmpty {
                if let syntax = SyntaxErrors.json(data) { throw syntax }
                throw DecodingError.dataCorrupted(context)
            }
        }
    }

    public static func yaml<T: Decodable>(_ type: T.Type, from text: String) throws -> T {
        let recorder = KeyRecorder()
        return try strictly(recorder, locate: { YAMLPosition.of($0, in: text) }) { try decodeYAML(T.self, from: text, recorder: recorder) }
    }

    /// Like `yaml`, for a document that is also checked value by value (the server configuration): the
    /// unknown keys come back one error each instead of being thrown, so every problem can be reported at
    /// once, and `locate` says where a key path came from (a line of a file, an environment variable).
    public static func yamlListingUnknownKeys<T: Decodable>(
        _ type: T.Type, from text: String, locate: ([any CodingKey]) -> String?
    ) throws -> (value: T, unknownKeys: [ReservoirError]) {
        let recorder = KeyRecorder()
        let value = try decoded(recorder, locate: locate) { try decodeYAML(T.self, from: text, recorder: recorder) }
        return (value, UnknownKeys.each(in: recorder, limit: .max).found.map { located(.invalid($0.field, "unknown key" + $0.suggestion), $0.path, locate) })
    }

    private static func decodeYAML<T: Decodable>(_ type: T.Type, from text: String, recorder: KeyRecorder) throws -> T {
        do {
            return try YAMLDecoder().decode(Strict<T>.self, from: text, userInfo: [.keyRecorder: recorder]).value
        } catch DecodingError.dataCorrupted(let context) {
            // Yams wraps its parser's error, which knows the line and column.
            guard let syntax = context.underlyingError as? YamlError else { throw DecodingError.dataCorrupted(context) }
            throw SyntaxErrors.yaml(syntax)
        }
    }

    /// Runs `decode`, then refuses unknown keys; errors get the position `locate` finds for their path.
    private static func strictly<T>(_ recorder: KeyRecorder, locate: ([any CodingKey]) -> String? = { _ in nil }, _ decode: () throws -> T) throws -> T {
        let value = try decoded(recorder, locate: locate, decode)
        if let unknown = UnknownKeys.error(in: recorder) { throw located(unknown.error, unknown.path, locate) }
        return value
    }

    /// Runs `decode`; a decoding error becomes a `ReservoirError` naming its field, where `locate` finds it.
    private static func decoded<T>(_ recorder: KeyRecorder, locate: ([any CodingKey]) -> String?, _ decode: () throws -> T) throws -> T {
        do {
            return try decode()
        } catch let error as DecodingError {
            // A required key is missing: if the object holds a misspelling of it, that is the real mistake.
            if case .keyNotFound(let key, let context) = error, let typo = UnknownKeys.misspelling(of: key.stringValue, at: context.codingPath, in: recorder) {
                throw located(typo.error, typo.path, locate)
            }
            throw located(DecodingErrors.reservoirError(error), DecodingErrors.codingPath(of: error), locate)
        }
    }

    private static func located(_ error: ReservoirError, _ path: [any CodingKey], _ locate: ([any CodingKey]) -> String?) -> ReservoirError {
        guard let position = locate(path) else { return error }
        return ReservoirError(error.code, field: error.field, "\(error.message) (\(position))")
    }
}

/// The top-level value, decoded through a `KeyRecordingDecoder` with the recorder the caller put in `userInfo`.
struct Strict<T: Decodable>: Decodable {
    var value: T
    init(from decoder: any Decoder) throws {
        let recorder = decoder.userInfo[.keyRecorder] as? KeyRecorder ?? KeyRecorder()
        value = try KeyRecordingDecoder.value(T.self, from: decoder, recorder: recorder)
    }
}

extension CodingUserInfoKey {
    static let keyRecorder = CodingUserInfoKey(rawValue: "reservoir.keyRecorder")!
}
