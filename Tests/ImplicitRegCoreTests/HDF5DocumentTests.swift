import Foundation
import ImplicitRegCore
import Testing

/// HDF5 files: every type round-trips, writes are deterministic and atomic, errors name the file,
/// and h5py reads what we write.
@Suite("HDF5 documents")
struct HDF5DocumentTests {
    /// A fresh temporary directory; the caller removes it.
    private func makeDirectory() throws -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("ir-hdf5-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        return dir
    }

    /// A document using every dataset shape and type and every attribute type.
    private func sampleDocument() -> HDF5Document {
        var doc = HDF5Document()
        doc.setAttribute("title", .string("ε = 0.1, μ — random labels"), on: "/")
        doc.setAttribute("seed", .int(-42), on: "/meta")
        doc.setAttribute("big", .int(Int64.max), on: "/meta")
        doc.setAttribute("rate", .double(0.1), on: "/meta")
        doc.setAttribute("missing", .double(.nan), on: "/meta")
        doc.setAttribute("widths", .doubles([0.5, -1.25, .infinity]), on: "/meta")
        doc.setAttribute("sizes", .ints([1, 2, 3]), on: "/meta")
        doc.setAttribute("none", .ints([]), on: "/meta")
        doc.setAttribute("config", .string(String(repeating: "{\"x\": 1}", count: 20_000)), on: "/meta")
        doc.addDataset("/curves/true-labels/train_loss", .double([2.3, 1.1, 0.4, .nan]), units: "nats per example",
                       description: "mean training loss")
        doc.addDataset("/curves/true-labels/epoch", .int64([0, 1, 2, Int64.min]), units: "epochs", description: "epoch")
        doc.addDataset("/curves/empty", .double([]), units: "1", description: "a zero-length curve")
        doc.addDataset("/weights/w", .float((0..<12).map { Float($0) * 0.5 - 1 }), shape: [3, 4],
                       units: "1", description: "a 3×4 matrix")
        doc.addDataset("/weights/labels", .int32([7, -3, 0, Int32.max, Int32.min, 5]), shape: [2, 3],
                       units: "class", description: "a 2×3 integer matrix")
        doc.addDataset("/weights/none", .float([]), shape: [0, 4], units: "1", description: "no rows")
        doc.addScalar("/summary/final_train_accuracy", 0.987654321, units: "fraction", description: "final accuracy")
        doc.setAttribute("empty_string", .string(""), on: "/summary")
        return doc
    }

