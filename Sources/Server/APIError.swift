import Foundation
import Hummingbird
import Output

/// An error the client is told about: a status and one line that says what was wrong.
/// Everything the server refuses goes through this, so every refusal has the same JSON shape.
public struct APIError: Error, Sendable, Equatable {
    public var status: HTTPResponse.Status
    public var message: String
    public init(_ status: HTTPResponse.Status, _ message: String) {
        self.status = status
        self.message = message
    }

    public static func badRequest(_ message: String) -> APIError { APIError(.badRequest, message) }
    public static func notFound(_ message: String = "not found") -> APIError { APIError(.notFound, message) }
    /// An option the command line has but this server cannot answer yet (e.g. it needs the case database).
    public static func notImplemented(_ message: String) -> APIError { APIError(.notImplemented, message) }

    /// The answer's body.
    struct Body: Encodable {
        var error: String
        var status: Int
    }

    /// `{"error": "...", "status": 400}`.
    var response: Response {
        let body = JSONBody.encode(Body(error: message, status: Int(status.code)))
        return Response(status: status, headers: JSONBody.headers(body.readableBytes), body: ResponseBody(byteBuffer: body))
    }
}

/// JSON documents produced by the API.
enum JSONBody {
    /// One line, keys sorted, `/` as it is.
    static func encode<T: Encodable>(_ value: T) -> ByteBuffer { ByteBuffer(bytes: data(value)) }

    static func data<T: Encodable>(_ value: T) -> Data { Data(DocumentJSON.text(value).utf8) }

    static func headers(_ length: Int, type: String = "application/json") -> HTTPFields {
        // API answers are computed from the folder being served, which a daily run replaces: never cache blindly.
        [.contentType: type, .cacheControl: "no-cache", .contentLength: String(length)]
    }
}

extension APIError: CustomStringConvertible {
    public var description: String { message }
}
