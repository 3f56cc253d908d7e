// swift-tools-version:6.0
import PackageDescription

/// Backoffice: a keyboard-first back-office console for a multi-tenant digital-commerce platform.
///
/// Layers (see ../shared/design.md §2): `backoffice` parses arguments; `Console` draws screens; `Domain`
/// holds contexts, services and migrations; `Postgres` is our libpq wrapper; `CLibPQ`, `CCurses` and
/// `CArgon2` are C shims that only their one Swift wrapper imports. Dependencies: swift-argument-parser
/// (the CLI) and swift-crypto (AES-GCM, HMAC, HKDF for secrets at rest).
let package = Package(
    name: "backoffice",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "backoffice", targets: ["backoffice"]),
        .executable(name: "backoffice-bench", targets: ["backoffice-bench"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
    ],
    targets: [
        .systemLibrary(
            name: "CLibPQ",
            providers: [.apt(["libpq-dev"])]
        ),
        .systemLibrary(
            name: "CCurses",
            providers: [.apt(["libncurses-dev"])]
        ),
        .systemLibrary(
            name: "CArgon2",
            providers: [.apt(["libargon2-dev"])]
        ),
        .target(
            name: "Postgres",
            dependencies: ["CLibPQ"]
        ),
        .target(
            name: "Domain",
            dependencies: [
                "Postgres", "CArgon2",
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            resources: [.copy("Migrations")]
        ),
        .target(
            name: "Console",
            dependencies: ["Domain", "CCurses"]
        ),
        .executableTarget(
            name: "backoffice",
            dependencies: [
                "Console", "Domain", "Postgres",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .executableTarget(
            name: "backoffice-bench",
            dependencies: ["Domain", "Postgres", "CLibPQ", "Console", "CCurses"]
        ),
        .testTarget(
            name: "BackofficeTests",
            dependencies: ["Domain", "Postgres", "Console"],
            exclude: ["Console/Snapshots/Golden"],
            resources: [.copy("Fixtures")]
        ),
    ],
    swiftLanguageModes: [.v6]
)
