import Foundation
import Geometry
import Model
import Projection
import Testing
@testable import Input

@Suite struct CaseFileReaderTests {
    private let header = "工单编号,受理时间,问题类型,事发地址,经度,纬度,坐标系,来源渠道,备注"

    private func read(_ text: String, defaultCRS: CRS = .wgs84) throws -> CaseFile {
        try CaseFileReader.parse(text: text, displayName: "in/cases.csv", defaultCRS: defaultCRS)
    }
    /// One data row under the Chinese header.
    private func one(_ row: String) throws -> CaseFile { try read(header + "\n" + row + "\n") }

    @Test func chineseHeaderRecord() throws {
        let file = try one("A1,2026-11-23 08:30,餐饮油烟,福华路12号,114.05,22.54,gcj02,12345热线,extra")
        #expect(file.rejects.isEmpty)
        #expect(file.rowCount == 1)
        #expect(file.header.count == 9)
        let r = try #require(file.records.first)
        #expect(r.file == "in/cases.csv")
        #expect(r.line == 2)
        #expect(r.id == "A1")
        #expect(r.day == Day(year: 2026, month: 11, day: 23))
        #expect(r.time == "08:30")
        #expect(r.category == "餐饮油烟")
        #expect(r.address == "福华路12号")
        #expect(r.rawCoordinate == Coordinate(114.05, 22.54))
        #expect(r.crs == .gcj02)
        #expect(r.coordinateProblem == nil)
        #expect(r.channel == "12345热线")
        #expect(r.fields == ["A1", "2026-11-23 08:30", "餐饮油烟", "福华路12号", "114.05", "22.54", "gcj02",
                             "12345热线", "extra"])
    }

    @Test func englishHeadersAnyCaseAnyOrder() throws {
        let file = try read(" LAT ,Channel,ID,Received_At,Category,Address,Lon\n22.5,web,E1,2026/1/5,noise,Main St,114.1\n")
        let r = try #require(file.records.first)
        #expect(r.id == "E1")
        #expect(r.day == Day(year: 2026, month: 1, day: 5))
        #expect(r.rawCoordinate == Coordinate(114.1, 22.5))
        #expect(r.category == "noise")
        #expect(r.address == "Main St")
        #expect(r.channel == "web")
        #expect(r.crs == nil)
    }

    @Test(arguments: [
        ("案件编号,来件时间,问题小类,投诉地址,来源", "案件编号"),
        ("受理编号,投诉时间,投诉类型,地址,渠道", "受理编号"),
        ("编号,立案时间,污染类型,地址,来源", "编号"),
        ("编号,立案时间,诉求类型,地址,来源,工单编号", "工单编号"),
    ] as [(String, String)])
    func headerAliases(header: String, idColumn: String) throws {
        let names = header.split(separator: ",").map(String.init)
        let row = names.map { $0 == idColumn ? "X9" : $0.hasSuffix("时间") ? "2026-11-23" : "v-\($0)" }
        let file = try read(header + "\n" + row.joined(separator: ",") + "\n")
        let r = try #require(file.records.first)
        #expect(r.id == "X9")
        #expect(r.category.hasPrefix("v-") && r.address.hasPrefix("v-") && r.channel.hasPrefix("v-"))
        #expect(r.rawCoordinate == nil)
    }

    @Test func headerWithBOMAndSpacesFromGB18030File() throws {
        let file = try CaseFileReader.read(url: InputFixtures.url("gb18030.csv"), displayName: "gb.csv")
        #expect(file.rowCount == 3)
        #expect(file.records.map(\.id) == ["GB001", "GB002", "GB003"])
        #expect(file.records[0].address == "深圳市福田区福华路１２号")
        #expect(file.records[0].time == "08:30")
        #expect(file.records[1].address == "华强北路,赛格广场")
        #expect(file.records[1].rawCoordinate == nil)
        #expect(file.records[2].category == "异味")
        #expect(file.records.map(\.line) == [2, 3, 4])
    }

    @Test func utf8WithBOMFile() throws {
        let text = "\u{FEFF}id,received_at,address\nB1,2026-11-23,路\n"
        let url = try InputFixtures.temporaryFile(Data(text.utf8))
        #expect(Array(try Data(contentsOf: url).prefix(3)) == [0xEF, 0xBB, 0xBF])
        let file = try CaseFileReader.read(url: url, displayName: "bom.csv")
        #expect(file.records.map(\.id) == ["B1"])
        #expect(file.header == ["id", "received_at", "address"])
    }

    @Test func quotedNewlinesKeepStartLines() throws {
        let text = header + "\r\nA1,2026-11-23,噪声,\"福华路\r\n12号\",,,,热线,\"备注,\n两行\"\r\n\r\nA2,2026-11-24,异味,路,,,,网络,\n"
        let file = try read(text)
        #expect(file.records.map(\.line) == [2, 6])
        #expect(file.records[0].address == "福华路\r\n12号")
    }

    // MARK: rejects

    @Test func raggedRows() throws {
        let file = try read(header + "\nA1,2026-11-23,噪声\nA2,2026-11-23,噪声,路,,,,热线,,多余\n")
        #expect(file.records.isEmpty)
        #expect(file.rejects.map(\.reason) == [.raggedRow, .raggedRow])
        #expect(file.rejects.map(\.line) == [2, 3])
        #expect(file.rejects[0].detail == "3 fields where the header has 9")
        #expect(file.rejects[0].id == "A1")
        #expect(file.rejects[0].fields == ["A1", "2026-11-23", "噪声"])
        #expect(file.rejects[0].file == "in/cases.csv")
    }

    @Test func unterminatedQuoteIsARejectedRow() throws {
        let file = try read(header + "\nA1,2026-11-23,噪声,路,,,,热线,\nA2,2026-11-23,噪声,\"路,,,,热线,\nA3,x\n")
        #expect(file.records.map(\.id) == ["A1"])
        let reject = try #require(file.rejects.first)
        #expect(file.rejects.count == 1)
        #expect(reject.reason == .raggedRow)
        #expect(reject.line == 3)
        #expect(reject.detail.contains("never closed"))
    }

    @Test func missingDate() throws {
        let file = try one("A1,  ,噪声,路,114,22,,热线,")
        #expect(file.rejects.map(\.reason) == [.missingDate])
        #expect(file.rejects[0].id == "A1")
        #expect(file.rejects[0].detail == "received_at is empty")
    }

    @Test func badDateWinsOverEverythingElse() throws {
        let file = try one(",2026-02-30,噪声,路,abc,,nonsense,热线,")
        #expect(file.rejects.map(\.reason) == [.badDate])
        #expect(file.rejects[0].detail.contains("day 30 does not exist"))
        #expect(file.rejects[0].fields.count == 9)
        #expect(file.records.isEmpty)
    }

    @Test func missingID() throws {
        let file = try one(" ,2026-11-23,噪声,路,,,,热线,")
        #expect(file.rejects.map(\.reason) == [.missingID])
        #expect(file.rejects[0].id == "")
        #expect(file.rejects[0].line == 2)
    }

    @Test func rejectsAndRecordsAddUp() throws {
        let rows = ["A1,2026-11-23,噪声,路,,,,热线,", "A2,,噪声,路,,,,热线,", ",2026-11-23,噪声,路,,,,热线,",
                    "A4,2026-13-01,噪声,路,,,,热线,", "A5,2026-11-23", "A6,2026-11-23,噪声,路,1,,,热线,"]
        let file = try read(header + "\n" + rows.joined(separator: "\n"))
        #expect(file.rowCount == 6)
        #expect(file.records.count + file.rejects.count == file.rowCount)
        #expect(file.records.map(\.id) == ["A1", "A6"])
        #expect(file.rejects.map(\.reason) == [.missingDate, .missingID, .badDate, .raggedRow])
        #expect(file.rejects.map(\.line) == [3, 4, 5, 6])
    }

    @Test func blankRowsAreNotCases() throws {
        let file = try read(header + "\nA1,2026-11-23,噪声,路,,,,热线,\n,,,,,,,,\n  ,\n")
        #expect(file.rowCount == 1)
        #expect(file.rejects.isEmpty)
    }

    // MARK: coordinates

    private func coordinates(_ lon: String, _ lat: String, crs: String = "",
                             defaultCRS: CRS = .wgs84) throws -> CaseRecord {
        let file = try read(header + "\nA1,2026-11-23,噪声,路,\(lon),\(lat),\(crs),热线,\n", defaultCRS: defaultCRS)
        return try #require(file.records.first)
    }

    @Test func noCoordinates() throws {
        let none = try coordinates("", "")
        #expect(none.rawCoordinate == nil && none.coordinateProblem == nil)
        let zero = try coordinates("0", "0.0")
        #expect(zero.rawCoordinate == nil && zero.coordinateProblem == nil)
        let noColumns = try #require(try read("id,received_at,address\nA,2026-11-23,路\n").records.first)
        #expect(noColumns.rawCoordinate == nil && noColumns.coordinateProblem == nil)
    }

    @Test func badCoordinates() throws {
        for (lon, lat) in [("114.05", ""), ("", "22.5"), ("abc", "22.5"), ("114.05", "nan"), ("0x72", "22"),
                           ("114°03′", "22.5")] {
            let r = try coordinates(lon, lat)
            #expect(r.coordinateProblem == .badCoordinates, "\(lon),\(lat)")
            #expect(r.rawCoordinate == nil)
            #expect(!r.coordinateProblemDetail.isEmpty)
        }
        #expect(try coordinates("114.05", "").coordinateProblemDetail == "lat is empty but lon is '114.05'")
    }

    @Test func outOfRangeForGeographicSystems() throws {
        let lon = try coordinates("214.05", "22.5")
        #expect(lon.coordinateProblem == .outOfRange)
        #expect(lon.coordinateProblemDetail.contains("lon 214.05"))
        let swapped = try coordinates("22.5", "114.05", crs: "bd09")
        #expect(swapped.coordinateProblem == .outOfRange)
        #expect(swapped.coordinateProblemDetail.contains("swapped"))
        #expect(try coordinates("-180", "-90", crs: "cgcs2000").coordinateProblem == nil)
        // Projected metres are not lon/lat: no range check, whether named in the row or by the run.
        let metres = try coordinates("38500000", "2500000", crs: "EPSG:4547")
        #expect(metres.coordinateProblem == nil)
        #expect(metres.crs == .epsg(4547))
        #expect(metres.rawCoordinate == Coordinate(38_500_000, 2_500_000))
        #expect(try coordinates("38500000", "2500000", defaultCRS: .epsg(4547)).coordinateProblem == nil)
        #expect(try coordinates("38500000", "2500000").coordinateProblem == .outOfRange)
    }

    @Test func unknownCRS() throws {
        let r = try coordinates("114.05", "22.5", crs: "mercator-ish")
        #expect(r.coordinateProblem == .unknownCRS)
        #expect(r.coordinateProblemDetail.contains("mercator-ish"))
        #expect(r.rawCoordinate == nil)
        #expect(try coordinates("114.05", "22.5", crs: " ").crs == nil, "an empty crs cell leaves the run's default")
        #expect(try coordinates("114.05", "22.5", crs: "WGS-84").crs == .wgs84)
    }

    @Test func fullWidthDigits() throws {
        let r = try coordinates("１１４．０５", "２２．５４")
        #expect(r.rawCoordinate == Coordinate(114.05, 22.54))
        let file = try one("A1,２０２６－１１－２３　０８：３０,噪声,路,,,,热线,")
        #expect(file.records.first?.day == Day(year: 2026, month: 11, day: 23))
        #expect(file.records.first?.time == "08:30")
    }

    // MARK: whole-file errors

    @Test func emptyAndBinaryFiles() throws {
        let empty = try InputFixtures.temporaryFile(Data())
        let e1 = #expect(throws: InputError.self) { try CaseFileReader.read(url: empty, displayName: "e.csv") }
        #expect(e1?.description == "e.csv: empty file")
        let png = try InputFixtures.temporaryFile(Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 0x0D]))
        let e2 = #expect(throws: InputError.self) { try CaseFileReader.read(url: png, displayName: "p.csv") }
        #expect(e2?.description == "p.csv: not a text file (binary data at byte 8)")
        let missing = InputFixtures.casesDirectory.appendingPathComponent("does-not-exist.csv")
        let e3 = #expect(throws: InputError.self) { try CaseFileReader.read(url: missing, displayName: "m.csv") }
        #expect(e3?.file == "m.csv")
    }

    @Test func blankTextHasNoHeader() {
        let error = #expect(throws: InputError.self) { try read("\n\r\n") }
        #expect(error?.message.contains("no header") == true)
    }

    @Test func noKnownHeaders() {
        let error = #expect(throws: InputError.self) { try read("name,when,where\na,b,c\n") }
        #expect(error?.file == "in/cases.csv")
        #expect(error?.location == "line 1")
        #expect(error?.message.contains("no known column") == true)
        #expect(error?.message.contains("received_at (received_at/受理时间") == true, "lists what it expected")
    }

    @Test func requiredColumns() {
        let noDate = #expect(throws: InputError.self) { try read("id,address\nA,路\n") }
        #expect(noDate?.message.hasPrefix("no received_at column (expected one of: received_at, 受理时间") == true)
        let noID = #expect(throws: InputError.self) { try read("受理时间,地址\n2026-11-23,路\n") }
        #expect(noID?.message.hasPrefix("no id column") == true)
        let halfCoords = #expect(throws: InputError.self) { try read("id,received_at,lon\nA,2026-11-23,1\n") }
        #expect(halfCoords?.message.contains("no lat column") == true)
    }
}
