package io.erlmachine.operator.it;

import io.erlmachine.testkit.KwokClusterExtension;
import io.erlmachine.testkit.KwokClusterExtension.ClusterAccess;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.ExtendWith;

/** For test classes that need the packaged operator running (as cluster admin) against the test control plane. */
@ExtendWith(KwokClusterExtension.class)
abstract class WithRunningOperator {
  private static OperatorProcess operator;

  @BeforeAll
  static void startOperator(ClusterAccess cluster) {
    OperatorNamespace.ensure(cluster.client());
    HostStandIn.ensureRunning(cluster.kubeconfig());
    operator = OperatorProcess.start(cluster.kubeconfig());
  }

  static OperatorProcess operator() {
    return operator;
  }

  @AfterAll
  static void stopOperator() {
    if (operator != null) {
      operator.close();
      operator = null;
    }
  }
}
