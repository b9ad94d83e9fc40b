#!/usr/bin/env bash
# The retained-heap limit: the engine pipeline with the limit off, at the host's default and at
# the 16 MiB floor (rounds in turn, one run); one check's cost at 100 KiB, 1 MiB and 10 MiB of
# state beside the time per message; how many messages and milliseconds after a growing gear
# crosses a 16 MiB and a 64 MiB limit it is found. Results: docs/benchmarks/retained-heap.json,
# discussed in docs/benchmarks/density.md.
#
#   bench/retained-heap.sh [MESSAGES]     (pipeline messages per round, default 200000)
source "$(dirname "${BASH_SOURCE[0]}")/../hack/lib/common.sh"
# shellcheck source=../.mvn/find-jdk.sh
source "$REPO_ROOT/.mvn/find-jdk.sh"
set +f

messages="${1:-200000}"
command -v node >/dev/null || die "node is needed to generate the pipeline's orders (apt-get install nodejs)"
cd "$REPO_ROOT"
./mvnw -q -B -pl bench -am package -DskipTests

app="$REPO_ROOT/engine-image/target/quarkus-app"
mkdir -p docs/benchmarks
# The compiler flags use paths relative to the packaged engine, so the benchmark runs from there.
(cd "$app" && "$JAVA_HOME/bin/java" @engine.jvmargs -Xmx2g \
  -cp "$REPO_ROOT/bench/target/classes:$(cat "$REPO_ROOT/bench/target/classpath.txt")" io.erlmachine.bench.engine.RetainedHeapBench \
  "$REPO_ROOT/bench/engine" "$REPO_ROOT/docs/benchmarks/retained-heap.json" "$messages")
