import ReservoirCore
import ReservoirForecasting

/// The API's identifiers and enumerations show in tables as they are written on the wire.
extension Identifier: CellValue { var cell: String { rawValue } }
extension JobState: CellValue {}
extension PriorityClass: CellValue {}
extension NodeState: CellValue {}
extension DeviceState: CellValue {}
extension DeviceKind: CellValue {}
extension EngineKind: CellValue {}
extension PoolPurpose: CellValue {}
extension GPUSharingMode: CellValue {}
extension DeviceClass: CellValue {}
extension PriceClass: CellValue {}
extension CapacityRecommendation.Action: CellValue {}
extension FulfilmentStep.Kind: CellValue {}
