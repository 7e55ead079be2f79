// swift-tools-version:6.0
// implicit-reg: reproductions of five readings on implicit regularization, on a CPU.
import PackageDescription

// Release builds use SwiftPM's defaults, `-O` with whole-module optimisation: bounds, overflow
// and precondition checks stay on, so bad input is an error, never memory corruption; no unsafe
// flags, so the package can be a dependency. Hot loops that must skip checks do it locally with
// `withUnsafe…Buffer` (bench/README.md has what the checks cost). No fast-math: bit-reproducibility
// matters more than a few percent.

let package = Package(
    name: "implicit-reg",
    platforms: [.macOS(.v14)],
    products: [
        .library(name: "ImplicitRegCore", targets: ["ImplicitRegCore"]),
        .executable(name: "random-labels", targets: ["RandomLabels"]),
        .executable(name: "noise-scale", targets: ["NoiseScale"]),
        .executable(name: "minimum-norm", targets: ["MinimumNorm"]),
        .executable(name: "gradient-regularization", targets: ["GradientRegularization"]),
        .executable(name: "sgd-regularizer", targets: ["SGDRegularizer"]),
        .executable(name: "implicit-reg-bench", targets: ["Benchmarks"]),
        .executable(name: "implicit-reg-fuzz", targets: ["FuzzHarness"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", exact: "1.8.2"),
        .package(url: "https://github.com/apple/swift-numerics", exact: "1.1.1"),
    ],
    targets: [
        // Thin C shims: nothing above ReadingSupport/ImplicitRegCore imports them.
        .systemLibrary(name: "CBLAS", pkgConfig: "openblas",
                       providers: [.apt(["libopenblas-dev"])]),
        .systemLibrary(name: "CLAPACKE", pkgConfig: "lapacke",
                       providers: [.apt(["liblapacke-dev"])]),
        .systemLibrary(name: "CHDF5", pkgConfig: "hdf5",
                       providers: [.apt(["libhdf5-dev"])]),
        .systemLibrary(name: "CZlib", pkgConfig: "zlib",
                       providers: [.apt(["zlib1g-dev"])]),

        // The core: tensors, layers, losses, optimizers, data, randomness, solvers, artifacts.
        .target(
            name: "ImplicitRegCore",
            dependencies: [
                "CBLAS", "CLAPACKE", "CHDF5", "CZlib",
                .product(name: "RealModule", package: "swift-numerics"),
            ]),

        // What every reading's executable shares: options, config loading, verify, progress.
        .target(
            name: "ReadingSupport",
            dependencies: [
                "ImplicitRegCore",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]),

        .executableTarget(name: "RandomLabels", dependencies: ["ReadingSupport", "ImplicitRegCore"]),
        .executableTarget(name: "NoiseScale", dependencies: ["ReadingSupport", "ImplicitRegCore"]),
        .executableTarget(name: "MinimumNorm", dependencies: ["ReadingSupport", "ImplicitRegCore"]),
        .executableTarget(name: "GradientRegularization", dependencies: ["ReadingSupport", "ImplicitRegCore"]),
        .executableTarget(name: "SGDRegularizer", dependencies: ["ReadingSupport", "ImplicitRegCore"]),

        // `make bench`: the core's kernels and training step, timed against JAX and NumPy.
        .executableTarget(
            name: "Benchmarks",
            dependencies: ["ImplicitRegCore", .product(name: "ArgumentParser", package: "swift-argument-parser")]),

        // `make test-fuzz`: generated inputs fed to the readers in one process (Tests/fuzz/).
        .executableTarget(name: "FuzzHarness", dependencies: ["ImplicitRegCore", "ReadingSupport"]),

        // Test-only: a thread-local count of heap allocations (interposes malloc in the test binary;
        // SwiftPM links every test target into that one binary, so one dependency covers it).
        .target(name: "AllocationCounter", path: "Tests/AllocationCounter"),
        // Test-only: what the test targets share (running the built executables, scratch folders,
        // the quick-profile run and the checks every reading's claim tests make).
        .target(name: "TestSupport", dependencies: ["ImplicitRegCore"], path: "Tests/TestSupport"),

        // `make test` (`swift test`) runs all three. The core: unit, finite-difference and
        // reference-fixture tests of layers, losses, solvers, randomness, data, HDF5 and claims.
        .testTarget(
            name: "ImplicitRegCoreTests",
            dependencies: ["ImplicitRegCore", "TestSupport", "AllocationCounter"]),
        // What the readings share: config loading and overrides, the grid (plan, shards, merge,
        // resume), slurm scripts, and the commands' handling of bad input.
        .testTarget(
            name: "ReadingSupportTests",
            dependencies: ["ReadingSupport", "ImplicitRegCore", "TestSupport"]),
        // The readings end to end: each one's quick profile and claims, determinism and bad input,
        // other seeds, the committed point ids and REPORT.md.
        .testTarget(
            name: "ReadingClaimTests",
            dependencies: ["ImplicitRegCore", "TestSupport"]),
    ],
    swiftLanguageModes: [.v6]
)
