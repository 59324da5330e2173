package io.integrationhub.registry.provider;

/** No live provider with that id or name in the caller's tenant (another tenant's looks the same). */
public final class ProviderNotFoundException extends RuntimeException {
    public ProviderNotFoundException(String idOrName) {
        // Echo the reference only when it is shaped like one: arbitrary caller text is not repeated back.
        super(
                idOrName != null
                                && (io.integrationhub.registry.Ids.looksLikeId(idOrName)
                                        || ProviderValidator.DNS_1123_LABEL
                                                .matcher(idOrName)
                                                .matches())
                        ? "no provider '" + idOrName + "'"
                        : "no provider by that reference",
                null,
                false,
                false);
    }
}
