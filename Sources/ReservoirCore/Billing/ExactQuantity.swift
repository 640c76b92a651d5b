import Foundation

/// A sum of milli-GPU × milliseconds, exact and cheap: whole numbers are added as `Int64` (one session's
/// month fits many times over) and moved into a `Decimal` only when the next one would overflow, so
/// billing adds integers per session and makes one decimal per invoice line. (`Int128` would do, but is
/// not available on every platform the package builds for.)
struct ExactQuantity: Hashable, Sendable {
    private var carried = Decimal(0)
    private var running: Int64 = 0

    init() {}

    /// `gpuMilli` held for `milliseconds`.
    init(milliseconds: Int64, gpuMilli: Int) {
        self.init()
        add(milliseconds: milliseconds, gpuMilli: gpuMilli)
    }

    mutating func add(milliseconds: Int64, gpuMilli: Int) {
        let (product, overflow) = milliseconds.multipliedReportingOverflow(by: Int64(gpuMilli))
        if overflow {
            carried += Decimal(milliseconds) * Decimal(gpuMilli)
        } else {
            add(product)
        }
    }

    static func += (sum: inout ExactQuantity, other: ExactQuantity) {
        sum.carried += other.carried
        sum.add(other.running)
    }

    private mutating func add(_ value: Int64) {
        let (total, overflow) = running.addingReportingOverflow(value)
        if overflow {
            carried += Decimal(running)
            running = value
        } else {
            running = total
        }
    }

    var value: Decimal { carried + Decimal(running) }
}
