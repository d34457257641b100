import Foundation
import KakehashiCore

/// Runs the wave planner on a global queue, so a plan of several seconds does not hold a request thread.
enum WavePlanRunner {
    static func plan(_ input: WavePlanInput, seconds: Double) async throws -> WavePlanResult {
        try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global().async {
                do {
                    continuation.resume(returning: try WavePlanner.plan(input, seconds: seconds))
                } catch let error as WavePlanInputError {
                    continuation.resume(throwing: AppError.invalid(error.reasons.map { FieldError(field: "input", code: "wave_plan_input", args: ["reason": $0]) }))
                } catch {
                    continuation.resume(throwing: error)
                }
            }
        }
    }
}
