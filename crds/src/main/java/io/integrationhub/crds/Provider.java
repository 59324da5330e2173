package io.integrationhub.crds;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Kind;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;
import io.integrationhub.crds.spec.ProviderSpec;
import io.integrationhub.crds.status.ProviderStatus;

/**
 * A provider of the registry declared as a Kubernetes resource. Its {@code metadata.name} is the
 * provider's name; its tenant is {@code spec.tenantId} or, when absent, the namespace.
 * {@code kubectl get providers} shows URL, AUTH, READY, CIRCUIT and AGE (AGE must be listed because
 * declaring any column replaces the default ones).
 */
@Group(CrdConstants.GROUP)
@Version(CrdConstants.VERSION)
@Kind(CrdConstants.KIND)
@Plural(CrdConstants.PLURAL)
@ShortNames(CrdConstants.SHORT_NAME)
@AdditionalPrinterColumn(name = "URL", jsonPath = ".spec.baseUrl")
@AdditionalPrinterColumn(name = "AUTH", jsonPath = ".spec.auth.type")
@AdditionalPrinterColumn(name = "READY", jsonPath = ".status.conditions[?(@.type==\"Ready\")].status")
@AdditionalPrinterColumn(name = "CIRCUIT", jsonPath = ".status.circuit")
@AdditionalPrinterColumn(
        name = "AGE",
        jsonPath = ".metadata.creationTimestamp",
        type = AdditionalPrinterColumn.Type.DATE)
public class Provider extends CustomResource<ProviderSpec, ProviderStatus> implements Namespaced {}
