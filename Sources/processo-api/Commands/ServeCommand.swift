import FastCGIAdapter
import Foundation
import ProcessoAPI

/// `processo-api serve`: composes the service from its configuration and runs the FastCGI responder.
struct ServeCommand {
    let environment: [String: String]

    func run() throws -> Int32 {
        let configuration: Configuration
        do {
            configuration = try Configuration(environment: environment)
        } catch {
            FileHandle.standardError.write(Data("Invalid configuration: \(error.message)\n".utf8))
            return 1
        }
        let logger = Logger(label: "processo-api", minimumLevel: configuration.logLevel)

        // Keys are fetched in the background from the start; requests never wait for the network.
        let keys = TenantSigningKeys(configuration: configuration, logger: logger.withLabel("keys"))
        keys.start()
        defer { keys.stop() }

        let application = Application(
            authenticator: BearerAuthenticator(
                policy: TokenPolicy(configuration: configuration), keySource: keys, logger: logger.withLabel("auth")),
            registry: ReopeningProcessRegistry(databasePath: configuration.registryPath, logger: logger.withLabel("registry")),
            documents: DocumentLibrary(
                documentsDirectory: configuration.documentsDirectory, settings: configuration.documents,
                extractionWorkers: DocumentSettings.defaultExtractionWorkers(
                    processorCount: ProcessInfo.processInfo.activeProcessorCount, responderWorkers: configuration.workerCount),
                logger: logger.withLabel("documents")),
            defaultDocument: configuration.defaultDocument,
            maxResponseBytes: configuration.documents.maxResponseBytes,
            logger: logger.withLabel("http"),
            accessRequirements: configuration.accessRequirements
        )

        let server = FastCGIServer(
            application: application, address: configuration.listenAddress, workerCount: configuration.workerCount,
            environment: environment, logger: logger.withLabel("fastcgi"))
        try server.run()
        return 0
    }
}
