import Foundation
@testable import ReservoirCLI
import Testing

/// `reservoir forecast backtest --csv` reads one column of an hourly CSV: a NaN, an infinity, a word or an
/// empty cell is refused naming the line and the column, never forecast (issue 19, "Bad input").
@Suite("Forecast CSV input")
struct ForecastCSVTests {
    static func file(_ text: String) throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("forecast-csv-\(UUID().uuidString).csv").path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    @Test("numbers are read in order")
    func readsTheColumn() throws {
        let path = try Self.file("hour_index,gpu_in_use\n0,1.5\n1,-2\n2,3\n")
        defer { try? FileManager.default.removeItem(atPath: path) }
        #expect(try HourlyCSV.column("gpu_in_use", inFile: path) == [1.5, -2, 3])
    }

    @Test("NaN, infinity, a word or an empty cell is an error naming the line")
    func refusesNonNumbers() throws {
        for bad in ["nan", "NaN", "inf", "-infinity", "abc", ""] {
            let path = try Self.file("hour_index,gpu_in_use\n0,1.5\n1,\(bad)\n2,3\n")
            defer { try? FileManager.default.removeItem(atPath: path) }
            #expect {
                try HourlyCSV.column("gpu_in_use", inFile: path)
            } throws: { error in
                "\(error)".contains("line 3") && "\(error)".contains("gpu_in_use")
            }
        }
    }

    @Test("an unknown column is an error listing the columns")
    func refusesAnUnknownColumn() throws {
        let path = try Self.file("hour_index,gpu_in_use\n0,1.5\n")
        defer { try? FileManager.default.removeItem(atPath: path) }
        #expect {
            try HourlyCSV.column("gpu_arrived", inFile: path)
        } throws: { error in
            "\(error)".contains("gpu_in_use")
        }
    }
}
