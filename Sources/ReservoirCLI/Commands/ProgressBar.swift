import Foundation

/// A one-line progress bar on stderr, drawn only when stderr is a terminal so logs and pipes stay clean.
final class ProgressBar: @unchecked Sendable {
    private let total: Int
    private let label: String
    private let enabled = isatty(STDERR_FILENO) != 0
    private let lock = NSLock()
    private var done = 0

    init(total: Int, label: String) {
        self.total = total
        self.label = label
        draw()
    }

    func advance() {
        lock.withLock { done += 1 }
        draw()
    }

    func finish() {
        guard enabled else { return }
        FileHandle.standardError.write(Data("\r\u{1B}[2K".utf8))
    }

    private func draw() {
        guard enabled, total > 0 else { return }
        let n = lock.withLock { done }
        let width = 30
        let filled = width * n / total
        let bar = String(repeating: "█", count: filled) + String(repeating: "·", count: width - filled)
        FileHandle.standardError.write(Data("\r\(label) [\(bar)] \(n)/\(total) runs".utf8))
    }
}
