/// How the agent looks at a node: which nvidia-smi commands it runs, and how a saved capture
/// (a capture file of several commands, an `-q -x` XML file, or a DCGM `/metrics` page) stands in
/// for them in tests and demos.
public enum NodeProbe {
    /// The CSV query the agent runs (no header, no units: the fields are its own).
    public static let query = ["--query-gpu=" + NvidiaSMIQueryCSV.agentFields.joined(separator: ","), "--format=csv,noheader,nounits"]
    public static let list = ["-L"]
    public static let topology = ["topo", "-m"]
    public static let details = ["-q"]

    /// A snapshot from the four outputs (each optional but the query; `-L`, `-q` and `topo -m` add MIG
    /// profiles, MIG instances and links).
    public static func snapshot(query: String, list: String?, details: String?, topology: String?, queryHasHeader: Bool = false) throws(ParseError) -> NodeSnapshot {
        var sources = [try NvidiaSMIQueryCSV.parse(query, fields: queryHasHeader ? nil : NvidiaSMIQueryCSV.agentFields)]
        if let list { sources.append(try NvidiaSMIList.parse(list)) }
        if let details { sources.append(try NvidiaSMIQueryText.parse(details)) }
        return NodeSnapshot(sources: sources, topology: try topology.map { text throws(ParseError) in try NvidiaSMITopology.parse(text) } ?? [])
    }

    /// A snapshot from a saved file, by its kind: XML (`nvidia-smi -q -x`), a DCGM `/metrics` page
    /// (the first host on it), or a capture file (its loaded state when it has one, else the last).
    public static func snapshot(capture text: String) throws(ParseError) -> NodeSnapshot {
        let head = text.prefix(200)
        if head.contains("<?xml") || head.contains("<nvidia_smi_log") {
            return NodeSnapshot(sources: [try NvidiaSMIXML.parse(text)])
        }
        if head.hasPrefix("# HELP") || head.hasPrefix("DCGM_") {
            let page = try DCGMMetrics.parse(text)
            return NodeSnapshot(sources: [DCGMMetrics.readings(page, hostname: page.devices.first?.hostname)])
        }
        let sections = CaptureFile.sections(text)
        let state = sections.contains { $0.title.hasPrefix("load ::") } ? "load" : nil
        guard let query = CaptureFile.output(commandPrefix: "nvidia-smi --query-gpu=", state: state, in: sections) else {
            throw ParseError("capture", "no nvidia-smi --query-gpu section")
        }
        return try snapshot(
            query: query, list: CaptureFile.outputs(of: "nvidia-smi -L", in: sections).last,
            details: CaptureFile.output(commandPrefix: "nvidia-smi -q", state: state, in: sections),
            topology: CaptureFile.outputs(of: "nvidia-smi topo -m", in: sections).last, queryHasHeader: true)
    }
}
