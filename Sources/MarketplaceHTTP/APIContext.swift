public import Hummingbird
public import Foundation

/// The request context of every route: JSON in and out with snake_case keys.
public struct APIContext: RequestContext {
    public var coreContext: CoreRequestContextStorage

    public init(source: Source) {
        coreContext = .init(source: source)
    }

    public var requestDecoder: JSONDecoder {
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        return decoder
    }

    public var responseEncoder: JSONEncoder { JSONOutput.encoder(pretty: false) }
}
