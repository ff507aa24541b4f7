import Foundation
import Model
import Testing
@testable import Input

@Suite struct TextDecodingTests {
    @Test func plainUTF8() throws {
        let (text, encoding) = try TextDecoding.decodeReporting(Data("id,地址\n1,福华路\n".utf8), file: "a.csv")
        #expect(text == "id,地址\n1,福华路\n")
        #expect(encoding == .utf8)
    }

    @Test func utf8BOMIsDropped() throws {
        let data = Data([0xEF, 0xBB, 0xBF] + Array("编号,地址\n".utf8))
        let (text, encoding) = try TextDecoding.decodeReporting(data, file: "a.csv")
        #expect(text == "编号,地址\n")
        #expect(text.unicodeScalars.first == "编")
        #expect(encoding == .utf8BOM)
    }

    /// The fixture was encoded by Python's codec (scripts/oracles/make_case_fixtures.py), not by iconv.
    @Test func gb18030FixtureFromPython() throws {
        let data = try Data(contentsOf: InputFixtures.url("gb18030.csv"))
        #expect(String(data: data, encoding: .utf8) == nil, "the fixture must not be valid UTF-8")
        let (text, encoding) = try TextDecoding.decodeReporting(data, file: "gb.csv")
        #expect(encoding == .gb18030)
        #expect(text.hasPrefix("工单编号,受理时间,问题类型,事发地址,经度,纬度,来源渠道\r\n"))
        #expect(text.contains("深圳市福田区福华路１２号"))
        #expect(text.contains("𠀀字测试路"), "4-byte GB18030 sequences decode")
    }

    @Test func gbkBytesWrittenByHand() throws {
        // "噪声" in GBK (and so GB18030): D4 EB C9 F9.
        let data = Data(Array("a,".utf8) + [0xD4, 0xEB, 0xC9, 0xF9] + [0x0A])
        #expect(try TextDecoding.decode(data, file: "x.csv") == "a,噪声\n")
    }

    @Test func emptyFileIsAnError() {
        let error = #expect(throws: InputError.self) { try TextDecoding.decode(Data(), file: "empty.csv") }
        #expect(error?.file == "empty.csv")
        #expect(error?.message == "empty file")
    }

    @Test func nulBytesMeanBinary() {
        let data = Data(Array("id,date\n".utf8) + [0x89, 0x00, 0x01])
        let error = #expect(throws: InputError.self) { try TextDecoding.decode(data, file: "img.csv") }
        #expect(error?.description == "img.csv: not a text file (binary data at byte 9)")
    }

    @Test func undecodableBytesMeanBinary() {
        // 0xFF is neither UTF-8 nor a GB18030 lead byte.
        let data = Data(Array("id\n".utf8) + [0xFF, 0xFF, 0x41])
        let error = #expect(throws: InputError.self) { try TextDecoding.decode(data, file: "b.csv") }
        #expect(error?.file == "b.csv")
        #expect(error?.message.hasPrefix("not a text file (binary data at byte 3)") == true)
    }

    @Test func truncatedGB18030AtTheEndIsReported() {
        // A lone GBK lead byte at the very end (file cut short).
        let data = Data([0xD4, 0xEB, 0xC9])
        let error = #expect(throws: InputError.self) { try TextDecoding.decode(data, file: "t.csv") }
        #expect(error?.message.contains("byte 2") == true)
    }

    @Test func utf16IsNamed() {
        let data = Data([0xFF, 0xFE, 0x69, 0x00, 0x64, 0x00])
        let error = #expect(throws: InputError.self) { try TextDecoding.decode(data, file: "u.csv") }
        #expect(error?.message.contains("UTF-16") == true)
    }
}
