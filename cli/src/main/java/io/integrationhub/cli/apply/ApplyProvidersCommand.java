package io.integrationhub.cli.apply;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.integrationhub.cli.Session;
import io.integrationhub.cli.VersionProvider;
import io.integrationhub.cli.config.HubOptions;
import io.integrationhub.cli.error.ExitCode;
import io.integrationhub.cli.error.HubctlException;
import io.integrationhub.cli.http.HubClient;
import io.integrationhub.cli.http.Json;
import io.integrationhub.cli.http.ProblemException;
import io.integrationhub.cli.input.InputFiles;
import io.integrationhub.cli.output.OutputOptions;
import io.integrationhub.cli.providers.ProviderApi;
import io.integrationhub.crds.RegistryDocument;
import io.integrationhub.registry.provider.CredentialDestination;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code hubctl providers apply -f FILE}: makes the hub hold what Provider manifests say. Per
 * provider: created when the tenant has none of that name; left alone ("unchanged") when its
 * document equals the manifest's (see {@link ProviderDiff}) and no new credentials are given (see
 * {@link AppliedRecords}); otherwise patched with If-Match of the version just read ("configured").
 * The tenant is {@code spec.tenantId}, else {@code metadata.namespace}, else the context's, else the
 * token's.
 *
 * <p>All or nothing as far as hubctl can tell beforehand: every document is parsed and checked with
 * the hub's rules ({@link LocalCheck}), then every provider is read from the hub and its change
 * decided (tenant access, operator ownership, credentials needed), and only when all of that passed
 * is anything written. A write the hub still refuses (a change made meanwhile, a rule only the hub
 * knows such as http URLs) stops the apply; what was applied before it is listed.
 */
@Command(
        name = "apply",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        header = "Create or update providers from Provider YAML, the files kubectl applies.",
        description = {
            "Takes the Provider resources of crds/examples/ (several documents per file, directories, - for stdin),"
                    + " so one file serves kubectl and hubctl. Idempotent: a provider whose document already matches"
                    + " prints 'unchanged', others are created or configured (a merge patch with If-Match).",
            "Credentials, per entry, first found wins: --from-file KEY=PATH; --from-env PREFIX (the variable PREFIX"
                    + " + the Secret key in upper snake case: api-key -> PREFIX + API_KEY); the Secret named by"
                    + " spec.auth.secretRef among the input's documents. Never from a plain flag. Without any, an"
                    + " existing provider keeps its stored credentials.",
            "Credentials count as changed unless the last apply from this machine sent the same ones (an HMAC kept"
                    + " beside the config file) and the provider has not changed since.",
            "Tenant: spec.tenantId, else metadata.namespace, else the context's tenant, else the token's.",
            "All or nothing: every document is checked with the hub's rules and every provider read from the hub"
                    + " before anything is written, so a file with one bad document changes nothing. (http:// URLs are"
                    + " left to the hub, which may refuse them.)"
        },
        footerHeading = "%nExamples:%n",
        footer = {
            "  hubctl providers apply -f crds/examples/api-key-header.yaml",
            "  hubctl providers apply -f providers/ --dry-run",
            "  PSP_API_KEY=... hubctl providers apply -f psp.yaml --from-env PSP_",
            "  hubctl providers apply -f psp.yaml --from-file api-key=./psp-key.txt",
            "  kubectl kustomize overlays/prod | hubctl providers apply -f -"
        })
