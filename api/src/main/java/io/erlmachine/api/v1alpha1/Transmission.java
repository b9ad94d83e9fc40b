package io.erlmachine.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import io.erlmachine.api.v1alpha1.spec.TransmissionSpec;
import io.erlmachine.api.v1alpha1.status.TransmissionStatus;
import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Categories;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/** A pathway that carries messages from a gear to gears of other gearboxes and machines. */
@JsonClassDescription("A pathway that carries the messages a gear emits to gears of other gearboxes, on the same or other machines.")
@Group(ApiGroup.NAME)
@Version(ApiGroup.VERSION)
@ShortNames("tmx")
@Categories(ApiGroup.CATEGORY)
@AdditionalPrinterColumn(name = "Pattern", jsonPath = ".spec.pattern", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Routes", jsonPath = ".status.routeCount", type = AdditionalPrinterColumn.Type.INTEGER)
@AdditionalPrinterColumn(name = "Phase", jsonPath = ".status.phase", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Ready", jsonPath = ".status.conditions[?(@.type==\"Ready\")].status", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Age", jsonPath = ".metadata.creationTimestamp", type = AdditionalPrinterColumn.Type.DATE)
public class Transmission extends CustomResource<TransmissionSpec, TransmissionStatus> implements Namespaced {
}
