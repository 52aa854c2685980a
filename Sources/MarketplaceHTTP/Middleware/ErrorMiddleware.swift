import HTTPTypes
import Hummingbird
import Logging

/// Renders every error in the API's error shape, including the router's own 404s, and tells a
/// wrong method on a known path (405 METHOD_NOT_ALLOWED with `Allow`) from an unknown path.
struct ErrorMiddleware: RouterMiddleware {
    typealias Context = APIContext
    /// The routes, to name the methods a known path takes.
    let routes: RouteTable

    static let allowHeader = HTTPField.Name("Allow")!

    func handle(_ request: Request, context: APIContext, next: (Request, APIContext) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as APIError {
            throw error
        } catch let error as HTTPError {
            if error.status == .notFound {
                return try notFound(request, context: context)
            }
            let code = error.status.code >= 500 ? "INTERNAL_ERROR" : "VALIDATION_ERROR"
            throw APIError(error.status, code: code, message: error.body ?? error.status.reasonPhrase)
        } catch {
            context.logger.error("unhandled error", metadata: ["error.type": "\(type(of: error))"])
            throw APIError(.internalServerError, code: "INTERNAL_ERROR", message: "internal error")
        }
    }

    /// No route matched: 405 with the methods the path takes when it is known, else 404.
    private func notFound(_ request: Request, context: APIContext) throws -> Response {
        let allowed = routes.methods(at: request.uri.path)
        guard !allowed.isEmpty else { throw APIError(.notFound, code: "NOT_FOUND", message: "no route \(request.method) \(request.uri.path)") }
        var response = try APIError(.methodNotAllowed, code: "METHOD_NOT_ALLOWED", message: "\(request.method) is not served at \(request.uri.path); it takes \(allowed.joined(separator: ", "))",
                                    field: "method").response(from: request, context: context)
        response.headers[Self.allowHeader] = allowed.joined(separator: ", ")
        return response
    }
}
