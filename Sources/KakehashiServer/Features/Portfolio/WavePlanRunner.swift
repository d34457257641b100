import Foundation
import KakehashiCore

/// Runs the wave planner on `HeavyWork`'s threads, so a plan of several seconds holds no request thread
/// (the planner stops itself at `seconds`; the wait allows a little more).
enum WavePlanRunner {
    static func plan(_ input: WavePlanInput, seconds: Double) async throws -> WavePlanResult {
        do {
            return try await HeavyWork.shared.run(budget: .seconds(seconds + 15)) { try WavePlanner.plan(input, seconds: seconds) }
        } catch let error as WavePlanInputError {
            throw AppError.invalid(error.reasons.map { FieldError(field: "input", code: "wave_plan_input", args: ["reason": $0]) })
        }
    }
}
