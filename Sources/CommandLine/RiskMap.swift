import ArgumentParser
import Jobs

@main
struct RiskMap: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "riskmap",
        abstract: "Turn environmental complaint cases into zone risk maps: tiles, GeoJSON, a viewer and a report.")
}
