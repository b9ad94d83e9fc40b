#!/usr/bin/env bash
# Benchmark: COUNT Machines (default 1000) applied at once on a fresh kwok cluster. Measures
# the operator's time until every Machine is Ready, its peak RSS, its API requests per
# Machine (from the API server's audit log) and the serial ledger's objects, bytes and writes,
# beside a baseline that creates the same child objects directly with the fabric8 client.
# Results: docs/benchmarks/machines-at-scale.json.
#
#   bench/machines-at-scale.sh [COUNT]
#   OPERATOR_JVM_OPTIONS   JVM options for the operator (default: the chart's jvmOptions)
#   ERLMACHINE_CLUSTER     the kwok cluster's name (default erlmachine-bench)
#   OUTPUT                 where the JSON goes (default docs/benchmarks/machines-at-scale.json)
source "$(dirname "${BASH_SOURCE[0]}")/../hack/lib/common.sh"
# shellcheck source=../.mvn/find-jdk.sh
source "$REPO_ROOT/.mvn/find-jdk.sh"
set +f

count="${1:-1000}"
jvm_options="${OPERATOR_JVM_OPTIONS:-$(sed -n 's/^jvmOptions: *"\(.*\)"$/\1/p' "$REPO_ROOT/helm/erlmachine/values.yaml")}"
output="${OUTPUT:-docs/benchmarks/machines-at-scale.json}"
cd "$REPO_ROOT"
# shellcheck source=lib/audited-cluster.sh
source "$REPO_ROOT/bench/lib/audited-cluster.sh"
bench_prepare $(( count / 100 + 3 ))

mkdir -p "$(dirname "$output")"
"$JAVA_HOME/bin/java" -cp "bench/target/classes:$(cat bench/target/classpath.txt)" io.erlmachine.bench.MachinesAtScale \
  "$kubeconfig" "$app/quarkus-run.jar" "$(hack/cluster audit-log)" "$output" \
  "$count" "$jvm_options"
