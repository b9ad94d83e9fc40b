#!/usr/bin/env bash
# Link benchmark: two machines in local mode joined by a Pipeline transmission, beside two
# Node.js processes joined by a NATS server, doing the same work in the same run.
# Results: docs/benchmarks/link.json and link.md.
#
#   bench/link.sh [MESSAGES] [WARMUP]     (defaults 200000 and 300000: JavaScript needs the warm-up to be compiled)
#   needs node, npm and nats-server (Debian: apt-get install nodejs npm nats-server)
source "$(dirname "${BASH_SOURCE[0]}")/../hack/lib/common.sh"
# shellcheck source=../.mvn/find-jdk.sh
source "$REPO_ROOT/.mvn/find-jdk.sh"
set +f

messages="${1:-200000}"
warmup="${2:-300000}"
command -v node >/dev/null || die "node is needed (apt-get install nodejs)"
nats_server="$(command -v nats-server || true)"
[[ -n "$nats_server" ]] || die "nats-server is needed (apt-get install nats-server)"
cd "$REPO_ROOT"
[[ -d bench/link/node_modules/nats ]] || (cd bench/link && npm install --no-audit --no-fund --silent)
./mvnw -q -B -pl bench -am package -DskipTests
mkdir -p docs/benchmarks
"$JAVA_HOME/bin/java" -cp "bench/target/classes:$(cat bench/target/classpath.txt)" io.erlmachine.bench.link.LinkBench \
  "$REPO_ROOT" docs/benchmarks/link.json "$warmup" "$messages" "$nats_server"
