// implicit-reg-fuzz: feeds generated inputs to the suite's readers in one process, for
// `make test-fuzz` (Tests/fuzz/fuzz.py generates the inputs and runs this). One line per input on
// standard output, "<index> ok" or "<index> error <message>", flushed before the next input, so
// the driver knows which input a crash or a hang (SIGALRM after --timeout seconds) belongs to.
import Foundation
import ImplicitRegCore
import ReadingSupport

let arguments = CommandLine.arguments
guard arguments.count >= 3 else {
    FileHandle.standardError.write(Data("usage: implicit-reg-fuzz idx1|idx3|csv|gzip|json|hdf5|compare DIR|A B [START] [TIMEOUT]\n".utf8))
    exit(2)
}
let kind = arguments[1]

if kind == "compare" {  // the kill-and-resume loop: two summaries' datasets, bit for bit
    HDF5Library.isolatesReads = true
    let a = try HDF5Document.read(from: arguments[2]), b = try HDF5Document.read(from: arguments[3])
    print(a.datasets == b.datasets ? "equal" : "different")
    exit(a.datasets == b.datasets ? 0 : 1)
}

let directory = arguments[2]
let start = arguments.count > 3 ? Int(arguments[3]) ?? 0 : 0
let timeout = arguments.count > 4 ? UInt32(arguments[4]) ?? 10 : 10
HDF5Library.isolatesReads = true
let files = try FileManager.default.contentsOfDirectory(atPath: directory).sorted()

for (index, name) in files.enumerated() where index >= start {
    let path = "\(directory)/\(name)"
    alarm(timeout)  // a hang ends the process with SIGALRM: the driver counts it against this input
    var outcome = "ok"
    do {
        switch kind {
        case "idx1", "idx3":
            _ = try IDXReader.parse(RegularFile.read(path, limit: DataError.maxFileBytes), file: path, dimensionCount: kind == "idx1" ? 1 : 3)
        case "csv":
            _ = try CSVReader.parseLabeledPixels(RegularFile.read(path, limit: DataError.maxFileBytes), file: path)
        case "gzip":
            _ = try Gzip.decompress(file: path)
        case "json":
            let object = try ConfigLoader.readObject(path)
            try ConfigLoader.checkNumbers(.object(object), field: "", file: path)
            if case let .object(training)? = object["training"] {
                try JSONValueDecoder().decode(TrainingOptions.self, from: .object(training)).validate(field: "training", trainingSetSize: 1000)
            }
            if case let .object(initializer)? = object["initializer"] {
                _ = try JSONValueDecoder().decode(Initializer.self, from: .object(initializer))
            }
        case "hdf5":
            _ = try HDF5Document.read(from: path)
        default:
            FileHandle.standardError.write(Data("unknown kind \(kind)\n".utf8))
            exit(2)
        }
    } catch {
        outcome = "error " + "\(error)".prefix(160).replacingOccurrences(of: "\n", with: " ")
    }
    alarm(0)
    print("\(index) \(outcome)")
    fflush(nil)  // every stream: the driver reads the line before the next input
}
