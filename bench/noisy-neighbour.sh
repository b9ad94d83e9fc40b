#!/usr/bin/env bash
# Noisy-neighbour benchmark: a healthy machine at a fixed offered rate, its latency alone and
# then beside an abusive machine (endless loops stopped by the message timeout, log floods) on
# the same local-mode engine host. Results: docs/benchmarks/noisy-neighbour.json.
#
#   bench/noisy-neighbour.sh [RATE] [SECONDS]     (defaults 100 per second, 30 s per phase)
source "$(dirname "${BASH_SOURCE[0]}")/../hack/lib/common.sh"
# shellcheck source=../.mvn/find-jdk.sh
source "$REPO_ROOT/.mvn/find-jdk.sh"
set +f

cd "$REPO_ROOT"
./mvnw -q -B -pl bench -am package -DskipTests
mkdir -p docs/benchmarks
"$JAVA_HOME/bin/java" -cp "bench/target/classes:$(cat bench/target/classpath.txt)" io.erlmachine.bench.density.NoisyNeighbourBench \
  "$REPO_ROOT" docs/benchmarks/noisy-neighbour.json "${1:-100}" "${2:-30}"
