package io.integrationhub.cli.config;

import io.integrationhub.cli.Session;
import io.integrationhub.cli.error.HubctlException;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * Decides which hub, tenant and token a command uses. Precedence, highest first:
 * <ul>
 *   <li>context: {@code --context}, else {@code $HUBCTL_CONTEXT}, else the file's current context;</li>
 *   <li>endpoint: {@code $HUBCTL_ENDPOINT}, else the context's;</li>
 *   <li>tenant: {@code $HUBCTL_TENANT}, else the context's, else none (the token's tenant applies);</li>
 *   <li>token: {@code $HUBCTL_TOKEN}, else the context's {@code tokenEnv} variable, {@code tokenFile}
 *       or inline {@code token}.</li>
 * </ul>
 * Every failure message says which command or variable fixes it, and never shows a token.
 */
public final class TargetResolver {
    public static final String ENV_CONTEXT = "HUBCTL_CONTEXT";
    public static final String ENV_ENDPOINT = "HUBCTL_ENDPOINT";
    public static final String ENV_TENANT = "HUBCTL_TENANT";
    public static final String ENV_TOKEN = "HUBCTL_TOKEN";

    private final Session session;

    public TargetResolver(Session session) {
        this.session = session;
    }

    /** The name of the context in force, or null when none is chosen anywhere. */
    public String contextName(String flag, HubctlConfig config) {
        if (flag != null && !flag.isBlank()) {
            return flag;
        }
        String fromEnv = session.env(ENV_CONTEXT);
        return fromEnv != null ? fromEnv : config.currentContext();
    }

    public Target resolve(String contextFlag) {
        ConfigStore store = session.configStore();
        HubctlConfig config = store.load();
        String name = contextName(contextFlag, config);
        ContextEntry context = null;
        if (name != null) {
            context = config.context(name).orElse(null);
            boolean chosenExplicitly =
                    (contextFlag != null && !contextFlag.isBlank()) || session.env(ENV_CONTEXT) != null;
            if (context == null && (chosenExplicitly || session.env(ENV_ENDPOINT) == null)) {
                throw HubctlException.usage("context '" + name + "' is not in " + store.file()
                        + "; 'hubctl config view' lists the contexts, 'hubctl config set-context " + name
                        + " --endpoint URL ...' creates it");
            }
        }
        String endpoint = first(session.env(ENV_ENDPOINT), context == null ? null : context.endpoint());
        if (endpoint == null) {
            throw HubctlException.usage("no hub endpoint: run 'hubctl config set-context NAME --endpoint URL"
                    + " --token-file FILE' (then 'hubctl config use-context NAME'), or set " + ENV_ENDPOINT);
        }
        String tenant = first(session.env(ENV_TENANT), context == null ? null : context.tenant());
        String token = token(name, context);
        return new Target(context == null ? null : name, endpoint(endpoint), tenant, token);
    }

    private String token(String name, ContextEntry context) {
        String fromEnv = session.env(ENV_TOKEN);
        if (fromEnv != null) {
            return fromEnv.trim();
        }
        if (context != null && context.tokenEnv() != null) {
            String value = session.env(context.tokenEnv());
            if (value == null) {
                throw HubctlException.auth(
                        "context '" + name + "' reads its token from $" + context.tokenEnv() + ", which is not set");
            }
            return value.trim();
        }
        if (context != null && context.tokenFile() != null) {
            try {
                String value = Files.readString(Path.of(context.tokenFile()), StandardCharsets.UTF_8)
                        .trim();
                if (value.isEmpty()) {
                    throw HubctlException.auth(
                            "the token file " + context.tokenFile() + " of context '" + name + "' is empty");
                }
                return value;
            } catch (NoSuchFileException e) {
                throw HubctlException.auth("the token file " + context.tokenFile() + " of context '" + name
                        + "' does not exist; point the context at another with 'hubctl config set-context " + name
                        + " --token-file FILE'");
            } catch (IOException e) {
                throw HubctlException.auth("cannot read the token file " + context.tokenFile() + " of context '" + name
                        + "': " + e.getMessage());
            }
        }
        if (context != null && context.token() != null) {
            return context.token().trim();
        }
        throw HubctlException.auth("no token: run 'hubctl config set-context " + (name == null ? "NAME" : name)
                + " --token-file FILE' (or --token-env VAR), or set " + ENV_TOKEN);
    }

    /** Checks an endpoint URL (http or https with a host) and drops a trailing slash. */
    public static URI endpoint(String value) {
        String trimmed = value.trim();
        while (trimmed.endsWith("/")) {
            trimmed = trimmed.substring(0, trimmed.length() - 1);
        }
        try {
            URI uri = new URI(trimmed);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(java.util.Locale.ROOT);
            if ((scheme.equals("http") || scheme.equals("https"))
                    && uri.getHost() != null
                    && uri.getRawQuery() == null
                    && uri.getRawUserInfo() == null) {
                return uri;
            }
        } catch (URISyntaxException e) {
            // reported below
        }
        throw HubctlException.usage("the endpoint '" + value + "' is not an http(s) URL such as http://127.0.0.1:8080");
    }

    private static String first(String a, String b) {
        return a != null ? a : (b == null || b.isBlank() ? null : b);
    }
}
