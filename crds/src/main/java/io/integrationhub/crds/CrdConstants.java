package io.integrationhub.crds;

/** Names of the Provider custom resource, shared by the model, the operator and the tests. */
public final class CrdConstants {
    public static final String GROUP = "integrationhub.io";
    public static final String VERSION = "v1";
    public static final String API_VERSION = GROUP + "/" + VERSION;
    public static final String KIND = "Provider";
    public static final String PLURAL = "providers";
    public static final String SHORT_NAME = "prov";
    /** The CRD's own name, {@code <plural>.<group>}. */
    public static final String CRD_NAME = PLURAL + "." + GROUP;
    /** The file the crd-generator writes, on the classpath of this module's jar. */
    public static final String CRD_RESOURCE = "META-INF/fabric8/" + CRD_NAME + "-" + VERSION + ".yml";

    private CrdConstants() {}
}
