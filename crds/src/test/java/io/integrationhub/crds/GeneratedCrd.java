package io.integrationhub.crds;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionVersion;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/** The CRD the build generated, read from the classpath the way the operator's tests read it. */
public final class GeneratedCrd {
    private GeneratedCrd() {}

    public static CustomResourceDefinition load() {
        try (InputStream in = GeneratedCrd.class.getClassLoader().getResourceAsStream(CrdConstants.CRD_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(
                        CrdConstants.CRD_RESOURCE + " is missing: the crd-generator did not run");
            }
            return Serialization.unmarshal(in, CustomResourceDefinition.class);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static CustomResourceDefinitionVersion v1() {
        return load().getSpec().getVersions().get(0);
    }

    public static JSONSchemaProps root() {
        return v1().getSchema().getOpenAPIV3Schema();
    }

    /** The schema at a dotted path below the root, e.g. {@code spec.config.retry.maxAttempts}. */
    static JSONSchemaProps at(String path) {
        JSONSchemaProps node = root();
        for (String part : path.split("\\.")) {
            node = node.getProperties().get(part);
            if (node == null) {
                throw new AssertionError("no schema at " + path + " (missing " + part + ")");
            }
        }
        return node;
    }
}
