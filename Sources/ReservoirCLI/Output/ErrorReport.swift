import ArgumentParser
import Foundation
import ReservoirComposition

/// A failure the CLI explains in one line: what it could not do, and what to do about it.
enum CLIError: Error, CustomStringConvertible {
    /// The server could not be reached at all (refused, unknown host, timed out).
    case unreachable(server: String, reason: String)
    /// The server answered with a body the CLI cannot read as the type it expects (a different
    /// server version, or a proxy's page): `request` is `GET /v1/jobs`, `reason` names the field.
    case unexpectedReply(request: String, reason: String)

    var description: String {
        switch self {
        case .unreachable(let server, let reason):
            "cannot connect to \(server) (\(reason)); is the server running? set RESERVOIR_SERVER or --server"
        case .unexpectedReply(let request, let reason):
            "the server's reply to \(request) did not match the expected shape: \(reason)"
        }
    }
}

/// Turns the errors commands throw into the one line `reservoir: …` on stderr; usage errors are
/// left to ArgumentParser, which prints them with the command's usage.
enum ErrorReport {
    /// The line for an operational error, or nil for errors ArgumentParser reports itself.
    static func line(for error: any Error) -> String? {
        switch error {
        case let failure as APIClient.Failure: failure.description
        case let failure as CLIError: failure.description
        case let settings as SettingsError: settings.description
        case let startup as StartupError: startup.description
        case let file as CocoaError where file.isFileError: fileLine(file)
        default: nil
        }
    }

    /// `cannot read examples/nope.yaml: no such file`, with the path as the user wrote it when it lies below the working directory.
    static func fileLine(_ error: CocoaError) -> String {
        let verb = switch error.code.rawValue {
        case 256..<512: "read"
        case 512..<1024: "write"
        default: "open"
        }
        var path = error.filePath ?? error.url?.path ?? "a file"
        let here = FileManager.default.currentDirectoryPath + "/"
        if path.hasPrefix(here) { path.removeFirst(here.count) }
        return "cannot \(verb) \(path): \(reason(error, path: path))"
    }

    private static func reason(_ error: CocoaError, path: String) -> String {
        switch error.code {
        case .fileNoSuchFile, .fileReadNoSuchFile: return "no such file"
        case .fileReadNoPermission, .fileWriteNoPermission: return "permission denied"
        case .fileReadInapplicableStringEncoding, .fileReadCorruptFile: return "not UTF-8 text"
        case .fileWriteOutOfSpace: return "no space left on the device"
        default: break
        }
        if let underlying = error.userInfo[NSUnderlyingErrorKey] as? any Error {
            let posix = underlying as NSError
            if posix.domain == NSPOSIXErrorDomain { return String(cString: strerror(Int32(posix.code))).lowercased() }
        }
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue { return "is a directory" }
        return error.localizedDescription
    }

    /// Writes the line and exits 1, or hands the error to ArgumentParser (usage errors, help, exit codes).
    static func exit(with error: any Error) -> Never {
        guard let line = line(for: error) else { ReservoirCommand.exit(withError: error) }
        FileHandle.standardError.write(Data("reservoir: \(line)\n".utf8))
        Foundation.exit(1)
    }
}
