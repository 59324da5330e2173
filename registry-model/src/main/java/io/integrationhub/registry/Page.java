package io.integrationhub.registry;

import java.util.List;

/** One page of a keyset-paged listing; {@code nextAfterId} is null on the last page. */
public record Page<T>(List<T> items, String nextAfterId) {
    public Page {
        items = List.copyOf(items);
    }
}
