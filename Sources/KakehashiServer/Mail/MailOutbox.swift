import Foundation
import Logging
import ServiceLifecycle

/// Delivers queued e-mail. Each due mail is claimed first (so several instances never send
/// the same one), then sent; a failure is kept with its reason and retried later, spaced
/// out, until the last attempt. A refusal that will not change (5xx) fails at once.
struct MailOutbox: Sendable {
    let database: AppDatabase
    let client: SMTPClient
    let logger: Logger
    let repository = NotificationRepository()
    static let maximumAttempts = 10

    /// Minutes until the next attempt after `attempts` failures: 1, 2, 4 … up to 6 hours.
    static func backoffMinutes(after attempts: Int) -> Int { min(360, 1 << min(attempts - 1, 9)) }

    /// Sends what is due now; returns how many were sent.
    @discardableResult
    func deliverDue(now: Date = Date(), limit: Int = 20) async throws -> Int {
        let repository = self.repository
        let stamp = Timestamp.string(now)
        let due = try await database.read { sql in try await repository.dueMail(at: stamp, limit: limit, on: sql) }
        var sent = 0
        for mail in due {
            // While this instance sends, the mail is not due for anyone else.
            let lease = Timestamp.string(now.addingTimeInterval(300))
            guard try await database.transaction({ sql in try await repository.claim(mail, lease: lease, on: sql) }) else { continue }
            var after = mail
            after.attempts += 1
            do {
                try await client.send(MailMessage(to: [mail.toAddress], subject: mail.subject, body: mail.body, messageId: mail.id))
                after.state = "sent"
                after.sentAt = Timestamp.now()
                after.lastError = nil
                sent += 1
            } catch {
                let permanent = (error as? SMTPError)?.isPermanent ?? false
                after.lastError = String(describing: error).prefix(500).description
                if permanent || after.attempts >= Self.maximumAttempts {
                    after.state = "failed"
                    logger.error("mail to \(mail.toAddress) failed for good: \(error)")
                } else {
                    after.nextAttemptAt = Timestamp.string(now.addingTimeInterval(Double(Self.backoffMinutes(after: after.attempts) * 60)))
                    logger.warning("mail to \(mail.toAddress) not sent (attempt \(after.attempts)), retrying: \(error)")
                }
            }
            let finished = after
            try await database.transaction { sql in try await repository.update(finished, on: sql) }
        }
        return sent
    }
}

/// Runs the outbox and the reminders while the server runs.
struct NotificationService: Service {
    let outbox: MailOutbox?
    let reminders: [any Reminders]
    let interval: Duration
    let logger: Logger

    func run() async throws {
        try? await cancelWhenGracefulShutdown {
            var lastScan = ContinuousClock.now - .seconds(3600)
            while !Task.isCancelled {
                do {
                    // Reminders once every ten minutes; mail at every tick.
                    if ContinuousClock.now - lastScan >= .seconds(600) {
                        for scan in reminders { try await scan.scan(today: TokyoDate.today()) }
                        lastScan = ContinuousClock.now
                    }
                    try await outbox?.deliverDue()
                } catch is CancellationError {
                    return
                } catch {
                    logger.error("notification round failed: \(error)")
                }
                try await Task.sleep(for: interval)
            }
        }
    }
}
