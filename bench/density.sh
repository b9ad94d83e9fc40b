#!/usr/bin/env bash
# Density benchmark: fleets of one-gearbox machines (endpoint -> js -> counter) in ONE local-mode
# engine host, beside one machine alone in its host, in the same run: seconds to ready, RSS and
# heap after every machine handled a message, machines per GiB, time to apply one machine.
# Results: docs/benchmarks/density.json (analysis in docs/benchmarks/density.md).
#
#   bench/density.sh [SIZES...]     (default: 1 10 100 1000)
source "$(dirname "${BASH_SOURCE[0]}")/../hack/lib/common.sh"
# shellcheck source=../.mvn/find-jdk.sh
source "$REPO_ROOT/.mvn/find-jdk.sh"
set +f

sizes=("$@")
[[ ${#sizes[@]} -gt 0 ]] || sizes=(1 10 100 1000)
cd "$REPO_ROOT"
./mvnw -q -B -pl bench -am package -DskipTests
mkdir -p docs/benchmarks
"$JAVA_HOME/bin/java" -cp "bench/target/classes:$(cat bench/target/classpath.txt)" io.erlmachine.bench.density.DensityBench \
  "$REPO_ROOT" docs/benchmarks/density.json "${sizes[@]}"
# A machine's own start on a warm host, in process (no listener, no config file): p50/p99 per round.
(cd "$REPO_ROOT/engine-image/target/quarkus-app" && "$JAVA_HOME/bin/java" @engine.jvmargs \
  -cp "$REPO_ROOT/bench/target/classes:$(cat "$REPO_ROOT/bench/target/classpath.txt")" io.erlmachine.bench.density.WarmHostApply 200)
