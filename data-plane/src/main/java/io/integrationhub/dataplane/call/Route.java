package io.integrationhub.dataplane.call;

import io.integrationhub.registry.provider.Provider;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The providers one call may be sent to, in order, computed once when the call starts: the primary,
 * then its {@code config.failover.to} targets with the same request, or the envelope's
 * {@code alternatives} each with its own. Routes are not transitive: a target's own route is never
 * followed. The call moves from one leg to the next only under {@link io.integrationhub.dataplane.call.failover.MoveOn}.
 */
record Route(List<Leg> legs) {

    /**
     * One provider of the route with the request it gets.
     *
     * @param onStatus the answers of this provider that its route declares as "not executed"
     */
    record Leg(Provider provider, OutboundRequest request, Duration timeout, Collection<Integer> onStatus) {}

    Route {
        legs = List.copyOf(legs);
        if (legs.isEmpty()) {
            throw new IllegalArgumentException("a route has at least its primary");
        }
    }

    /** The provider the caller named: its idempotency record holds the call's key. */
    Leg primary() {
        return legs.get(0);
    }

    /** Whether the call may go anywhere but its primary (only then does its answer name its route). */
    boolean branches() {
        return legs.size() > 1;
    }

    /**
     * The route of a keyed call whose earlier run was parked with {@code providerId}: that provider
     * alone, which may have executed the call, so the call never moves past it. Empty when that
     * provider is no longer on the route: only its dead letter's replay may send the call again.
     */
    Optional<Route> resumedAt(String providerId) {
        return legs.stream()
                .filter(leg -> leg.provider().id().equals(providerId))
                .findFirst()
                .map(leg -> new Route(List.of(leg)));
    }

    /** The providers tried, in order, as {@code X-Integration-Route} shows them: {@code sms-a>sms-b}. */
    static String describe(List<Provider> tried) {
        return tried.stream().map(Provider::name).collect(Collectors.joining(">"));
    }
}
