import Hummingbird
import Logging

/// Renders every error in the API's error shape, including the router's own 404s.
struct ErrorMiddleware: RouterMiddleware {
    typealias Context = APIContext

    func handle(_ request: Request, context: APIContext, next: (Request, APIContext) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as APIError {
            throw error
        } catch let error as HTTPError {
            if error.status == .notFound {
                throw APIError(.notFound, code: "NOT_FOUND", message: "no route \(request.method) \(request.uri.path)")
            }
            let code = error.status.code >= 500 ? "INTERNAL_ERROR" : "VALIDATION_ERROR"
            throw APIError(error.status, code: code, message: error.body ?? error.status.reasonPhrase)
        } catch {
            context.logger.error("unhandled error", metadata: ["error.type": "\(type(of: error))"])
            throw APIError(.internalServerError, code: "INTERNAL_ERROR", message: "internal error")
        }
    }
}
