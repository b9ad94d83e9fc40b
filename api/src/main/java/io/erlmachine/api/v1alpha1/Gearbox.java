package io.erlmachine.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import io.erlmachine.api.v1alpha1.spec.GearboxSpec;
import io.erlmachine.api.v1alpha1.status.GearboxStatus;
import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Categories;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/** A set of gears and the shafts between them, with self-tests, placed onto the machines that select it. */
@JsonClassDescription("A set of gears and the shafts between them, with self-tests, run on every machine whose gearboxSelector matches its labels.")
@Group(ApiGroup.NAME)
@Version(ApiGroup.VERSION)
@Plural("gearboxes")
@ShortNames("gbx")
@Categories(ApiGroup.CATEGORY)
@AdditionalPrinterColumn(name = "Gears", jsonPath = ".status.gearCount", type = AdditionalPrinterColumn.Type.INTEGER)
@AdditionalPrinterColumn(name = "Machines", jsonPath = ".status.machineCount", type = AdditionalPrinterColumn.Type.INTEGER)
@AdditionalPrinterColumn(name = "Phase", jsonPath = ".status.phase", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Ready", jsonPath = ".status.conditions[?(@.type==\"Ready\")].status", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Age", jsonPath = ".metadata.creationTimestamp", type = AdditionalPrinterColumn.Type.DATE)
public class Gearbox extends CustomResource<GearboxSpec, GearboxStatus> implements Namespaced {
}
