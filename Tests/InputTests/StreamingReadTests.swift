import Foundation
import Testing
@testable import Input
import Model

/// The block-by-block readers (issue 16: memory bounded as cases grow) against the whole-text ones.
@Suite struct StreamingReadTests {
    /// The demo district's cases: UTF-8 and GB18030, with rows the reader rejects.
    private let demo = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("boundaries/demo")

    private func file(_ bytes: [UInt8]) throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("stream-\(UUID().uuidString).csv")
        try Data(bytes).write(to: url)
        return url
    }

    private func streamed(_ url: URL, skipping: Int = 0, blockSize: Int) throws -> [CSVRow] {
        var rows: [CSVRow] = []
        try CSVReader.forEachRow(inFile: url, skipping: skipping, file: "t.csv", blockSize: blockSize) { rows.append($0) }
        return rows
    }

    /// Every block size from 1 byte up, so that a block ends at every position: inside a quoted field
    /// with line breaks, between CR and LF, inside a multi-byte character, on blank lines.
    @Test func rowsAndLinesAreThoseOfTheWholeText() throws {
        let texts = [
            "h1,h2\n\"a\nb\nc\",x\n\nnext,\"y\r\nz\"\r\nlast,1",
            "id,addr\r\n1,\"福华路,12号\"\r\n2,\"say \"\"hi\"\"\"\r\n3,\"two\r\nlines\"\r\n\r\n",
            "a,b\n\n\n1,2\n3,\"open quote\nto the end",
            "a\rb\rc,d\n",
            "x,y\n\"ab\"cd,e\nf\"g,h\n,,\n",
        ]
        for text in texts {
            let url = try file(Array(text.utf8))
            defer { try? FileManager.default.removeItem(at: url) }
            let whole = CSVReader.rows(in: text)
            for blockSize in [1, 2, 3, 5, 7, 11, 64, 1 << 20] {
                #expect(try streamed(url, blockSize: blockSize) == whole, "block size \(blockSize): \(text.debugDescription)")
            }
        }
    }

    @Test func scanFindsTheBOMAndCountsLines() throws {
        let url = try file([0xEF, 0xBB, 0xBF] + Array("id,日期\n1,2\n".utf8))
        defer { try? FileManager.default.removeItem(at: url) }
        let scan = try #require(TextDecoding.scanFile(url, blockSize: 4))
        #expect(scan.bomLength == 3)
        #expect(scan.lineFeeds == 2)
        #expect(try streamed(url, skipping: 3, blockSize: 5).map(\.fields) == [["id", "日期"], ["1", "2"]])
    }

    /// What is not plain UTF-8 is left to the whole-file decoder, which reads GB18030 and names what is wrong.
    @Test func scanLeavesOtherFilesToTheDecoder() throws {
        let gbk: [UInt8] = Array("id,addr\n1,".utf8) + [0xB8, 0xA3, 0xCC, 0xEF] + [0x0A]  // 福田
        for bytes in [gbk, [], [0xFF, 0xFE, 0x41, 0x00], Array("a,b\n".utf8) + [0, 0x0A]] {
            let url = try file(bytes)
            defer { try? FileManager.default.removeItem(at: url) }
            #expect(TextDecoding.scanFile(url, blockSize: 3) == nil)
        }
    }

    /// The streaming read of a cases file gives what the whole-text parse gives, for UTF-8 and GB18030.
    @Test func caseFilesReadAsBefore() throws {
        for name in ["cases.csv", "cases-gb18030.csv"] {
            let url = demo.appendingPathComponent(name)
            #expect((TextDecoding.scanFile(url) != nil) == (name == "cases.csv"), "UTF-8 is read a block at a time")
            let read = try CaseFileReader.read(url: url, displayName: name)
            let text = try TextDecoding.decode(Data(contentsOf: url), file: name)
            let parsed = try CaseFileReader.parse(text: text, displayName: name)
            #expect(read.records == parsed.records, "\(name)")
            #expect(read.rejects == parsed.rejects, "\(name)")
            #expect(read.header == parsed.header && read.rowCount == parsed.rowCount, "\(name)")
            #expect(!read.records.isEmpty)
        }
    }

    /// A run keeps no fields of its records; the rows it rejects get theirs from the file again.
    @Test func fieldsOfRowsAreReadAgainByLine() throws {
        for name in ["cases.csv", "cases-gb18030.csv"] {
            let url = demo.appendingPathComponent(name)
            let read = try CaseFileReader.read(url: url, displayName: name)
            let lines = Set(read.records.map(\.line).prefix(3))
            let again = try CaseFileReader.fields(at: lines, url: url, displayName: name)
            #expect(again.count == lines.count)
            for r in read.records where lines.contains(r.line) {
                #expect(again[r.line] == r.fields, "\(name) line \(r.line)")
                #expect(r.withoutFields.fields.isEmpty && r.withoutFields.id == r.id)
            }
        }
    }
}
