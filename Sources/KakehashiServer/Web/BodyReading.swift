import Hummingbird

/// Reads a request body into memory under two bounds: a size (413 beyond it, before anything
/// parses it) and a deadline (408 when a slow client has not sent it all in time).
enum BodyReading {
    static let deadline: Duration = .seconds(60)

    @discardableResult
    static func collect(_ request: inout Request, upTo limit: Int,
                        within deadline: Duration = deadline) async throws -> ByteBuffer {
        let reading = request
        let buffer = try await Deadline.run(within: deadline, orThrow: .requestTimeout) {
            var copy = reading
            do {
                return try await copy.collectBody(upTo: limit)
            } catch is CancellationError {
                throw CancellationError()
            } catch {
                throw AppError.payloadTooLarge
            }
        }
        request.body = .init(buffer: buffer)
        return buffer
    }
}
