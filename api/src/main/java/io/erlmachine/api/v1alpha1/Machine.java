package io.erlmachine.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import io.erlmachine.api.v1alpha1.spec.MachineSpec;
import io.erlmachine.api.v1alpha1.status.MachineStatus;
import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Categories;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/** An isolated code engine with a cluster DNS name and a unique serial number. */
@JsonClassDescription("An isolated code engine with a cluster DNS name and a unique serial number. Shared machines run in engine host pods of their namespace, each on its own port; a dedicated machine runs as a one-replica StatefulSet with a NetworkPolicy. Every machine has a Service (its DNS name) and a rendered config.")
@Group(ApiGroup.NAME)
@Version(ApiGroup.VERSION)
@ShortNames("mach")
@Categories(ApiGroup.CATEGORY)
@AdditionalPrinterColumn(name = "Serial", jsonPath = ".status.serial", type = AdditionalPrinterColumn.Type.INTEGER)
@AdditionalPrinterColumn(name = "DNS", jsonPath = ".status.dnsName", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Host", jsonPath = ".status.host", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Port", jsonPath = ".status.port", type = AdditionalPrinterColumn.Type.INTEGER)
@AdditionalPrinterColumn(name = "Phase", jsonPath = ".status.phase", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Ready", jsonPath = ".status.conditions[?(@.type==\"Ready\")].status", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Age", jsonPath = ".metadata.creationTimestamp", type = AdditionalPrinterColumn.Type.DATE)
@ValidationRule(value = "self.metadata.name.matches('^[a-z]([-a-z0-9]*[a-z0-9])?$') && size(self.metadata.name) <= 63",
    message = "a Machine name becomes its DNS name: use at most 63 lower-case letters, digits and '-', starting with a letter and ending with a letter or digit")
public class Machine extends CustomResource<MachineSpec, MachineStatus> implements Namespaced {
}
