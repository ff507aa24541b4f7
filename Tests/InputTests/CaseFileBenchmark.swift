import Foundation
import Model
import Testing
@testable import Input
#if canImport(Glibc)
import Glibc
#endif

/// A measurement, not a timed test: it runs only when RISKMAP_BENCH_FILE names a cases file, e.g.
///   python3 scripts/oracles/make_bench_cases.py /tmp/cases-1m.csv 1000000
///   RISKMAP_BENCH_FILE=/tmp/cases-1m.csv swift test -c release --filter CaseFileBenchmark
@Suite struct CaseFileBenchmark {
    static let path = ProcessInfo.processInfo.environment["RISKMAP_BENCH_FILE"]

    @Test(.enabled(if: path != nil)) func readLargeFile() throws {
        let url = URL(fileURLWithPath: Self.path!)
        let cpuStart = Self.cpuSeconds()
        let start = Date()
        let file = try CaseFileReader.read(url: url, displayName: url.lastPathComponent)
        let seconds = Date().timeIntervalSince(start)
        let cpu = Self.cpuSeconds() - cpuStart
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        let rate = Double(file.rowCount) / seconds
        print("""
            benchmark: \(file.rowCount) rows (\(file.records.count) records, \(file.rejects.count) rejects) \
            in \(String(format: "%.2f", seconds)) s = \(Int(rate)) rows/s (CPU \(String(format: "%.2f", cpu)) s); \
            max RSS \(usage.ru_maxrss / 1024) MB
            """)
        #expect(file.rowCount > 0)
    }

    /// User + system time of the process, less sensitive than wall time to other jobs on a shared machine.
    static func cpuSeconds() -> Double {
        var u = rusage()
        getrusage(RUSAGE_SELF.rawValue, &u)
        func s(_ t: timeval) -> Double { Double(t.tv_sec) + Double(t.tv_usec) / 1e6 }
        return s(u.ru_utime) + s(u.ru_stime)
    }
}

extension CaseFileBenchmark {
    @Test(.enabled(if: path != nil)) func phases() throws {
        let url = URL(fileURLWithPath: Self.path!)
        var t = Date()
        func lap(_ name: String) { print("phase \(name): \(String(format: "%.2f", Date().timeIntervalSince(t))) s"); t = Date() }
        let data = try Data(contentsOf: url)
        lap("read")
        let text = try TextDecoding.decode(data, file: "x")
        lap("decode")
        var n = 0
        CSVReader.forEachRow(in: text) { _ in n += 1 }
        lap("csv \(n)")
        print("record size \(MemoryLayout<CaseRecord>.size) stride \(MemoryLayout<CaseRecord>.stride)")
    }
}
