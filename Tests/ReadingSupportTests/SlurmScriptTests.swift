import Foundation
import TestSupport
import Testing

// `<reading> slurm` without --submit: the job array covers the grid in N shards, each task runs
// one shard single-threaded without merging, and the merge job waits for all of them (afterok)
// and is cancelled if one fails. The real scheduler is exercised by `make test-cluster`.
@Suite("Slurm scripts")
struct SlurmScriptTests {
    @Test func theArrayCoversTheGridAndTheMergeWaitsForIt() throws {
        let out = try ExecutableRunner.temporaryDirectory("slurm")
        defer { try? FileManager.default.removeItem(atPath: out) }
        let run = try ExecutableRunner.run("random-labels", ["slurm", "--profile", "quick", "--out", out, "--tasks", "2",
                                                              "--partition", "cpu", "--mem", "2G", "--seed", "7"])
        #expect(run.status == 0, "\(run.stderr)")
        let array = try String(contentsOfFile: "\(out)/slurm/random-labels-quick.array.sbatch", encoding: .utf8)
        let merge = try String(contentsOfFile: "\(out)/slurm/random-labels-quick.merge.sbatch", encoding: .utf8)
        let submit = try String(contentsOfFile: "\(out)/slurm/submit.sh", encoding: .utf8)
        #expect(array.contains("#SBATCH --array=0-1"))
        #expect(array.contains("#SBATCH --partition=cpu"))
        #expect(array.contains("#SBATCH --mem=2G"))
        #expect(array.contains("--shard \"${SLURM_ARRAY_TASK_ID}/2\" --no-merge"))
        #expect(array.contains("--seed 7"))
        #expect(array.contains("OPENBLAS_NUM_THREADS=1"))
        #expect(merge.contains("#SBATCH --kill-on-invalid-dep=yes"))
        #expect(merge.contains(" merge --profile quick"))
        #expect(merge.contains(" verify --results "))
        #expect(submit.contains("--dependency=afterok:$array"))
    }

    @Test func aProfileWithoutConfigsIsAClearError() throws {
        let run = try ExecutableRunner.run("random-labels", ["plan", "--profile", "paper"])
        if FileManager.default.fileExists(atPath: "\(ExecutableRunner.repositoryRoot)/Reproductions/random-labels/configs/paper.json") {
            #expect(run.status == 0)
        } else {
            #expect(run.status != 0)
            #expect(run.stderr.contains("paper"))
        }
    }
}
