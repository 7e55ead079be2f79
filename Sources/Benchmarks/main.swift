// implicit-reg-bench: the core's kernels and training step, one timed measurement per process.
//
// Each subcommand builds its workload, warms up, times it, and prints ONE JSON line on stdout
// (see `Measurement`), so that `bench/bench.py` can run the core, JAX, NumPy and PyTorch in
// alternation (A B A B …) in one sitting and take medians. Everything is single-threaded by
// default (`--threads 1`, OpenBLAS's own pool). Nothing here reaches inside ImplicitRegCore: the
// benchmark uses only its public API, exactly as a reading would.
//
//   implicit-reg-bench info                                   provenance (OpenBLAS kernel, git, …)
//   implicit-reg-bench gemm --precision float --n 1024        sgemm/dgemm through BLASScalar.gemm
//   implicit-reg-bench mlp-epoch --batch 128 --epochs 1       Trainer.trainEpoch, 784-512-512-10 MLP (--hidden 800)
//   implicit-reg-bench cnn-epoch --epochs 1                   Trainer.trainEpoch, the random-labels CNN
//   implicit-reg-bench mf-step                                depth-3 100×100 deep linear step (Double)
//   implicit-reg-bench mlp-hvp                                exact Hessian-vector product (Double)

import ArgumentParser
import ImplicitRegCore

BLASRuntime.useRecognisedKernel()
SubnormalFlushing.enable()

ImplicitRegBench.main()
