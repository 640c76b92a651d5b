import ReservoirPlacement

/// Maps a configured policy name to its score plugin.
enum ScorerFactory {
    static func make(_ name: String) -> any ScorePlugin {
        switch name {
        default: BestFitScore()
        }
    }
}
