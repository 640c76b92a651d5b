/// FNV-1a 64-bit: a hash that is the same in every process and on every platform (Swift's `Hasher`
/// is seeded per process), for seeds taken from names and ids.
public enum StableHash {
    public static func fnv1a(_ s: String) -> UInt64 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for b in s.utf8 {
            h ^= UInt64(b)
            h = h &* 0x100_0000_01b3
        }
        return h
    }
}
