import CGEOS

/// A GEOS error, with GEOS's own message.
public struct GEOSError: Error, CustomStringConvertible, Sendable {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}

/// Collects the messages GEOS reports through its handler; a C callback cannot capture Swift state,
/// so this box travels through the handler's user-data pointer.
private final class MessageBox {
    var last = ""
}

/// One GEOS context. GEOS's reentrant API wants one context per thread, used by one thread at a time:
/// make one inside each worker, and let only plain values (`MultiPolygon`, numbers) cross threads.
final class GEOSContext {
    let handle: OpaquePointer
    private let messages: Unmanaged<MessageBox>

    init() {
        handle = GEOS_init_r()
        messages = Unmanaged.passRetained(MessageBox())
        GEOSContext_setErrorMessageHandler_r(handle, { message, userData in
            guard let message, let userData else { return }
            Unmanaged<MessageBox>.fromOpaque(userData).takeUnretainedValue().last = String(cString: message)
        }, messages.toOpaque())
    }

    deinit {
        GEOS_finish_r(handle)
        messages.release()
    }

    /// The last error GEOS reported in this context, or a generic text.
    func error(_ operation: String) -> GEOSError {
        let m = messages.takeUnretainedValue().last
        return GEOSError(m.isEmpty ? "GEOS \(operation) failed" : "GEOS \(operation): \(m)")
    }

    /// Takes ownership of a geometry GEOS returned, or throws GEOS's error when it returned NULL.
    func own(_ pointer: OpaquePointer?, _ operation: String) throws -> GEOSGeometry {
        guard let pointer else { throw error(operation) }
        return GEOSGeometry(pointer, context: self)
    }
}

/// A geometry owned by GEOS, freed with its context's destroy call.
final class GEOSGeometry {
    let pointer: OpaquePointer
    let context: GEOSContext
    init(_ pointer: OpaquePointer, context: GEOSContext) {
        self.pointer = pointer
        self.context = context
    }
    deinit { GEOSGeom_destroy_r(context.handle, pointer) }

    var typeID: Int32 { GEOSGeomTypeId_r(context.handle, pointer) }
    var isEmpty: Bool { GEOSisEmpty_r(context.handle, pointer) == 1 }

    /// Planar area in squared coordinate units.
    func area() throws -> Double {
        var a = 0.0
        guard GEOSArea_r(context.handle, pointer, &a) == 1 else { throw context.error("area") }
        return a
    }
}
