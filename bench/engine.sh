#!/usr/bin/env bash
# Engine benchmarks: a pipeline of three JavaScript gears of one gearbox beside the same three
# functions in one bare GraalJS context and in Node.js (same run); what protecting a message
# between gears costs; the time to create and harden a gearbox's context and the heap it keeps,
# with 1,000 of them; start-up to ready with and without the optimizing compiler.
# Results: docs/benchmarks/engine.json and engine.md.
#
#   bench/engine.sh [MESSAGES]     (default 1000000: after as many warm-up messages, the JIT is done)
source "$(dirname "${BASH_SOURCE[0]}")/../hack/lib/common.sh"
# shellcheck source=../.mvn/find-jdk.sh
source "$REPO_ROOT/.mvn/find-jdk.sh"
set +f

messages="${1:-1000000}"
command -v node >/dev/null || die "node is needed for the Node.js side of the benchmark (apt-get install nodejs)"
cd "$REPO_ROOT"
./mvnw -q -B -pl bench -am package -DskipTests

app="$REPO_ROOT/engine-image/target/quarkus-app"
mkdir -p docs/benchmarks
# The compiler flags use paths relative to the packaged engine, so the benchmark runs from there.
(cd "$app" && "$JAVA_HOME/bin/java" @engine.jvmargs -Xmx2g \
  -cp "$REPO_ROOT/bench/target/classes:$(cat "$REPO_ROOT/bench/target/classpath.txt")" io.erlmachine.bench.engine.EngineBench \
  "$REPO_ROOT/bench/engine" "$app" "$REPO_ROOT/docs/benchmarks/engine.json" "$messages" "$JAVA_HOME/bin/java")
