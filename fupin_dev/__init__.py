"""Developer tools outside the runtime package: the sample-data generator and the benchmarks
(`fupin sample-data`, `fupin bench`)."""
