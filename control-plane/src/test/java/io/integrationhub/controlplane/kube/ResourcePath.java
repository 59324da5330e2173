package io.integrationhub.controlplane.kube;

import java.util.Arrays;
import java.util.Optional;

/** A request path taken apart: group, version, namespace, plural, name ({@code /apis/g/v/namespaces/ns/plural/name}). */
record ResourcePath(String group, String version, String namespace, String plural, String name) {

    static Optional<ResourcePath> parse(String path) {
        String[] parts =
                Arrays.stream(path.split("/")).filter(p -> !p.isEmpty()).toArray(String[]::new);
        int restAt;
        String group;
        if (parts.length >= 3 && parts[0].equals("api")) {
            group = "";
            restAt = 2;
        } else if (parts.length >= 4 && parts[0].equals("apis")) {
            group = parts[1];
            restAt = 3;
        } else {
            return Optional.empty();
        }
        String version = parts[restAt - 1];
        String[] rest = Arrays.copyOfRange(parts, restAt, parts.length);
        if (rest.length >= 3 && rest[0].equals("namespaces")) {
            return Optional.of(new ResourcePath(group, version, rest[1], rest[2], rest.length > 3 ? rest[3] : null));
        }
        return Optional.of(new ResourcePath(group, version, null, rest[0], rest.length > 1 ? rest[1] : null));
    }

    boolean is(ApiResource resource) {
        return resource.group().equals(group)
                && resource.version().equals(version)
                && resource.plural().equals(plural);
    }
}
