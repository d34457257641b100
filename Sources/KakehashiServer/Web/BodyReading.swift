import Hummingbird

/// Reads a request body into memory under two bounds: a size (413 beyond it, before anything
/// parses it) and a deadline (408 when a slow client has not sent it all in time).
enum BodyReading {
    static let deadline: Duration = .seconds(60)

    @discardableResult
    static func collect(_ request: inout Request, upTo limit: Int,
                        within deadline: Duration = deadline) async throws -> ByteBuffer {
        let reading = request
        let buffer = try await withThrowingTaskGroup(of: ByteBuffer?.self) { group in
            group.addTask {
                var copy = reading
                do {
                    return try await copy.collectBody(upTo: limit)
                } catch is CancellationError {
                    throw CancellationError()
                } catch {
                    throw AppError.payloadTooLarge
                }
            }
            group.addTask {
                try await Task.sleep(for: deadline)
                return nil
            }
            defer { group.cancelAll() }
            guard let first = try await group.next(), let buffer = first else { throw AppError.requestTimeout }
            return buffer
        }
        request.body = .init(buffer: buffer)
        return buffer
    }
}
