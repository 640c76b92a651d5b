/// One MIG GPU-instance profile of one GPU model: how many compute slices it has, how many memory
/// slices it covers, and at which memory-slice indices such a run may start. Source: the tables in
/// `shared/data/mig-profiles.md` (NVIDIA MIG user guide, mig-parted, real `nvidia-smi mig -lgipp`).
public struct MIGProfile: Sendable, Hashable {
    public let name: String
    public let computeSlices: Int
    public let memorySlices: Int
    /// Valid first memory slices, in the order `nvidia-smi` lists them.
    public let starts: [Int]
    /// `+me` profiles own the GPU's single media extension, so at most one per GPU.
    public let mediaExtension: Bool

    public init(_ name: String, compute: Int, memory: Int, starts: [Int], mediaExtension: Bool = false) {
        self.name = name
        self.computeSlices = compute
        self.memorySlices = memory
        self.starts = starts
        self.mediaExtension = mediaExtension
    }

    /// The share of the GPU the instance takes in milli-GPU: its compute slices out of seven, so a
    /// full `7g` instance is exactly 1000 and smaller ones never sum past it.
    public var milli: Int { computeSlices == 7 ? 1000 : computeSlices * 1000 / 7 }

    /// Bit mask of the memory slices the instance covers when it starts at `start` (plus bit 8 for `+me`).
    public func mask(at start: Int) -> UInt16 {
        let run = UInt16((1 << memorySlices) - 1) << UInt16(start)
        return mediaExtension ? run | MIGGeometry.mediaExtensionBit : run
    }
}