public final class ApplyProvidersCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    HubOptions hub;

    @Mixin
    OutputOptions output;

    @Option(
            names = {"-f", "--filename"},
            required = true,
            paramLabel = "FILE",
            description = "A YAML/JSON file, a directory of them, or - for standard input. Repeatable.")
    List<String> files;

    @Option(
            names = "--from-env",
            paramLabel = "PREFIX",
            description = "Read credentials from environment variables PREFIX + Secret key in upper snake case.")
    String fromEnv;

    @Option(
            names = "--from-file",
            paramLabel = "KEY=PATH",
            description =
                    "Read the credential of Secret key (or entry) KEY from a file (one trailing line break dropped). Repeatable.")
    Map<String, Path> fromFiles = new LinkedHashMap<>();

    @Option(names = "--dry-run", description = "Say what would be created or configured, change nothing.")
    boolean dryRun;

    private final Session session;

    public ApplyProvidersCommand(Session session) {
        this.session = session;
    }

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Manifests manifests =
                Manifests.read(new InputFiles(session).read(files), warning -> err.println("warning: " + warning));
        if (manifests.providers.isEmpty()) {
            throw HubctlException.usage("no " + io.integrationhub.crds.CrdConstants.API_VERSION
                    + " Provider document in " + String.join(", ", files));
        }
        checkUnique(manifests.providers);
        CredentialSources sources = new CredentialSources(fromFiles, fromEnv, session::env, manifests.secrets);
        int total = manifests.providers.size();

        // 1. Every document, locally: credentials found, the hub's rules met.
        List<Optional<Map<String, String>>> credentials = new ArrayList<>();
        List<HubctlException> failures = new ArrayList<>();
        for (ProviderManifest manifest : manifests.providers) {
            try {
                Optional<Map<String, String>> given = sources.resolve(manifest);
                LocalCheck.check(manifest, given);
                credentials.add(given);
            } catch (HubctlException e) {
                failures.add(about(manifest, e));
            }
        }
        stopIfAny(failures, total, err);

        // 2. What the hub holds, read only: what each provider needs.
        HubClient client = hub.client(session);
        AppliedRecords records =
                new AppliedRecords(session.configStore().directory().resolve("applied"));
        List<Step> steps = new ArrayList<>();
        for (int i = 0; i < total; i++) {
            ProviderManifest manifest = manifests.providers.get(i);
            try {
                steps.add(
                        plan(manifest, credentials.get(i), sources, client.forTenant(manifest.tenant()), records, err));
            } catch (HubctlException e) {
                failures.add(about(manifest, e));
            }
        }
        stopIfAny(failures, total, err);
        steps = inRouteOrder(steps, failures);
        stopIfAny(failures, total, err);

        // 3. The writes.
        List<ApplyResult> results = new ArrayList<>();
        for (Step step : steps) {
            ApplyResult result;
            try {
                result = dryRun ? step.dryRunResult() : execute(step, records, err);
            } catch (HubctlException e) {
                HubctlException failure = about(step.manifest(), e);
                if (total == 1) {
                    throw failure;
                }
                print(failure, err);
                printDocument(results, out);
                throw new HubctlException(
                        failure.exitCode(),
                        results.size() + " of " + total + " providers were applied before the hub"
                                + " refused provider/" + step.manifest().name() + "; the others were not sent",
                        List.of(),
                        null,
                        null);
            }
            results.add(result);
            if (output.isTable()) {
                out.println(result.line());
                out.flush();
            }
        }
        printDocument(results, out);
        return ExitCode.OK;
    }

    /** What one provider needs: its change decided from what the hub holds, nothing written. */
    private record Step(
            ProviderManifest manifest,
            HubClient client,
            String action,
            ProviderApi.Versioned held,
            ObjectNode send,
            Map<String, String> credentialsSent,
            String keptFingerprint) {
        ApplyResult dryRunResult() {
            return held == null
                    ? new ApplyResult(manifest.name(), client.target().tenant(), null, null, action, true)
                    : result(held, action, true);
        }
    }

    private Step plan(
            ProviderManifest manifest,
            Optional<Map<String, String>> credentials,
            CredentialSources sources,
            HubClient client,
            AppliedRecords records,
            PrintWriter err) {
        String name = manifest.name();
        ObjectNode desired = RegistryDocument.of(manifest.resource(), null);
        List<String> needed = CredentialEntries.of(Json.text(desired, "auth.type"));
        Optional<ProviderApi.Versioned> current = new ProviderApi(client).find(name);

        if (current.isEmpty()) {
            if (!needed.isEmpty() && credentials.isEmpty()) {
                throw HubctlException.usage(
                        "needs credentials " + needed + " to be created: " + sources.howToGive(manifest));
            }
            return new Step(
                    manifest,
                    client,
                    "created",
                    null,
                    RegistryDocument.of(manifest.resource(), credentials.orElse(null)),
                    credentials.orElse(null),
                    null);
        }

        ProviderApi.Versioned held = current.get();
        String tenantId = Json.text(held.document(), "tenantId");
        Optional<AppliedRecords.Record> record = records.read(client.target().endpoint(), tenantId, name);
        boolean recordCurrent = record.isPresent()
                && record.get().id() != null
                && record.get().id().equals(Json.text(held.document(), "id"))
                && record.get().version() == held.document().path("version").asLong(-2);
        boolean credentialsSame = credentials.isEmpty()
                || (recordCurrent
                        && fingerprint(records, credentials.get(), err)
                                .map(f -> f.equals(record.get().fingerprint()))
                                .orElse(false));
        if (credentialsSame && ProviderDiff.same(desired, held.document())) {
            return new Step(manifest, client, "unchanged", held, null, null, null);
        }
        if ("operator".equals(Json.text(held.document(), "managedBy"))) {
            throw HubctlException.invalid(
                    "is managed by a Kubernetes Provider resource; change it with kubectl (kubectl edit provider "
                            + name + ")",
                    List.of());
        }
        String authType = Json.text(desired, "auth.type") == null ? "none" : Json.text(desired, "auth.type");
        boolean authTypeChanges = !authType.equals(Json.text(held.document(), "auth.type"));
        // The hub keeps stored credentials only while they go where they went (CredentialDestination).
        Optional<String> moved = CredentialDestination.moved(
                Json.text(held.document(), "baseUrl"),
                Json.text(held.document(), "auth.tokenUrl"),
                Json.text(desired, "baseUrl"),
                Json.text(desired, "auth.tokenUrl"));
        Map<String, String> send =
                credentialsSame && !authTypeChanges && moved.isEmpty() ? null : credentials.orElse(null);
        if (authTypeChanges && send == null && !needed.isEmpty()) {
            throw HubctlException.usage(
                    "needs credentials " + needed + " to change its auth type: " + sources.howToGive(manifest));
        }
        if (moved.isPresent() && send == null && !needed.isEmpty()) {
            throw HubctlException.usage("needs credentials " + needed + " to change its " + moved.get() + " ("
                    + CredentialDestination.RULE + "): " + sources.howToGive(manifest));
        }
        ObjectNode patch = ProviderDiff.mergePatch(held.document(), RegistryDocument.of(manifest.resource(), send));
        String kept = send == null && recordCurrent ? record.get().fingerprint() : null;
        return new Step(manifest, client, "configured", held, patch, send, kept);
    }

    private static ApplyResult execute(Step step, AppliedRecords records, PrintWriter err) {
        ProviderApi api = new ProviderApi(step.client());
        switch (step.action()) {
            case "created" -> {
                ProviderApi.Versioned created = api.create(step.send());
                remember(records, step.client(), created, step.credentialsSent(), err);
                return result(created, "created");
            }
            case "configured" -> {
                ProviderApi.Versioned updated = api.patch(
                        step.manifest().name(), step.send(), step.held().etag());
                if (step.credentialsSent() != null) {
                    remember(records, step.client(), updated, step.credentialsSent(), err);
                } else if (step.keptFingerprint() != null) {
                    // The stored credentials are still the ones recorded; only the version moved on.
                    rememberFingerprint(records, step.client(), updated, step.keptFingerprint(), err);
                }
                return result(updated, "configured");
            }
            default -> {
                return result(step.held(), "unchanged");
            }
        }
    }

    /**
     * The hub refuses a failover route to a provider its tenant does not have, so each target must be at
     * the hub already or come with this apply, which then creates it before the route: a directory
     * applies in any file order. New providers naming each other cannot both be created first.
     */
    private static List<Step> inRouteOrder(List<Step> steps, List<HubctlException> failures) {
        Map<String, Step> applied = new HashMap<>();
        steps.forEach(step -> applied.put(key(step.client(), step.manifest().name()), step));
        Map<Step, List<Step>> createdFirst = new IdentityHashMap<>();
        for (Step step : steps) {
            List<String> targets = FailoverTargets.of(step.manifest());
            List<Step> first = new ArrayList<>();
            List<String> missing = new ArrayList<>();
            for (int i = 0; i < targets.size(); i++) {
                Step target = applied.get(key(step.client(), targets.get(i)));
                if (target != null && target.action().equals("created")) {
                    first.add(target);
                } else if (target == null
                        && new ProviderApi(step.client()).find(targets.get(i)).isEmpty()) {
                    String tenant = step.client().target().tenant();
                    missing.add("spec.config.failover.to[" + i + "]: no provider named '" + targets.get(i) + "' in "
                            + (tenant == null ? "the token's tenant" : "tenant " + tenant)
                            + ", at the hub or in this apply");
                }
            }
            if (!missing.isEmpty()) {
                String fields = missing.size() == 1 ? "1 field is invalid" : missing.size() + " fields are invalid";
                failures.add(about(step.manifest(), HubctlException.invalid(fields, missing)));
            }
            createdFirst.put(step, first);
        }
        List<Step> ordered = new ArrayList<>();
        Set<Step> done = Collections.newSetFromMap(new IdentityHashMap<>());
        for (boolean progress = true; progress; ) {
            progress = false;
            for (Step step : steps) {
                if (!done.contains(step) && done.containsAll(createdFirst.get(step))) {
                    ordered.add(step);
                    done.add(step);
                    progress = true;
                }
            }
        }
        for (Step step : steps) {
            if (!done.contains(step)) {
                failures.add(about(
                        step.manifest(),
                        HubctlException.invalid(
                                "its failover route and that of another new provider"
                                        + " name each other; apply one without its route first",
                                List.of())));
            }
        }
        return ordered;
    }

    private static String key(HubClient client, String name) {
        return client.target().tenant() + "/" + name;
    }

    /** After a phase: nothing more happens when some provider failed it (one provider: its own error). */
    private static void stopIfAny(List<HubctlException> failures, int total, PrintWriter err) {
        if (failures.isEmpty()) {
            return;
        }
        if (total == 1) {
            throw failures.get(0);
        }
        failures.forEach(failure -> print(failure, err));
        throw new HubctlException(
                failures.get(0).exitCode(),
                failures.size() + " of " + total + " providers cannot be applied (see above); nothing was changed",
                List.of(),
                null,
                null);
    }

    private static void print(HubctlException failure, PrintWriter err) {
        err.println("error: " + failure.getMessage());
        failure.details().forEach(line -> err.println("  " + line));
        err.flush();
    }

    private void printDocument(List<ApplyResult> results, PrintWriter out) {
        if (!output.isTable()) {
            ObjectNode list = Json.object();
            ArrayNode items = list.putArray("items");
            results.forEach(result -> items.add(result.json()));
            output.document(out, list);
        }
    }

    private static ApplyResult result(ProviderApi.Versioned provider, String action) {
        return result(provider, action, false);
    }

    private static ApplyResult result(ProviderApi.Versioned provider, String action, boolean dryRun) {
        return new ApplyResult(
                provider.name(),
                Json.text(provider.document(), "tenantId"),
                Json.text(provider.document(), "id"),
                provider.document().path("version").isNumber()
                        ? provider.document().path("version").asLong()
                        : null,
                action,
                dryRun);
    }

    private static void remember(
            AppliedRecords records,
            HubClient client,
            ProviderApi.Versioned provider,
            Map<String, String> credentials,
            PrintWriter err) {
        if (credentials == null) {
            return;
        }
        fingerprint(records, credentials, err).ifPresent(f -> rememberFingerprint(records, client, provider, f, err));
    }

    private static void rememberFingerprint(
            AppliedRecords records,
            HubClient client,
            ProviderApi.Versioned provider,
            String fingerprint,
            PrintWriter err) {
        try {
            records.write(
                    client.target().endpoint(),
                    Json.text(provider.document(), "tenantId"),
                    provider.name(),
                    new AppliedRecords.Record(
                            Json.text(provider.document(), "id"),
                            provider.document().path("version").asLong(),
                            fingerprint));
        } catch (IOException e) {
            err.println("warning: cannot record the apply of provider/" + provider.name() + " (" + e.getMessage()
                    + "); the next apply will send its credentials again");
        }
    }

    private static Optional<String> fingerprint(
            AppliedRecords records, Map<String, String> credentials, PrintWriter err) {
        try {
            return Optional.of(records.fingerprint(credentials));
        } catch (IOException e) {
            err.println("warning: cannot use the apply records (" + e.getMessage() + "); credentials count as changed");
            return Optional.empty();
        }
    }

    private static void checkUnique(List<ProviderManifest> providers) {
        Set<String> seen = new HashSet<>();
        for (ProviderManifest provider : providers) {
            if (!seen.add(provider.tenant() + "/" + provider.name())) {
                throw HubctlException.usage("provider " + provider.name() + " is declared twice in the input"
                        + (provider.tenant() == null ? "" : " for tenant " + provider.tenant()));
            }
        }
    }

    /** The failure prefixed with the provider, validation fields given the manifest's paths. */
    private static HubctlException about(ProviderManifest manifest, HubctlException e) {
        List<String> details = e.details();
        if (e instanceof ProblemException problem && !problem.problem().errors().isEmpty()) {
            details = new ArrayList<>();
            for (var error : problem.problem().errors()) {
                details.add(LocalCheck.manifestPath(error.field()) + ": " + error.message());
            }
            details.addAll(e.details()
                    .subList(problem.problem().errors().size(), e.details().size()));
        }
        return new HubctlException(
                e.exitCode(),
                "provider/" + manifest.name() + " (" + manifest.source() + "): " + e.getMessage(),
                details,
                e.verboseDetail(),
                e.getCause());
    }
}
