package io.erlmachine.operator.host;

import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.net.HttpURLConnection;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Map;

/**
 * The token a namespace's engine hosts require on control requests (reload, restart, clutch),
 * since every neighbour on a host can reach every machine's port. It is made once, at random,
 * and never rewritten: a running host keeps the token it started with. It goes with the other
 * host objects. The operator may read and change this one Secret only.
 */
public final class HostControlSecret {
  public static final String NAME = "erlmachine-host-control";
  public static final String KEY = "token";
  static final String ENV = "ERLMACHINE_ENGINE_CONTROL_TOKEN";
  private static final int TOKEN_BYTES = 32;
  private static final SecureRandom RANDOM = new SecureRandom();

  private final KubernetesClient client;

  public HostControlSecret(KubernetesClient client) {
    this.client = client;
  }

  /** Creates the Secret unless it exists; an existing one, even if another operator made it a moment ago, is kept. */
  public void ensure(String namespace) {
    if (client.secrets().inNamespace(namespace).withName(NAME).get() != null) {
      return;
    }
    try {
      client.secrets().inNamespace(namespace).resource(fresh(namespace)).create();
    } catch (KubernetesClientException e) {
      if (e.getCode() != HttpURLConnection.HTTP_CONFLICT) {
        throw e;
      }
    }
  }

  void delete(String namespace) {
    client.secrets().inNamespace(namespace).withName(NAME).delete();
  }

  /** The host container's variable that carries the token. */
  static EnvVar environment() {
    return new EnvVarBuilder().withName(ENV)
        .withNewValueFrom().withNewSecretKeyRef().withName(NAME).withKey(KEY).withOptional(false).endSecretKeyRef().endValueFrom()
        .build();
  }

  static Secret fresh(String namespace) {
    byte[] token = new byte[TOKEN_BYTES];
    RANDOM.nextBytes(token);
    return new SecretBuilder()
        .withNewMetadata().withName(NAME).withNamespace(namespace).withLabels(HostBlueprint.labels()).endMetadata()
        .withType("Opaque")
        .withImmutable(true)
        .withStringData(Map.of(KEY, Base64.getUrlEncoder().withoutPadding().encodeToString(token)))
        .build();
  }
}
