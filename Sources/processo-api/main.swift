import FastCGIAdapter
import Foundation
import ProcessoAPI

let usage = """
    Usage: processo-api COMMAND

    Commands:
      serve                        Run the FastCGI responder (systemd socket or PROCESSO_API_LISTEN).
      check-config                 Print the effective configuration; exit 1 when it is invalid.
      check-token [--at TIME] [--jwks FILE] [--path PATH] [TOKEN|-]
                                   Decode a token without trusting it and print every validation
                                   step with the running configuration; exit 0 only when it would
                                   be accepted. TIME is ISO 8601 or seconds since 1970; FILE is a
                                   JWKS to use instead of fetching the tenant's keys; PATH is the
                                   route whose scopes and app roles apply. Without TOKEN, or
                                   with -, the token is read from standard input.
      registry import [--replace] FILE.csv
                                   Create or update the registry from a CSV with the header
                                   protocol,process_number[,document]; --replace makes the
                                   registry exactly the file. Nothing changes if a row is invalid.
      registry lookup PROTOCOL     Print the process number and document of a protocol.
      registry export              Print the registry as CSV, which import --replace reads back.
      registry stats               Print counts of protocols, processes and documents found.
      dev-identity init --directory DIR --authority URL
                                   Create the local development identity (key, JWKS, OpenID
                                   configuration) for a local metadata server at URL.
      dev-token [--scope S] [--audience A] [--version 1|2] [--expires-in SECONDS] [--upn NAME]
                                   Print a token signed by the development identity in
                                   PROCESSO_API_DEV_IDENTITY_DIR. It refuses to run without that key.

    Configuration comes from environment variables; see README.md.
    """

// Block SIGTERM and SIGINT before any thread starts, so the responder receives them with sigwait.
TerminationSignals.block()

let arguments = Array(CommandLine.arguments.dropFirst())
let environment = ProcessInfo.processInfo.environment
let status: Int32
do {
    if arguments.contains("--help") || arguments.contains("-h") {
        print(usage)
        exit(0)
    }
    switch arguments.first {
    case "serve":
        status = try ServeCommand(environment: environment).run()
    case "check-config":
        status = CheckConfigCommand(environment: environment).run()
    case "check-token":
        status = try CheckTokenCommand(arguments: arguments.dropFirst(), environment: environment).run()
    case "registry":
        status = try RegistryCommand(arguments: arguments.dropFirst(), environment: environment).run()
    case "dev-identity":
        status = try DevelopmentIdentityCommand(arguments: arguments.dropFirst()).run()
    case "dev-token":
        status = try DevelopmentTokenCommand(arguments: arguments.dropFirst(), environment: environment).run()
    case "help", "--help", "-h":
        print(usage)
        status = 0
    default:
        throw UsageError(arguments.first.map { "Unknown command \($0)." } ?? "No command given.")
    }
} catch let error as UsageError {
    FileHandle.standardError.write(Data((error.message + "\n\n" + usage + "\n").utf8))
    status = 2
} catch {
    FileHandle.standardError.write(Data("processo-api: \(error)\n".utf8))
    status = 1
}
exit(status)
