import ReservoirCore
import Testing

/// A job's command is bounded and well-formed, and every refusal names the submission field.
@Suite struct JobCommandTests {
    private func field(_ command: JobCommand) -> String? {
        do {
            try command.validate()
            return nil
        } catch {
            return error.field
        }
    }

    @Test("well-formed commands and scripts pass")
    func valid() throws {
        try JobCommand(argv: ["python", "train.py"], args: ["--epochs", "3"], env: ["EPOCHS": "3", "_x1": ""], workingDirectory: "/home/a").validate()
        try JobCommand(script: "echo hello; exit 3", image: "nvcr.io/nvidia/pytorch:24.01-py3").validate()
    }

    @Test("refusals name the field")
    func refusals() {
        let L = JobCommand.Limits.self
        #expect(field(JobCommand()) == "command")
        #expect(field(JobCommand(argv: ["a"], script: "b")) == "script")
        #expect(field(JobCommand(argv: [])) == "command")
        #expect(field(JobCommand(argv: [""])) == "command")
        #expect(field(JobCommand(script: "")) == "script")
        #expect(field(JobCommand(script: String(repeating: "x", count: L.scriptBytes + 1))) == "script")
        // Bytes, not characters: combining marks count.
        #expect(field(JobCommand(script: "a" + String(repeating: "\u{301}", count: L.scriptBytes / 2))) == "script")
        #expect(field(JobCommand(argv: ["a", String(repeating: "b", count: L.argumentBytes + 1)])) == "command[1]")
        #expect(field(JobCommand(argv: ["a"], args: Array(repeating: "x", count: L.arguments))) == "args")
        #expect(field(JobCommand(argv: ["a"], args: ["ok", "nul\u{0}"])) == "args[1]")
        let many = Dictionary(uniqueKeysWithValues: (0...L.envEntries).map { ("V\($0)", "x") })
        #expect(field(JobCommand(argv: ["a"], env: many)) == "env")
        #expect(field(JobCommand(argv: ["a"], env: ["1BAD": "x"])) == "env")
        #expect(field(JobCommand(argv: ["a"], env: ["A-B": "x"])) == "env")
        #expect(field(JobCommand(argv: ["a"], env: ["SLURM_JOB_ID": "1"])) == "env.SLURM_JOB_ID")
        #expect(field(JobCommand(argv: ["a"], env: ["BIG": String(repeating: "x", count: L.envValueBytes + 1)])) == "env.BIG")
        #expect(field(JobCommand(argv: ["a"], workingDirectory: "relative/dir")) == "workingDirectory")
        #expect(field(JobCommand(argv: ["a"], workingDirectory: "/a\nb")) == "workingDirectory")
        #expect(field(JobCommand(argv: ["a"], image: "bad image")) == "image")
        #expect(field(JobCommand(argv: ["a"], image: "-flag")) == "image")
    }

    @Test("a job validates its command")
    func jobValidatesCommand() {
        var job = Job(id: "j", name: "n", tenant: "t", submittedBy: "u", request: ResourceRequest(gpus: 1))
        job.command = JobCommand(argv: ["a"], env: ["RESERVOIR_JOB": "x"])
        #expect(throws: ReservoirError.self) { try job.validate() }
    }
}