    @Test func everyTypeRoundTrips() throws {
        let dir = try makeDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let doc = sampleDocument()
        try doc.write(to: "\(dir)/sample.h5")
        let back = try HDF5Document.read(from: "\(dir)/sample.h5")
        #expect(back.groupAttributes.keys.sorted() == doc.groupAttributes.keys.sorted())
        for (group, attributes) in doc.groupAttributes { #expect(back.groupAttributes[group] == attributes, "\(group)") }
        #expect(back.datasets.keys.sorted() == doc.datasets.keys.sorted())
        for (path, dataset) in doc.datasets { #expect(back.datasets[path] == dataset, "\(path)") }
        #expect(back == doc)
        #expect(back.datasets["/summary/final_train_accuracy"]?.shape == [])
        #expect(back.scalar("/summary/final_train_accuracy") == 0.987654321)
        #expect(back.scalar("/curves/true-labels/epoch") == nil)
        #expect(back.scalar("/nowhere") == nil)
    }

    @Test func rootWithoutAttributesIsNotAGroupEntry() throws {
        let dir = try makeDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        var doc = HDF5Document()
        doc.addDataset("/a/b/c", .int64([1]), units: "1", description: "nested")
        #expect(doc.groupAttributes.keys.sorted() == ["/a", "/a/b"])
        try doc.write(to: "\(dir)/nested/deeper/x.h5")  // parent directories are created
        #expect(try HDF5Document.read(from: "\(dir)/nested/deeper/x.h5") == doc)
        #expect(try HDF5Document.read(from: "\(dir)/nested/deeper/x.h5").scalar("/a/b/c") == 1)
    }

    @Test func sameContentGivesIdenticalBytes() throws {
        let dir = try makeDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        var doc = sampleDocument()
        doc.addDataset("/big", .float((0..<600_000).map { Float($0 % 1000) }), shape: [1000, 600],
                       units: "1", description: "several chunks")
        // The same content inserted in the opposite order (so the dictionaries iterate differently).
        var reversed = HDF5Document()
        for (group, attributes) in doc.groupAttributes.sorted(by: { $0.key > $1.key }) {
            reversed.groupAttributes[group] = [:]
            for (name, value) in attributes.sorted(by: { $0.key > $1.key }) { reversed.setAttribute(name, value, on: group) }
        }
        for (path, dataset) in doc.datasets.sorted(by: { $0.key > $1.key }) { reversed.datasets[path] = dataset }
        #expect(reversed == doc)

        try doc.write(to: "\(dir)/a.h5")
        Thread.sleep(forTimeInterval: 1.1)  // a timestamp in the file would now differ
        try reversed.write(to: "\(dir)/b.h5")
        let a = try Data(contentsOf: URL(fileURLWithPath: "\(dir)/a.h5"))
        let b = try Data(contentsOf: URL(fileURLWithPath: "\(dir)/b.h5"))
        #expect(a == b)
        #expect(a.count < 600_000 * 4 / 2, "shuffle + gzip should shrink a repetitive dataset (got \(a.count) bytes)")
        #expect(try HDF5Document.read(from: "\(dir)/b.h5") == doc)
    }

    @Test func failedWriteLeavesTheFinishedFileAndNoTemporary() throws {
        let dir = try makeDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let target = "\(dir)/result.h5"
        try sampleDocument().write(to: target)
        let before = try Data(contentsOf: URL(fileURLWithPath: target))

        // Values that do not fill the shape: caught while writing, after the temporary file exists.
        var badShape = sampleDocument()
        badShape.addDataset("/z/late", .double([1, 2, 3]), units: "1", description: "ok so far")
        badShape.datasets["/z/late"]?.shape = [2, 2]
        // A path that is both a dataset and a group: HDF5 itself refuses.
        var clash = sampleDocument()
        clash.addDataset("/x", .double([1]), units: "1", description: "a dataset")
        clash.addDataset("/x/y", .double([1]), units: "1", description: "under a dataset")
        // A relative path.
        var relative = HDF5Document()
        relative.datasets["curves/loss"] = HDF5Dataset(shape: [1], values: .double([1]))

        // An array attribute too long for HDF5's object header.
        var longAttribute = sampleDocument()
        longAttribute.setAttribute("too_long", .doubles(Array(repeating: 1, count: 9000)), on: "/meta")

        for doc in [badShape, clash, relative, longAttribute] {
            do {
                try doc.write(to: target)
                Issue.record("the write should have failed")
            } catch let error as HDF5Error {
                #expect(error.description.contains(target), "\(error)")
            }
            #expect(try Data(contentsOf: URL(fileURLWithPath: target)) == before)
            let leftovers = try FileManager.default.contentsOfDirectory(atPath: dir).filter { $0.contains(".tmp-") }
            #expect(leftovers.isEmpty, "temporary files left behind: \(leftovers)")
        }
    }

    @Test func directoryThatCannotBeCreatedIsNamed() throws {
        let dir = try makeDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try Data("not a directory".utf8).write(to: URL(fileURLWithPath: "\(dir)/file"))
        let target = "\(dir)/file/result.h5"
        #expect {
            try sampleDocument().write(to: target)
        } throws: { error in
            guard let error = error as? HDF5Error, case .cannotCreate = error else { return false }
            return error.description.contains(target)
        }
    }

    @Test func missingAndForeignFilesAreNamed() throws {
        let dir = try makeDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let missing = "\(dir)/missing.h5"
        let foreign = "\(dir)/foreign.h5"
        try Data("just text, not HDF5\n".utf8).write(to: URL(fileURLWithPath: foreign))
        for path in [missing, foreign] {
            #expect {
                _ = try HDF5Document.read(from: path)
            } throws: { error in
                guard let error = error as? HDF5Error, case .cannotOpen = error else { return false }
                return error.description.contains(path)
            }
        }
    }

