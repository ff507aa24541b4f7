import Foundation
import Testing
@testable import Risk

/// The style built into the binary (Sources/Risk/DefaultStyle.swift, made by
/// scripts/make_default_style.py) is styles/default.toml: they cannot drift apart.
@Suite struct DefaultStyleTests {
    @Test func builtInTextIsStylesDefaultTomlByteForByte() throws {
        let file = try Data(contentsOf: StyleFixture.defaultStyle)
        #expect(Data(Style.builtInText.utf8) == file,
                "Sources/Risk/DefaultStyle.swift differs from styles/default.toml: run scripts/make_default_style.py")
    }

    /// The same rules and the same hash as the file (so a run switching between the two keeps its tiles),
    /// and the report names it "built-in".
    @Test func builtInStyleReadsLikeTheFile() throws {
        let builtIn = try Style.builtIn(), file = try Style(url: StyleFixture.defaultStyle)
        #expect(builtIn.file == "built-in")
        #expect(builtIn.contentHash == file.contentHash)
        #expect(builtIn.categories == file.categories && builtIn.thresholds == file.thresholds && builtIn.windowDays == file.windowDays)
        #expect(try Style.load(nil).file == "built-in")
        #expect(try Style.load(StyleFixture.defaultStyle).file == StyleFixture.defaultStyle.path)
    }
}
