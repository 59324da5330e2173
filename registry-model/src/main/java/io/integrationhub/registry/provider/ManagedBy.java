package io.integrationhub.registry.provider;

/** Who owns a provider row; operator-owned rows are read-only over REST and hubctl. */
public enum ManagedBy {
    API,
    OPERATOR
}
