/// Constants of the standard normal distribution used for prediction intervals.
enum Normal {
    /// The 90th percentile: an 80 % central interval is `mean ± z80 · sd`.
    static let z80 = 1.2815515655446004
}
