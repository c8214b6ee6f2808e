// swift-tools-version:6.0
import PackageDescription

/// MuPDF on Debian 12 ships only as a static archive, and the archive does not pull in the libraries
/// it was built against, so they are listed after it. `pkgConfig: "mupdf"` is not used because SwiftPM
/// then appends a trailing `-lmupdf` after these and the link fails.
let mupdfLinkerSettings: [LinkerSetting] = [
    "mupdf", "mupdf-third", "mujs", "gumbo", "openjp2", "jbig2dec", "jpeg", "freetype", "harfbuzz", "z", "m",
].map { .linkedLibrary($0) }

let package = Package(
    name: "processo-api",
    products: [
        .executable(name: "processo-api", targets: ["processo-api"])
    ],
    targets: [
        .systemLibrary(name: "CFastCGI", path: "Sources/CFastCGI"),
        .systemLibrary(name: "COpenSSL", path: "Sources/COpenSSL", pkgConfig: "openssl"),
        .systemLibrary(name: "CCurl", path: "Sources/CCurl", pkgConfig: "libcurl"),
        .systemLibrary(name: "CSQLite", path: "Sources/CSQLite", pkgConfig: "sqlite3"),
        .target(
            name: "CMuPDF",
            path: "Sources/CMuPDF",
            linkerSettings: mupdfLinkerSettings
        ),
        .target(
            name: "ProcessoAPI",
            dependencies: ["COpenSSL", "CCurl", "CSQLite", "CMuPDF"],
            path: "Sources/ProcessoAPI"
        ),
        .target(
            name: "FastCGIAdapter",
            dependencies: ["ProcessoAPI", "CFastCGI"],
            path: "Sources/FastCGIAdapter"
        ),
        .target(
            name: "DevelopmentIdentity",
            dependencies: ["ProcessoAPI", "COpenSSL"],
            path: "Sources/DevelopmentIdentity"
        ),
        .executableTarget(
            name: "processo-api",
            dependencies: ["ProcessoAPI", "FastCGIAdapter", "DevelopmentIdentity"],
            path: "Sources/processo-api"
        ),
        .testTarget(
            name: "ProcessoAPITests",
            dependencies: ["ProcessoAPI", "DevelopmentIdentity"],
            path: "Tests/ProcessoAPITests",
            resources: [.copy("Fixtures")]
        ),
        .testTarget(
            name: "EndToEndTests",
            dependencies: ["ProcessoAPI", "DevelopmentIdentity"],
            path: "Tests/EndToEndTests"
        ),
    ],
    swiftLanguageModes: [.v6]
)
