package org.masktune.devicecheck;

/** What a device check measured; stored as the job's result. */
public record DeviceCheckResult(
        String engine,
        String engineVersion,
        String djlVersion,
        String device,
        int gpuCount,
        int matrixSize,
        int repeats,
        double millisecondsPerMultiply,
        double gflops,
        int interOpThreads,
        int availableProcessors) {
}
