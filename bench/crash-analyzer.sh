#!/usr/bin/env bash
# Throughput of the crash analyzer on a console log made of the real logs of the
# syzkaller corpus concatenated (200 MB unless a size in MB is given). Prints MB/s.
# Usage: [RUNS=n] bench/crash-analyzer.sh [MB]   (5 runs unless RUNS says otherwise)
set -euo pipefail
cd "$(dirname "$0")/../rig-controller"
# Maven 3.8 prints colour resets even in quiet batch mode: drop them.
mvn -B -q test-compile 2>&1 | sed 's/\x1b\[[0-9;]*m//g'
mvn -B -q dependency:build-classpath -Dmdep.outputFile=target/bench-classpath.txt >/dev/null
# The analyzer is single-threaded: the serial collector keeps GC threads from competing
# with it on a small, shared machine.
exec java -XX:+UseSerialGC -Druns="${RUNS:-5}" -cp "target/test-classes:target/classes:$(cat target/bench-classpath.txt)" \
    org.kernelrig.crash.CrashAnalyzerBenchmark "${1:-200}" src/test/resources/syzkaller-linux-report target/bench
