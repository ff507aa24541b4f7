import Testing
@testable import Risk
