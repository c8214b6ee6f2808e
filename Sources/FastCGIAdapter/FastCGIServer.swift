import CFastCGI
import Foundation
import ProcessoAPI

/// The FastCGI responder: a fixed pool of worker threads serving one `Application`.
///
/// `run()` blocks until SIGTERM or SIGINT, then stops accepting, lets requests in flight finish and
/// returns. Call `TerminationSignals.block()` before starting any thread, so that those signals reach
/// `run()` instead of killing the process.
public final class FastCGIServer {
    private let application: Application
    private let address: ListenAddress
    private let workerCount: Int
    private let environment: [String: String]
    private let logger: Logger

    public init(application: Application, address: ListenAddress, workerCount: Int, environment: [String: String], logger: Logger) {
        self.application = application
        self.address = address
        self.workerCount = workerCount
        self.environment = environment
        self.logger = logger
    }

    public func run() throws(ServerError) {
        // A client that goes away must end only its own request, not the process.
        signal(SIGPIPE, SIG_IGN)

        guard FCGX_Init() == 0 else { throw ServerError(call: "FCGX_Init", errno: errno) }
        let socket = try ListenSocket.open(address: address, environment: environment)
        try socket.setNonBlocking()

        let stopDescriptor = eventfd(0, Int32(EFD_CLOEXEC))
        guard stopDescriptor >= 0 else { throw ServerError(call: "eventfd", errno: errno) }
        defer { close(stopDescriptor) }

        let requestIDs = RequestIDGenerator()
        var workers: [FastCGIWorker] = []
        for _ in 0..<workerCount {
            workers.append(
                try FastCGIWorker(
                    listenDescriptor: socket.descriptor, stopDescriptor: stopDescriptor, application: application,
                    requestIDs: requestIDs, logger: logger))
        }

        let finished = DispatchGroup()
        for (index, worker) in workers.enumerated() {
            finished.enter()
            let thread = Thread {
                worker.run()
                finished.leave()
            }
            thread.name = "fcgi-worker-\(index)"
            thread.stackSize = 1 << 20
            thread.start()
        }
        logger.info("responder started", ["listen": socket.origin, "workers": String(workerCount), "pid": String(getpid())])

        let signal = TerminationSignals.wait()
        logger.info("stopping: finishing requests in flight", ["signal": signal])
        FCGX_ShutdownPending()
        var increment: UInt64 = 1
        _ = Foundation.write(stopDescriptor, &increment, MemoryLayout<UInt64>.size)

        finished.wait()
        logger.info("responder stopped")
    }
}
