package io.integrationhub.cli.apply;

import java.util.Map;

/**
 * A Kubernetes Secret read from the input: {@code stringData} over base64-decoded {@code data}, as
 * the API server merges them. Only ever used as a credential source; its values are never printed.
 */
record SecretManifest(String source, String name, String namespace, Map<String, String> values) {
    @Override
    public String toString() {
        return "Secret " + name + " (" + values.size() + " keys)";
    }
}
