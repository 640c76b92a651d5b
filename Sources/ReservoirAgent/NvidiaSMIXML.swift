import Foundation
import ReservoirCore
#if canImport(FoundationXML)
import FoundationXML
#endif

/// `nvidia-smi -q -x`: the report as XML (DTD `nvsmi_device_v12` and older). One `<gpu>` element per
/// GPU in index order; MIG devices under `<mig_devices>` (instance ids and memory, no profile names:
/// `-L` names them); power under `<gpu_power_readings>` (v12) or `<power_readings>` (older).
public enum NvidiaSMIXML {
    /// An element: its name, text and children, in order.
    public struct Element: Hashable, Sendable {
        public var name: String
        public var attributes: [String: String]
        public var text: String
        public var children: [Element]

        public func child(_ name: String) -> Element? { children.first { $0.name == name } }
        public func all(_ name: String) -> [Element] { children.filter { $0.name == name } }
        /// The text at `path` below this element, nil when absent or `N/A`.
        public func value(_ path: String...) -> String? {
            var element: Element? = self
            for name in path { element = element?.child(name) }
            return element.flatMap { Values.text($0.text) }
        }
    }

    public static func document(_ text: String) throws(ParseError) -> Element {
        let builder = TreeBuilder()
        let parser = XMLParser(data: Data(text.utf8))
        parser.delegate = builder
        // The DTD is named but not shipped; nothing external is fetched.
        parser.shouldResolveExternalEntities = false
        guard parser.parse(), let root = builder.root else {
            throw ParseError("nvidia-smi -q -x", parser.parserError.map { "\($0.localizedDescription) at line \(parser.lineNumber)" } ?? "no document")
        }
        return root
    }

    public static func parse(_ text: String) throws(ParseError) -> [GPUReading] {
        let root = try document(text)
        guard root.name == "nvidia_smi_log" else { throw ParseError("nvidia-smi -q -x", "the root is <\(root.name)>, not <nvidia_smi_log>") }
        return root.all("gpu").enumerated().map { index, gpu in
            let power = gpu.value("gpu_power_readings", "power_draw") ?? gpu.value("gpu_power_readings", "instant_power_draw")
                ?? gpu.value("gpu_power_readings", "average_power_draw") ?? gpu.value("power_readings", "power_draw")
            // v12 counts by memory kind; older DTDs count double-bit errors.
            let ecc = ["dram_uncorrectable", "sram_uncorrectable"].compactMap { Values.integer(gpu.value("ecc_errors", "volatile", $0)) }
                .reduce(nil as Int?) { ($0 ?? 0) + $1 } ?? Values.integer(gpu.value("ecc_errors", "volatile", "double_bit", "total"))
            let mig = gpu.child("mig_devices")?.all("mig_device").map { device in
                MIGInstance(
                    gpuInstance: Values.integer(device.value("gpu_instance_id")), computeInstance: Values.integer(device.value("compute_instance_id")),
                    memoryMiB: Values.integer(device.value("fb_memory_usage", "total")), memoryUsedMiB: Values.integer(device.value("fb_memory_usage", "used")))
            } ?? []
            return GPUReading(
                index: index, uuid: gpu.value("uuid"), name: gpu.value("product_name"),
                memoryTotalMiB: Values.integer(gpu.value("fb_memory_usage", "total")), memoryUsedMiB: Values.integer(gpu.value("fb_memory_usage", "used")),
                gpuUtilPercent: Values.number(gpu.value("utilization", "gpu_util")), powerWatts: Values.number(power),
                temperatureCelsius: Values.number(gpu.value("temperature", "gpu_temp")), migEnabled: Values.flag(gpu.value("mig_mode", "current_mig")),
                migInstances: mig, eccUncorrected: ecc)
        }
    }

    /// Builds the element tree from the parser's callbacks.
    private final class TreeBuilder: NSObject, XMLParserDelegate {
        var stack: [Element] = []
        var root: Element?

        func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?, attributes: [String: String] = [:]) {
            stack.append(Element(name: name, attributes: attributes, text: "", children: []))
        }

        func parser(_ parser: XMLParser, foundCharacters string: String) {
            guard !stack.isEmpty else { return }
            stack[stack.count - 1].text += string
        }

        func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
            guard var element = stack.popLast() else { return }
            element.text = element.text.trimmingCharacters(in: .whitespacesAndNewlines)
            if stack.isEmpty { root = element } else { stack[stack.count - 1].children.append(element) }
        }
    }
}
