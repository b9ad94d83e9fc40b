package io.erlmachine.api.crd;

import io.erlmachine.api.v1alpha1.Gearbox;
import io.erlmachine.api.v1alpha1.Machine;
import io.erlmachine.api.v1alpha1.Transmission;
import io.fabric8.crdv2.generator.CRDGenerator;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.io.File;
import java.util.List;

/**
 * Writes the CRDs of every Erlmachine kind into a directory. The build runs it into
 * {@code target/crds}; the {@code update-crds} profile runs it into the committed {@code crds/}.
 */
public final class CrdGenerator {
  public static final List<Class<? extends HasMetadata>> KINDS = List.of(Machine.class, Gearbox.class, Transmission.class);

  private CrdGenerator() {
  }

  public static void main(String[] args) {
    if (args.length != 1) {
      throw new IllegalArgumentException("usage: CrdGenerator <output directory>");
    }
    File outputDir = new File(args[0]);
    if (!outputDir.isDirectory() && !outputDir.mkdirs()) {
      throw new IllegalStateException("cannot create " + outputDir);
    }
    int written = new CRDGenerator()
        .inOutputDir(outputDir)
        .forCRDVersions("v1")
        .customResourceClasses(KINDS)
        .withPostProcessor(new CrdPostProcessor(KINDS))
        .generate();
    if (written != KINDS.size()) {
      throw new IllegalStateException("expected " + KINDS.size() + " CRDs, generated " + written);
    }
  }
}
