/// Summed, undirected edge weights in compressed rows: `neighbours(of:)` lists each other end once.
struct WeightedAdjacency: Sendable {
    let start: [Int]
    let target: [Int]
    let weight: [Double]

    /// Parallel edges are summed; loops are dropped.
    init(count: Int, edges: [(Int, Int, Double)]) {
        var summed: [Int: Double] = [:]
        for (a, b, w) in edges where a != b {
            let (x, y) = (min(a, b), max(a, b))
            summed[x * count + y, default: 0] += w
        }
        var degree = [Int](repeating: 0, count: count + 1)
        for key in summed.keys { degree[key / count + 1] += 1; degree[key % count + 1] += 1 }
        for i in 0..<count { degree[i + 1] += degree[i] }
        var fill = degree
        var target = [Int](repeating: 0, count: degree[count])
        var weight = [Double](repeating: 0, count: degree[count])
        for (key, w) in summed.sorted(by: { $0.key < $1.key }) {
            let (x, y) = (key / count, key % count)
            target[fill[x]] = y; weight[fill[x]] = w; fill[x] += 1
            target[fill[y]] = x; weight[fill[y]] = w; fill[y] += 1
        }
        self.start = degree
        self.target = target
        self.weight = weight
    }

    func neighbours(of node: Int) -> Zip2Sequence<ArraySlice<Int>, ArraySlice<Double>> {
        zip(target[start[node]..<start[node + 1]], weight[start[node]..<start[node + 1]])
    }
}

/// Strongly connected components and topological order of a directed graph on 0..<count.
enum StronglyConnected {
    /// Components with more than one member are cycles (iterative Tarjan, no recursion depth limit).
    static func components(count: Int, edges: [(Int, Int)]) -> [[Int]] {
        var successors = [[Int]](repeating: [], count: count)
        for (a, b) in edges where a != b { successors[a].append(b) }
        var index = [Int](repeating: -1, count: count)
        var low = [Int](repeating: 0, count: count)
        var onStack = [Bool](repeating: false, count: count)
        var stack: [Int] = []
        var result: [[Int]] = []
        var next = 0
        for root in 0..<count where index[root] < 0 && !successors[root].isEmpty {
            var work: [(node: Int, edge: Int)] = [(root, 0)]
            index[root] = next; low[root] = next; next += 1
            stack.append(root); onStack[root] = true
            while let (node, edge) = work.last {
                if edge < successors[node].count {
                    work[work.count - 1].edge += 1
                    let child = successors[node][edge]
                    if index[child] < 0 {
                        index[child] = next; low[child] = next; next += 1
                        stack.append(child); onStack[child] = true
                        work.append((child, 0))
                    } else if onStack[child] {
                        low[node] = min(low[node], index[child])
                    }
                } else {
                    work.removeLast()
                    if let parent = work.last?.node { low[parent] = min(low[parent], low[node]) }
                    if low[node] == index[node] {
                        var component: [Int] = []
                        while let top = stack.popLast() {
                            onStack[top] = false
                            component.append(top)
                            if top == node { break }
                        }
                        if component.count > 1 { result.append(component.sorted()) }
                    }
                }
            }
        }
        return result
    }

    /// Kahn's order; nodes on a cycle (none once cycles are merged) come last in index order.
    static func topologicalOrder(count: Int, successors: [[Int]]) -> [Int] {
        var indegree = [Int](repeating: 0, count: count)
        for list in successors { for s in list { indegree[s] += 1 } }
        var order = (0..<count).filter { indegree[$0] == 0 }
        var head = 0
        while head < order.count {
            let node = order[head]
            head += 1
            for s in successors[node] {
                indegree[s] -= 1
                if indegree[s] == 0 { order.append(s) }
            }
        }
        if order.count < count {
            var placed = Set(order)
            for node in 0..<count where placed.insert(node).inserted { order.append(node) }
        }
        return order
    }
}