    @Test func provenanceHasEveryKey() throws {
        let start = Date(timeIntervalSince1970: 1_700_000_000)
        let meta = Provenance.collect(repository: FileManager.default.currentDirectoryPath)
            .attributes(startTime: start, endTime: start.addingTimeInterval(61))
        #expect(Set(meta.keys) == ["git_commit", "git_dirty", "swift_version", "openblas_config", "openblas_core",
                                   "blas_threads", "hdf5_version", "host", "os", "start_time", "end_time"])
        #expect(meta["start_time"] == .string("2023-11-14T22:13:20Z"))
        #expect(meta["end_time"] == .string("2023-11-14T22:14:21Z"))
        #expect(HDF5Library.versionString.split(separator: ".").count == 3)
        let nowhere = Provenance.collect(repository: "/nonexistent-\(UUID().uuidString)")
        #expect(nowhere.gitCommit == "unknown")
        #expect(!nowhere.gitDirty)
    }

    @Test(.enabled(if: ProcessInfo.processInfo.environment["IMPLICIT_REG_PYTHON"] != nil))
    func h5pyReadsWhatWeWrite() throws {
        let dir = try makeDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = "\(dir)/sample.h5"
        try sampleDocument().write(to: path)
        let script = """
            import sys, h5py, numpy as np
            def check(ok, what):
                if not ok:
                    sys.exit("mismatch: " + what)
            with h5py.File(sys.argv[1], "r") as f:
                loss = f["/curves/true-labels/train_loss"]
                check(loss.dtype == np.float64 and loss.shape == (4,), "train_loss dtype/shape %s %s" % (loss.dtype, loss.shape))
                check(np.allclose(loss[:3], [2.3, 1.1, 0.4]) and np.isnan(loss[3]), "train_loss values %r" % loss[:])
                check(loss.compression == "gzip" and loss.compression_opts == 4 and loss.shuffle, "train_loss filters")
                units = loss.attrs["units"]
                check(isinstance(units, str) and units == "nats per example", "units %r" % units)
                check(loss.attrs["description"] == "mean training loss", "description %r" % loss.attrs["description"])
                w = f["/weights/w"]
                check(w.dtype == np.float32 and w.shape == (3, 4) and w[1, 2] == 0.5 * 6 - 1, "w %r" % w[:])
                labels = f["/weights/labels"]
                check(labels.dtype == np.int32 and labels[1, 0] == np.iinfo(np.int32).max, "labels %r" % labels[:])
                check(f["/curves/empty"].shape == (0,), "empty shape")
                acc = f["/summary/final_train_accuracy"][()]
                check(np.ndim(acc) == 0 and acc == 0.987654321, "scalar %r" % acc)
                title = f.attrs["title"]
                check(isinstance(title, str) and title == "ε = 0.1, μ — random labels", "title %r" % title)
                meta = f["/meta"].attrs
                check(meta["seed"] == -42 and meta["rate"] == 0.1, "meta scalars")
                check(list(meta["sizes"]) == [1, 2, 3] and list(meta["widths"][:2]) == [0.5, -1.25], "meta arrays")
            """
        let process = Process()
        process.executableURL = URL(fileURLWithPath: ProcessInfo.processInfo.environment["IMPLICIT_REG_PYTHON"]!)
        process.arguments = ["-c", script, path]
        let stderr = Pipe()
        process.standardError = stderr
        try process.run()
        let message = String(decoding: stderr.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "h5py check failed:\n\(message)")
    }

    /// A run's curves along `epoch` (the automatic rule), a sweep along `batch_size`, a group with
    /// two axes declared by hand (one labelling datasets in subgroups), and a group whose only
    /// axis-like dataset is not monotonic (no scale).
    private func scaledDocument() -> HDF5Document {
        var doc = HDF5Document()
        doc.addDataset("/curves/run/epoch", .int64([0, 1, 2]), units: "epochs", description: "epoch")
        doc.addDataset("/curves/run/train_loss", .double([2.3, 1.1, 0.4]), units: "nats per example", description: "loss")
        doc.addDataset("/curves/run/test_accuracy", .float([0.1, 0.5, 0.75]), units: "fraction", description: "accuracy")
        doc.addDataset("/curves/run/weights", .double([1, 2, 3, 4]), units: "1", description: "another length")
        doc.addDataset("/summary/sweep/batch_size", .double([64, 32, 16, 8]), units: "examples", description: "B")
        doc.addDataset("/summary/sweep/test_accuracy_mean", .double([0.8, 0.85, 0.9, 0.88]), units: "fraction", description: "mean")
        doc.addScalar("/summary/sweep/b_opt", 16, units: "examples", description: "scalar: no dimension")
        doc.addDataset("/grid/learning_rate", .double([0.01, 0.1]), units: "1", description: "ε")
        doc.addDataset("/grid/batch_size", .int64([10, 20, 40]), units: "examples", description: "B")
        doc.addDataset("/grid/best_learning_rate", .double([0.1, 0.1, 0.01]), units: "1", description: "best ε per B")
        for b in [10, 20, 40] {
            doc.addDataset("/grid/b\(b)/test_accuracy", .double([0.5, 0.6]), units: "fraction", description: "per ε")
        }
        doc.setDimensionScale("/grid/batch_size", for: ["/grid/best_learning_rate"])
        doc.setDimensionScale("/grid/learning_rate", for: [10, 20, 40].map { "/grid/b\($0)/test_accuracy" })
        doc.addDataset("/cells/batch_size", .double([16, 8, 16]), units: "examples", description: "not an axis")
        doc.addDataset("/cells/noise_scale", .double([1, 2, 3]), units: "1", description: "per cell")
        return doc
    }

    @Test func dimensionScalesFollowTheRuleAndRoundTrip() throws {
        let dir = try makeDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let doc = scaledDocument()
        let scales = Dictionary(uniqueKeysWithValues: doc.resolvedDimensionScales().map { ($0.axis, $0.datasets) })
        #expect(scales == [
            "/curves/run/epoch": ["/curves/run/test_accuracy", "/curves/run/train_loss"],
            "/summary/sweep/batch_size": ["/summary/sweep/test_accuracy_mean"],
            "/grid/batch_size": ["/grid/best_learning_rate"],
            "/grid/learning_rate": ["/grid/b10/test_accuracy", "/grid/b20/test_accuracy", "/grid/b40/test_accuracy"],
        ])
        try doc.write(to: "\(dir)/a.h5")
        try doc.write(to: "\(dir)/b.h5")
        #expect(try Data(contentsOf: URL(fileURLWithPath: "\(dir)/a.h5")) == Data(contentsOf: URL(fileURLWithPath: "\(dir)/b.h5")))
        let back = try HDF5Document.read(from: "\(dir)/a.h5")
        #expect(back.dimensionScales == doc.dimensionScales)  // the automatic ones are not listed
        #expect(back == doc)
        #expect(back.datasets["/curves/run/epoch"]?.attributes.keys.sorted() == ["description", "units"])
        // Copied under another prefix, the declared scales move with their datasets.
        var copy = HDF5Document()
        copy.merge(back, from: "/grid", into: "/summary/grid")
        #expect(copy.dimensionScales["/summary/grid/batch_size"] == ["/summary/grid/best_learning_rate"])

        var wrong = HDF5Document()
        wrong.addDataset("/g/alpha", .double([1, 2]), units: "1", description: "α")
        wrong.addDataset("/g/error", .double([1, 2, 3]), units: "1", description: "another length")
        wrong.setDimensionScale("/g/alpha", for: ["/g/error"])
        #expect(throws: HDF5Error.self) { try wrong.write(to: "\(dir)/wrong.h5") }
        #expect(!FileManager.default.fileExists(atPath: "\(dir)/wrong.h5"))
    }

    @Test(.enabled(if: ProcessInfo.processInfo.environment["IMPLICIT_REG_PYTHON"] != nil))
    func xarrayNamesTheDimensions() throws {
        let dir = try makeDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = "\(dir)/scaled.h5"
        try scaledDocument().write(to: path)
        let script = """
            import sys, numpy as np, xarray as xr
            def check(ok, what):
                if not ok:
                    sys.exit("mismatch: " + what)
            f = sys.argv[1]
            with xr.open_dataset(f, group="curves/run", engine="h5netcdf") as run:
                check(run["train_loss"].dims == ("epoch",), "train_loss dims %r" % (run["train_loss"].dims,))
                check(run["test_accuracy"].dims == ("epoch",), "test_accuracy dims %r" % (run["test_accuracy"].dims,))
                check(list(run["epoch"].values) == [0, 1, 2], "epoch %r" % run["epoch"].values)
                check("epoch" in run.coords, "epoch is not a coordinate: %r" % list(run.coords))
                check(run["epoch"].attrs["units"] == "epochs", "epoch units %r" % run["epoch"].attrs)
                check(run["weights"].dims[0].startswith("phony_dim"), "weights dims %r" % (run["weights"].dims,))
                check(abs(float(run["train_loss"].sel(epoch=1)) - 1.1) < 1e-12, "sel(epoch=1)")
            with xr.open_dataset(f, group="summary/sweep", engine="h5netcdf") as sweep:
                check(sweep["test_accuracy_mean"].dims == ("batch_size",), "sweep dims %r" % (sweep["test_accuracy_mean"].dims,))
                check(list(sweep["batch_size"].values) == [64, 32, 16, 8], "batch_size %r" % sweep["batch_size"].values)
            with xr.open_dataset(f, group="grid", engine="h5netcdf") as grid:
                check(grid["best_learning_rate"].dims == ("batch_size",), "grid dims %r" % (grid["best_learning_rate"].dims,))
                check(grid["learning_rate"].dims == ("learning_rate",), "learning_rate dims %r" % (grid["learning_rate"].dims,))
            with xr.open_dataset(f, group="grid/b20", engine="h5netcdf") as b20:
                check(b20["test_accuracy"].dims == ("learning_rate",), "b20 dims %r" % (b20["test_accuracy"].dims,))
            with xr.open_dataset(f, group="cells", engine="h5netcdf") as cells:
                check(all(d.startswith("phony_dim") for d in cells["noise_scale"].dims), "cells dims %r" % (cells["noise_scale"].dims,))
            """
        let process = Process()
        process.executableURL = URL(fileURLWithPath: ProcessInfo.processInfo.environment["IMPLICIT_REG_PYTHON"]!)
        process.arguments = ["-c", script, path]
        let stderr = Pipe()
        process.standardError = stderr
        try process.run()
        let message = String(decoding: stderr.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "xarray check failed (xarray and h5netcdf are in Reproductions/requirements.txt):\n\(message)")
    }
}
