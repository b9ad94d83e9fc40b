package io.erlmachine.api.v1alpha1.spec;

/** How a machine is hosted: beside others in a shared engine host pod, or alone in a pod of its own. */
public enum Hosting {
  /** In one of the namespace's engine host pods, on a port of its own; the cheap way to run many machines. */
  Shared,
  /** In a pod of its own, with its own resources and NetworkPolicy. */
  Dedicated
}
