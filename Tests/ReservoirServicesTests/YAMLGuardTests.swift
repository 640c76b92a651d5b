import ReservoirCore
import ReservoirServices
import Testing

/// The guard in front of every YAML parse: anchors and aliases are refused wherever libyaml could
/// read them as tokens; ordinary job files and inventories pass.
@Suite("YAML guard")
struct YAMLGuardTests {
    static let billionLaughs = """
        l0: &l0 lol
        l1: &l1 [*l0,*l0,*l0,*l0,*l0,*l0,*l0,*l0,*l0]
        l2: &l2 [*l1,*l1,*l1,*l1,*l1,*l1,*l1,*l1,*l1]
        l3: &l3 [*l2,*l2,*l2,*l2,*l2,*l2,*l2,*l2,*l2]
        l4: &l4 [*l3,*l3,*l3,*l3,*l3,*l3,*l3,*l3,*l3]
        l5: &l5 [*l4,*l4,*l4,*l4,*l4,*l4,*l4,*l4,*l4]
        l6: &l6 [*l5,*l5,*l5,*l5,*l5,*l5,*l5,*l5,*l5]
        l7: &l7 [*l6,*l6,*l6,*l6,*l6,*l6,*l6,*l6,*l6]
        l8: &l8 [*l7,*l7,*l7,*l7,*l7,*l7,*l7,*l7,*l7]
        ? *l8 : 1

        """

    @Test("ordinary YAML passes, including text with & and * that cannot be a token")
    func ordinaryYAMLPasses() throws {
        for text in [
            "name: train\npool: p1\nrequest: {gpus: 2, models: \"A100|H100\"}\n",
            "name: a*b\ncommand: make && run 2>&1 > out.log\nnote: ls *.txt & wait\n",
            "labels: {zone: a}\ntaints: [{key: dedicated, value: infer}]\n",
            "name: \"*star\"\nother: '&amp'\n",
        ] {
            try YAMLGuard.check(text)
        }
    }

    @Test("anchors and aliases are refused wherever libyaml could read one, naming line and column")
    func anchorsAndAliasesAreRefused() {
        let cases: [(String, String)] = [
            (Self.billionLaughs, "line 1, column 5"),
            ("a: 1\nb: *x\n", "line 2, column 4"),
            ("a: [1,*x]\n", "line 1, column 7"),
            ("a: {?*x : 1}\n", "line 1, column 6"),
            ("{\"a\":&x 1}\n", "line 1, column 6"),
            ("- &x\n", "line 1, column 3"),
            ("\u{FEFF}&x a: 1\n", "line 1, column 4"),
            ("a: 1\u{2028}*x : 2\n", "line 2, column 1"),
            ("a: 1\r\n\t*x: 2\n", "line 2, column 2"),
            // Inside what looks like a string: refused too (a guess about where strings end is
            // what an attacker would exploit).
            ("a: \"x *y\"\n", "line 1, column 7"),
        ]
        for (text, position) in cases {
            do {
                try YAMLGuard.check(text)
                Issue.record("accepted \(text.debugDescription)")
            } catch {
                #expect(error.field == "body")
                #expect(error.message.contains(position), "\(text.debugDescription): \(error.message)")
            }
        }
    }

    @Test("a body over 512 KiB is refused before parsing")
    func sizeIsBounded() {
        #expect(throws: ReservoirError.self) { try YAMLGuard.check(String(repeating: "a: 1\n", count: 300_000)) }
    }

    @Test("a cluster description with an alias is refused before Yams sees it")
    func clusterDescriptionIsGuarded() {
        #expect(throws: ReservoirError.self) { try ClusterDescription.parse(yaml: Self.billionLaughs) }
    }
}
