#!/usr/bin/env bash
# Benchmark: COUNT shared Machines (default 10000) spread over NAMESPACES namespaces (default 2),
# applied at once on a fresh kwok cluster, beside a baseline that writes the same objects
# directly in the same run. Measures the operator's time until all are placed and Ready, its
# peak RSS (and a heap histogram), API objects and requests per Machine (from the API server's
# audit log), the serial ledger and the hosts made. kwok runs no host process: the bench's host
# stand-in plays every host through the API (see HostsStandIn). Results:
# docs/benchmarks/shared-at-scale.json (or OUTPUT).
#
#   bench/shared-at-scale.sh [COUNT] [NAMESPACES]
#   OPERATOR_JVM_OPTIONS   JVM options for the operator (default: the chart's, with a heap for 10,000 machines)
#   ERLMACHINE_CLUSTER     the kwok cluster's name (default erlmachine-bench)
#   OUTPUT                 where the JSON goes
source "$(dirname "${BASH_SOURCE[0]}")/../hack/lib/common.sh"
# shellcheck source=../.mvn/find-jdk.sh
source "$REPO_ROOT/.mvn/find-jdk.sh"
set +f

count="${1:-10000}"
namespaces="${2:-2}"
jvm_options="${OPERATOR_JVM_OPTIONS:--XX:+UseSerialGC -Xms96m -Xmx320m -Xmn48m -XX:MaxHeapFreeRatio=30 -XX:MinHeapFreeRatio=10 -XX:TieredStopAtLevel=1 -XX:ReservedCodeCacheSize=48m -XX:MaxMetaspaceSize=128m -Xss512k -XX:+UseStringDeduplication -XX:+UseCompactObjectHeaders}"
output="${OUTPUT:-docs/benchmarks/shared-at-scale.json}"
cd "$REPO_ROOT"
# shellcheck source=lib/audited-cluster.sh
source "$REPO_ROOT/bench/lib/audited-cluster.sh"
# kwok's nodes take 110 pods each; hosts hold 200 machines each (baseline and operator hosts both).
bench_prepare $(( count / 2000 + 3 ))
kubectl --kubeconfig "$kubeconfig" get nodes -o jsonpath='{range .items[*]}{.metadata.name}: {.status.allocatable}{"\n"}{end}' >&2

mkdir -p "$(dirname "$output")"
"$JAVA_HOME/bin/java" -cp "bench/target/classes:$(cat bench/target/classpath.txt)" io.erlmachine.bench.SharedAtScale \
  "$kubeconfig" "$app/quarkus-run.jar" "$(hack/cluster audit-log)" "$output" "$count" "$namespaces" "$jvm_options"
