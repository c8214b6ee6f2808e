import CFastCGI
import Foundation
import ProcessoAPI

/// One worker thread's FastCGI request and the loop that accepts and serves on it.
///
/// Each worker waits with its own epoll instance on the shared listening socket (`EPOLLEXCLUSIVE`, so a
/// new connection wakes one worker rather than all) and on the server's stop event. Waiting in epoll
/// instead of in `accept` is what lets a stop reach idle workers without signals.
final class FastCGIWorker: @unchecked Sendable {
    // @unchecked: `request` and `pollDescriptor` are used only by the thread that runs `run()`.
    private let request: UnsafeMutablePointer<FCGX_Request>
    private let pollDescriptor: Int32
    private let events: UnsafeMutablePointer<epoll_event>
    private let stopDescriptor: Int32
    private let application: Application
    private let requestIDs: RequestIDGenerator
    private let logger: Logger

    init(
        listenDescriptor: Int32, stopDescriptor: Int32, application: Application, requestIDs: RequestIDGenerator,
        logger: Logger
    ) throws(ServerError) {
        self.stopDescriptor = stopDescriptor
        self.application = application
        self.requestIDs = requestIDs
        self.logger = logger

        pollDescriptor = epoll_create1(Int32(EPOLL_CLOEXEC))
        guard pollDescriptor >= 0 else { throw ServerError(call: "epoll_create1", errno: errno) }
        try Self.watch(listenDescriptor, events: EPOLLIN.rawValue | EPOLLEXCLUSIVE.rawValue, in: pollDescriptor)
        try Self.watch(stopDescriptor, events: EPOLLIN.rawValue, in: pollDescriptor)

        events = .allocate(capacity: 2)
        request = .allocate(capacity: 1)
        guard FCGX_InitRequest(request, listenDescriptor, 0) == 0 else {
            request.deallocate()
            events.deallocate()
            close(pollDescriptor)
            throw ServerError(call: "FCGX_InitRequest", errno: errno)
        }
    }

    deinit {
        FCGX_Free(request, 0)
        request.deallocate()
        events.deallocate()
        close(pollDescriptor)
    }

    /// Serves requests until the stop event fires; a request in progress always completes first.
    func run() {
        while waitForConnection() {
            guard FCGX_Accept_r(request) >= 0 else {
                // Another worker took the connection (EAGAIN), or the peer left before accept.
                let failure = errno
                if failure != EAGAIN && failure != EWOULDBLOCK && failure != ECONNABORTED {
                    logger.warning("accept failed", ["error.errno": String(failure), "error.message": String(cString: strerror(failure))])
                    usleep(10_000)
                }
                continue
            }
            serve()
            FCGX_Finish_r(request)
        }
    }

    /// Blocks until a connection is waiting (`true`) or the server is stopping (`false`).
    private func waitForConnection() -> Bool {
        while true {
            let count = epoll_wait(pollDescriptor, events, 2, -1)
            if count < 0 {
                if errno == EINTR { continue }
                logger.error("epoll_wait failed", ["error.errno": String(errno)])
                return false
            }
            for index in 0..<Int(count) where events[index].data.fd == stopDescriptor {
                return false
            }
            return true
        }
    }

    private func serve() {
        let request = FastCGIRequestReader(parameters: self.request.pointee.envp, requestIDs: requestIDs).read()
        let response = application.respond(to: request)
        let written = FastCGIResponseWriter(stream: self.request.pointee.out).write(response)
        if !written {
            logger.debug("client closed the connection before the response was sent", ["request.id": request.requestID])
        }
    }

    private static func watch(_ descriptor: Int32, events: UInt32, in pollDescriptor: Int32) throws(ServerError) {
        var event = epoll_event()
        event.events = events
        event.data.fd = descriptor
        guard epoll_ctl(pollDescriptor, EPOLL_CTL_ADD, descriptor, &event) == 0 else {
            throw ServerError(call: "epoll_ctl", errno: errno)
        }
    }
}
