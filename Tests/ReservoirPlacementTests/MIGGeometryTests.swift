import Testing
@testable import ReservoirPlacement

@Suite struct MIGGeometryTests {
    struct Case: Sendable, CustomTestStringConvertible {
        var model: String
        /// Profiles placed one after another on one GPU.
        var sequence: [String]
        /// Expected start slice of each, nil where it no longer fits.
        var starts: [Int?]
        var testDescription: String { "\(model): \(sequence.joined(separator: ", "))" }
    }

    static let cases: [Case] = [
        Case(model: "A100-40GB", sequence: ["7g.40gb", "1g.5gb"], starts: [0, nil]),
        Case(model: "A100-40GB", sequence: ["3g.20gb", "3g.20gb", "1g.5gb"], starts: [0, 4, nil]),
        Case(model: "A100-40GB", sequence: ["4g.20gb", "3g.20gb"], starts: [0, 4]),
        Case(model: "A100-40GB", sequence: ["4g.20gb", "4g.20gb"], starts: [0, nil]),
        Case(model: "A100-40GB", sequence: ["1g.10gb", "1g.10gb", "1g.10gb", "1g.10gb", "1g.10gb"], starts: [0, 2, 4, 6, nil]),
        Case(model: "A100-80GB", sequence: ["2g.20gb", "2g.20gb", "2g.20gb", "2g.20gb", "1g.10gb"], starts: [0, 2, 4, nil, 6]),
        Case(model: "A100-80GB", sequence: ["1g.10gb+me", "1g.10gb+me", "1g.10gb"], starts: [0, nil, 1]),
        Case(model: "H100-80GB", sequence: ["1g.10gb", "3g.40gb", "3g.40gb"], starts: [0, 4, nil]),
        Case(model: "H100-80GB", sequence: Array(repeating: "1g.10gb", count: 8), starts: [0, 1, 2, 3, 4, 5, 6, nil]),
        Case(model: "H200", sequence: ["1g.18gb", "2g.35gb", "4g.71gb", "3g.71gb"], starts: [0, 2, nil, 4]),
        Case(model: "H200", sequence: ["7g.141gb", "7g.141gb"], starts: [0, nil]),
    ]

    @Test(arguments: cases)
    func placesByGeometry(_ c: Case) throws {
        var taken: UInt16 = 0
        for (name, expected) in zip(c.sequence, c.starts) {
            let profile = try #require(MIGGeometry.profile(name, model: c.model))
            let start = MIGGeometry.firstStart(of: profile, taken: taken)
            #expect(start == expected, "\(name)")
            if let start { taken |= profile.mask(at: start) }
        }
    }

    @Test func computeMilliNeverExceedsOneGPU() {
        for (_, profiles) in MIGGeometry.profiles {
            for p in profiles { #expect(p.milli * (7 / p.computeSlices) <= 1000) }
        }
    }

    @Test func placerTracksSlicesAndReleasesThem() throws {
        var state = ClusterState(nodes: [Fixture.node("m", model: "A100-80GB", gpus: 1, mig: true)])
        var placer = Placer(policy: "reservoir")!
        let pod = Fixture.pod(mig: "3g.40gb")
        guard case .placed(let first) = placer.place(pod, in: state) else { Issue.record("first 3g"); return }
        state.apply(first, for: pod)
        guard case .placed(let second) = placer.place(pod, in: state) else { Issue.record("second 3g"); return }
        #expect([first.migStartSlice, second.migStartSlice] == [0, 4])
        state.apply(second, for: pod)
        #expect(state.nodes[0].migSlices[0] == 0xFF)
        #expect(placer.place(pod, in: state) == .unschedulable([ResourceFitFilter.migGeometry: 1]))
        state.release(first, for: pod)
        #expect(state.nodes[0].migSlices[0] == 0xF0)
        #expect(state.nodes[0].gpuFree[0] == 1000 - MIGGeometry.profile("3g.40gb", model: "A100-80GB")!.milli)
    }
}
