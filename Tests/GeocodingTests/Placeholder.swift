import Testing
@testable import Geocoding
