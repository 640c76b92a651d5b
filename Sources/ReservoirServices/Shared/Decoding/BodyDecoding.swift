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
        return try strictly(recorder, locate: { YAMLPosition.of($0, in: text) }) {
            do {
                return try YAMLDecoder().decode(Strict<T>.self, from: text, userInfo: [.keyRecorder: recorder]).value
            } catch DecodingError.dataCorrupted(let context) {
                // Yams wraps its parser's error, which knows the line and column.
                guard let syntax = context.underlyingError as? YamlError else { throw DecodingError.dataCorrupted(context) }
                throw SyntaxErrors.yaml(syntax)
            }
        }
    }

    /// Runs `decode`, then refuses unknown keys; errors get the position `locate` finds for their path.
    private static func strictly<T>(_ recorder: KeyRecorder, locate: ([any CodingKey]) -> String? = { _ in nil }, _ decode: () throws -> T) throws -> T {
        func located(_ error: ReservoirError, _ path: [any CodingKey]) -> ReservoirError {
            guard let position = locate(path) else { return error }
            return ReservoirError(error.code, field: error.field, "\(error.message) (\(position))")
        }
        let value: T
        do {
            value = try decode()
        } catch let error as DecodingError {
            // A required key is missing: if the object holds a misspelling of it, that is the real mistake.
            if case .keyNotFound(let key, let context) = error, let typo = UnknownKeys.misspelling(of: key.stringValue, at: context.codingPath, in: recorder) {
                throw located(typo.error, typo.path)
            }
            throw located(DecodingErrors.reservoirError(error), DecodingErrors.codingPath(of: error))
        }
        if let unknown = UnknownKeys.error(in: recorder) { throw located(unknown.error, unknown.path) }
        return value
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
