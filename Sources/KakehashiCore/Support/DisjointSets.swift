/// Union–find over 0..<count with path halving and union by size.
struct DisjointSets {
    private var parent: [Int]
    private var size: [Int]

    init(count: Int) {
        parent = Array(0..<count)
        size = [Int](repeating: 1, count: count)
    }

    mutating func find(_ x: Int) -> Int {
        var x = x
        while parent[x] != x {
            parent[x] = parent[parent[x]]
            x = parent[x]
        }
        return x
    }

    @discardableResult
    mutating func union(_ a: Int, _ b: Int) -> Int {
        var (ra, rb) = (find(a), find(b))
        if ra == rb { return ra }
        if size[ra] < size[rb] { swap(&ra, &rb) }
        parent[rb] = ra
        size[ra] += size[rb]
        return ra
    }

    /// Each element's class number (0-based, in order of first appearance) and each class's members.
    mutating func classes() -> (classOf: [Int], members: [[Int]]) {
        var number = [Int: Int]()
        var classOf = [Int](repeating: 0, count: parent.count)
        var members: [[Int]] = []
        for x in parent.indices {
            let root = find(x)
            if let n = number[root] {
                classOf[x] = n
                members[n].append(x)
            } else {
                number[root] = members.count
                classOf[x] = members.count
                members.append([x])
            }
        }
        return (classOf, members)
    }
}
