package io.integrationhub.controlplane.reconcile;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.integrationhub.crds.CrdConstants;
import io.integrationhub.crds.Provider;
import java.time.Clock;
import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Records Kubernetes Events on a Provider ({@code kubectl describe provider} shows them): registry
 * writes as Normal, a move to not-ready as Warning. Messages are the status messages, which never
 * carry a credential. Failing to record an event is logged and otherwise ignored: it must not fail
 * the reconcile that already did its work.
 */
public final class ProviderEvents {
    public static final String NORMAL = "Normal";
    public static final String WARNING = "Warning";
    static final String COMPONENT = "integration-hub-operator";
    private static final Logger LOG = Logger.getLogger(ProviderEvents.class.getName());

    private final KubernetesClient client;
    private final Clock clock;

    public ProviderEvents(KubernetesClient client, Clock clock) {
        this.client = client;
        this.clock = clock;
    }

    public void record(Provider provider, String type, String reason, String message) {
        String namespace = provider.getMetadata().getNamespace();
        String now = clock.instant().toString();
        Event event = new EventBuilder()
                .withNewMetadata()
                .withNamespace(namespace)
                .withName(provider.getMetadata().getName() + "."
                        + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextLong()))
                .endMetadata()
                .withInvolvedObject(new ObjectReferenceBuilder()
                        .withApiVersion(CrdConstants.API_VERSION)
                        .withKind(CrdConstants.KIND)
                        .withNamespace(namespace)
                        .withName(provider.getMetadata().getName())
                        .withUid(provider.getMetadata().getUid())
                        .build())
                .withType(type)
                .withReason(reason)
                .withMessage(message)
                .withFirstTimestamp(now)
                .withLastTimestamp(now)
                .withCount(1)
                .withNewSource()
                .withComponent(COMPONENT)
                .endSource()
                .withReportingComponent(COMPONENT)
                .build();
        try {
            client.v1().events().inNamespace(namespace).resource(event).create();
        } catch (KubernetesClientException e) {
            LOG.log(Level.WARNING, "could not record event {0} on Provider {1}/{2}: HTTP {3}", new Object[] {
                reason, namespace, provider.getMetadata().getName(), e.getCode()
            });
        }
    }
}
