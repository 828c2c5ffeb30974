// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "newslint",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "newslint", targets: ["newslint"]),
        .library(name: "NewsLintKit", targets: ["NewsLintKit"]),
    ],
    targets: [
        // Everything: document model, scanning, rules, engine, config, fixes, reporters, CLI logic.
        .target(name: "NewsLintKit"),
        // Thin entry point: hands argv to NewsLintKit.
        .executableTarget(name: "newslint", dependencies: ["NewsLintKit"]),
        .testTarget(
            name: "NewsLintKitTests",
            dependencies: ["NewsLintKit"],
            exclude: ["Fixtures"]
        ),
    ]
)
