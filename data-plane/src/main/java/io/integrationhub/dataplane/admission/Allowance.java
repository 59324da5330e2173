package io.integrationhub.dataplane.admission;

import io.integrationhub.registry.provider.ProviderConfig;

/**
 * What one call may draw on at a provider: {@code limit} calls in any rolling second for its class
 * (the provider's limit times its class's share, so lower classes leave headroom for higher ones),
 * and, when its module is capped ({@code moduleLimit > 0}), at most that many of the module's own
 * calls in any rolling second. A cap only narrows: a module never gets more than its class's limit.
 */
public record Allowance(int limit, String module, int moduleLimit) {
    public Allowance {
        if (limit < 1 || moduleLimit < 0 || (moduleLimit > 0 && module == null)) {
            throw new IllegalArgumentException("limit " + limit + ", module " + module + " cap " + moduleLimit);
        }
    }

    /** A provider-wide limit with no class or module rule (tests, and providers without fair-share rules). */
    public static Allowance of(int rateLimitPerSec) {
        return new Allowance(rateLimitPerSec, null, 0);
    }

    /** The allowance of the module's calls at a provider whose limit is {@code rateLimitPerSec}. */
    public static Allowance of(ProviderConfig config, int rateLimitPerSec, String module) {
        int limit = config.effectivePriorityShares().limitFor(config.priorityOf(module), rateLimitPerSec);
        Integer cap = config.moduleLimit(module);
        return cap == null ? new Allowance(limit, null, 0) : new Allowance(limit, module, Math.min(cap, limit));
    }

    public boolean capped() {
        return moduleLimit > 0;
    }

    /**
     * This instance's part when it decides alone (Valkey unreachable): every number divided by the
     * replicas expected to share it, at least 1.
     */
    public Allowance dividedBy(int replicas) {
        return new Allowance(Math.max(1, limit / replicas), module, capped() ? Math.max(1, moduleLimit / replicas) : 0);
    }

    /**
     * Which calls share one lease of permits: those of one capped module, or all uncapped calls with
     * the same class limit.
     */
    String scope() {
        return capped() ? "m:" + module : "l:" + limit;
    }
}
