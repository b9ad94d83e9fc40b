package io.erlmachine.bench;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The API objects stored in some namespaces after a run, by kind, besides the Machines themselves. Events are split by
 * what they are about: the Machines (recorded by the operator) or other objects (recorded by Kubernetes controllers,
 * for example the StatefulSet controller creating host pods). The namespace's own root CA ConfigMap, ServiceAccount
 * and the like, which every namespace gets, are counted apart as {@code namespaceDefaults}.
 */
record ObjectCounts(Map<String, Long> byKind, Map<String, Long> machineEventReasons, long namespaceDefaults) {
  private static final String ROOT_CA = "kube-root-ca.crt";

  static ObjectCounts read(KubernetesClient client, List<String> namespaces) {
    Map<String, Long> byKind = new TreeMap<>();
    Map<String, Long> reasons = new TreeMap<>();
    long defaults = 0;
    for (String namespace : namespaces) {
      var configMaps = client.configMaps().inNamespace(namespace).list().getItems();
      long rootCa = configMaps.stream().filter(c -> ROOT_CA.equals(c.getMetadata().getName())).count();
      var accounts = client.serviceAccounts().inNamespace(namespace).list().getItems();
      long defaultAccount = accounts.stream().filter(a -> "default".equals(a.getMetadata().getName())).count();
      defaults += rootCa + defaultAccount;
      add(byKind, "ConfigMap", configMaps.size() - rootCa);
      add(byKind, "ServiceAccount", accounts.size() - defaultAccount);
      add(byKind, "Service", client.services().inNamespace(namespace).list().getItems().size());
      add(byKind, "EndpointSlice", client.discovery().v1().endpointSlices().inNamespace(namespace).list().getItems().size());
      add(byKind, "Endpoints", client.endpoints().inNamespace(namespace).list().getItems().size());
      add(byKind, "Lease", client.leases().inNamespace(namespace).list().getItems().size());
      add(byKind, "Pod", client.pods().inNamespace(namespace).list().getItems().size());
      add(byKind, "StatefulSet", client.apps().statefulSets().inNamespace(namespace).list().getItems().size());
      add(byKind, "ControllerRevision", client.apps().controllerRevisions().inNamespace(namespace).list().getItems().size());
      add(byKind, "Secret", client.secrets().inNamespace(namespace).list().getItems().size());
      add(byKind, "Role", client.rbac().roles().inNamespace(namespace).list().getItems().size());
      add(byKind, "RoleBinding", client.rbac().roleBindings().inNamespace(namespace).list().getItems().size());
      add(byKind, "NetworkPolicy", client.network().v1().networkPolicies().inNamespace(namespace).list().getItems().size());
      List<Event> events = client.v1().events().inNamespace(namespace).list().getItems();
      List<Event> machineEvents = events.stream().filter(e -> "Machine".equals(e.getInvolvedObject().getKind())).toList();
      machineEvents.forEach(e -> reasons.merge(e.getType() + " " + e.getReason(), 1L, Long::sum));
      long aboutMachines = machineEvents.size();
      add(byKind, "Event (about Machines)", aboutMachines);
      add(byKind, "Event (about other objects)", events.size() - aboutMachines);
    }
    return new ObjectCounts(byKind, reasons, defaults);
  }

  long total() {
    return byKind.values().stream().mapToLong(Long::longValue).sum();
  }

  long of(String kind) {
    return byKind.getOrDefault(kind, 0L);
  }

  private static void add(Map<String, Long> counts, String kind, long count) {
    counts.merge(kind, count, Long::sum);
  }
}
