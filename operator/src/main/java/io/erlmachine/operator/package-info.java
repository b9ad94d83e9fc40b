/** The Erlmachine operator: one reconciler per kind, with the Kubernetes objects each one owns as dependent resources. */
package io.erlmachine.operator;
