package io.integrationhub.controlplane.chart;

import static io.integrationhub.controlplane.chart.RenderedChart.envOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.integrationhub.registry.crypto.MasterKeys;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/** The chart, linted and rendered by real Helm (3.21 via helm-java), and its output checked as typed objects. */
class HelmChartTest {
    private static final String OPERATOR = "hub-integration-hub-operator";
    private static final String DATA_PLANE = "hub-integration-hub-data-plane";
    private static final String SECRET = "hub-integration-hub-secrets";
    private static final String VALKEY = "redis://valkey.integration-hub.svc:6379";
    private static FakeKubeApi cluster;

    @BeforeAll
    static void startFakeCluster() {
        cluster = FakeKubeApi.start();
    }

    @AfterAll
    static void stopFakeCluster() {
        cluster.close();
    }

    @AfterEach
    void forgetSecrets() {
        cluster.clear();
    }

    @Test
    void lintStrictPasses() {
        LintResult result = new Helm(RenderedChart.CHART).lint().strict().call();
        assertThat(result.isFailed())
                .as(String.join("\n", result.getMessages()))
                .isFalse();
    }

    @Test
    void defaultValuesRenderEveryPart() {
        RenderedChart chart = RenderedChart.defaults();
        assertThat(chart.all())
                .extracting(o -> o.getKind() + "/" + o.getMetadata().getName())
                .contains(
                        "ConfigMap/hub-integration-hub-config",
                        "Secret/hub-integration-hub-secrets",
                        "ServiceAccount/" + OPERATOR,
                        "ServiceAccount/" + DATA_PLANE,
                        "ClusterRole/" + OPERATOR,
                        "ClusterRoleBinding/" + OPERATOR,
                        "Role/" + OPERATOR + "-leader-election",
                        "RoleBinding/" + OPERATOR + "-leader-election",
                        "Deployment/" + OPERATOR,
                        "Deployment/" + DATA_PLANE,
                        "Service/" + DATA_PLANE);
    }

    @Test
    void theOperatorMayOnlyReadProvidersAndSecretsPatchStatusAndFinalizersAndWriteEvents() {
        ClusterRole role = RenderedChart.defaults().one(ClusterRole.class, OPERATOR);
        assertThat(role.getRules())
                .extracting(r -> r.getApiGroups(), r -> r.getResources(), r -> r.getVerbs())
                .containsExactlyInAnyOrder(
                        tuple(
                                List.of("integrationhub.io"),
                                List.of("providers"),
                                List.of("get", "list", "watch", "patch", "update")),
                        tuple(
                                List.of("integrationhub.io"),
                                List.of("providers/status"),
                                List.of("get", "patch", "update")),
                        tuple(List.of("integrationhub.io"), List.of("providers/finalizers"), List.of("update")),
                        tuple(List.of(""), List.of("secrets"), List.of("get", "list", "watch")),
                        tuple(List.of(""), List.of("events"), List.of("create", "patch")));
        assertThat(role.getRules())
                .flatExtracting(PolicyRule::getVerbs)
                .doesNotContain("*", "delete", "deletecollection", "escalate", "bind");
        assertThat(role.getRules()).flatExtracting(PolicyRule::getResources).doesNotContain("*");
        assertThat(role.getRules())
                .as("create is for events only")
                .filteredOn(r -> r.getVerbs().contains("create"))
                .extracting(PolicyRule::getResources)
                .containsOnly(List.of("events"));
    }

    @Test
    void leaderElectionGetsLeasesInTheReleaseNamespaceOnly() {
        RenderedChart chart = RenderedChart.defaults();
        Role leases = chart.one(Role.class, OPERATOR + "-leader-election");
        assertThat(leases.getRules())
                .extracting(r -> r.getApiGroups(), r -> r.getResources(), r -> r.getVerbs())
                .containsExactly(tuple(
                        List.of("coordination.k8s.io"),
                        List.of("leases"),
                        List.of("get", "create", "update", "patch")));
        RoleBinding binding = chart.one(RoleBinding.class, OPERATOR + "-leader-election");
        assertThat(binding.getSubjects())
                .extracting(s -> s.getName(), s -> s.getNamespace())
                .containsExactly(tuple(OPERATOR, RenderedChart.NAMESPACE));
        ClusterRoleBinding clusterBinding = chart.one(ClusterRoleBinding.class, OPERATOR);
        assertThat(clusterBinding.getSubjects()).extracting(s -> s.getName()).containsExactly(OPERATOR);

        Map<String, String> env = envOf(operatorContainer(chart));
        assertThat(env)
                .containsEntry("INTEGRATION_LEADER_ELECTION", "true")
                .containsEntry("INTEGRATION_LEADER_ELECTION_LEASE", OPERATOR)
                .containsEntry("INTEGRATION_LEADER_ELECTION_NAMESPACE", "fieldRef:metadata.namespace")
                .containsEntry("POD_NAME", "fieldRef:metadata.name")
                .containsEntry("INTEGRATION_WATCH_NAMESPACES", "");
    }

    @Test
    void watchingNamespacesUsesOneRolePerNamespaceAndNoClusterRole() {
        RenderedChart chart = RenderedChart.production();
        assertThat(chart.all(ClusterRole.class)).isEmpty();
        assertThat(chart.all(ClusterRoleBinding.class)).isEmpty();
        assertThat(chart.all(Role.class))
                .filteredOn(r -> r.getMetadata().getName().equals(OPERATOR))
                .extracting(r -> r.getMetadata().getNamespace())
                .containsExactlyInAnyOrder("payments", "marketing", "messaging");
        assertThat(chart.all(RoleBinding.class))
                .filteredOn(r -> r.getMetadata().getName().equals(OPERATOR))
                .allSatisfy(b -> assertThat(b.getSubjects())
                        .extracting(s -> s.getNamespace())
                        .containsExactly(RenderedChart.NAMESPACE))
                .hasSize(3);
        assertThat(envOf(operatorContainer(chart)))
                .containsEntry("INTEGRATION_WATCH_NAMESPACES", "payments,marketing,messaging");
    }

    @Test
    void theDataPlaneServesHttpAndGrpcBehindItsServiceWithHealthProbes() {
        RenderedChart chart = RenderedChart.defaults();
        Container dataPlane = dataPlaneContainer(chart);
        assertThat(dataPlane.getPorts())
                .extracting(p -> p.getName(), p -> p.getContainerPort())
                .containsExactly(tuple("http", 8080), tuple("grpc", 9090), tuple("management", 9464));
        assertHttpProbe(dataPlane.getLivenessProbe(), "/health/live", "http");
        assertHttpProbe(dataPlane.getReadinessProbe(), "/health/ready", "http");
        assertHttpProbe(dataPlane.getStartupProbe(), "/health/live", "http");

        Service service = chart.one(Service.class, DATA_PLANE);
        assertThat(service.getSpec().getPorts())
                .extracting(
                        p -> p.getName(),
                        p -> p.getPort(),
                        p -> p.getTargetPort().getStrVal())
                .containsExactly(
                        tuple("http", 8080, "http"),
                        tuple("grpc", 9090, "grpc"),
                        tuple("management", 9464, "management"));
        Deployment deployment = chart.one(Deployment.class, DATA_PLANE);
        assertThat(deployment.getSpec().getTemplate().getMetadata().getLabels())
                .containsAllEntriesOf(service.getSpec().getSelector());
        assertThat(envOf(dataPlane))
                .containsEntry("INTEGRATION_MODE", "production")
                .containsEntry("INTEGRATION_HTTP_PORT", "8080")
                .containsEntry("INTEGRATION_MANAGEMENT_PORT", "9464")
                .containsEntry("INTEGRATION_EXPECTED_REPLICAS", "1");
    }

    @Test
    void theOperatorHasHealthProbesOnItsOwnPort() {
        Container operator = operatorContainer(RenderedChart.defaults());
        assertThat(operator.getPorts())
                .extracting(p -> p.getName(), p -> p.getContainerPort())
                .containsExactly(tuple("http", 8081));
        assertHttpProbe(operator.getLivenessProbe(), "/health/live", "http");
        assertHttpProbe(operator.getReadinessProbe(), "/health/ready", "http");
        assertThat(envOf(operator)).containsEntry("INTEGRATION_OPERATOR_HTTP_PORT", "8081");
    }

    @Test
    void anHpaScalesTheDataPlaneOnCpuAndOwnsItsReplicaCount() {
        assertThat(RenderedChart.defaults().all(HorizontalPodAutoscaler.class))
                .as("one replica by default")
                .isEmpty();
        RenderedChart defaults = RenderedChart.render(
                t -> t.set("dataPlane.autoscaling.enabled", true).set("secrets.valkeyUrl", VALKEY));
        HorizontalPodAutoscaler hpa = defaults.one(HorizontalPodAutoscaler.class, DATA_PLANE);
        assertThat(hpa.getSpec().getScaleTargetRef().getKind()).isEqualTo("Deployment");
        assertThat(hpa.getSpec().getScaleTargetRef().getName()).isEqualTo(DATA_PLANE);
        assertThat(hpa.getSpec().getMinReplicas()).isEqualTo(2);
        assertThat(hpa.getSpec().getMaxReplicas()).isEqualTo(10);
        assertThat(hpa.getSpec().getMetrics()).singleElement().satisfies(m -> {
            assertThat(m.getResource().getName()).isEqualTo("cpu");
            assertThat(m.getResource().getTarget().getAverageUtilization()).isEqualTo(70);
        });
        assertThat(defaults.one(Deployment.class, DATA_PLANE).getSpec().getReplicas())
                .as("left to the HPA")
                .isNull();

        HorizontalPodAutoscaler production = RenderedChart.production().one(HorizontalPodAutoscaler.class, DATA_PLANE);
        assertThat(production.getSpec().getMinReplicas()).isEqualTo(3);
        assertThat(production.getSpec().getMaxReplicas()).isEqualTo(20);
        assertThat(envOf(dataPlaneContainer(RenderedChart.production())))
                .containsEntry("INTEGRATION_EXPECTED_REPLICAS", "3");

        RenderedChart fixed =
                RenderedChart.render(t -> t.set("dataPlane.replicas", 4).set("secrets.valkeyUrl", VALKEY));
        assertThat(fixed.all(HorizontalPodAutoscaler.class)).isEmpty();
        assertThat(fixed.one(Deployment.class, DATA_PLANE).getSpec().getReplicas())
                .isEqualTo(4);
    }

    @Test
    void aPodDisruptionBudgetKeepsDataPlaneReplicasThroughDrains() {
        assertThat(RenderedChart.defaults().all(PodDisruptionBudget.class))
                .as("none for the default single replica")
                .isEmpty();
        RenderedChart chart = RenderedChart.render(t -> t.set("dataPlane.replicas", 2)
                .set("secrets.valkeyUrl", VALKEY)
                .set("dataPlane.podDisruptionBudget.enabled", true));
        PodDisruptionBudget pdb = chart.one(PodDisruptionBudget.class, DATA_PLANE);
        assertThat(pdb.getSpec().getMinAvailable().getIntVal()).isEqualTo(1);
        assertThat(chart.one(Deployment.class, DATA_PLANE)
                        .getSpec()
                        .getTemplate()
                        .getMetadata()
                        .getLabels())
                .containsAllEntriesOf(pdb.getSpec().getSelector().getMatchLabels());
        assertThat(RenderedChart.production()
                        .one(PodDisruptionBudget.class, DATA_PLANE)
                        .getSpec()
                        .getMinAvailable()
                        .getIntVal())
                .isEqualTo(2);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("bothPlanesInBothValueSets")
    void everyPodRunsAsNonRootOnAReadOnlyRootFilesystemWithoutCapabilities(String name, Deployment deployment) {
        PodSpec pod = deployment.getSpec().getTemplate().getSpec();
        assertThat(pod.getSecurityContext().getRunAsNonRoot()).isTrue();
        assertThat(pod.getSecurityContext().getRunAsUser()).isEqualTo(65532L);
        assertThat(pod.getSecurityContext().getSeccompProfile().getType()).isEqualTo("RuntimeDefault");
        Container container = pod.getContainers().get(0);
        assertThat(container.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
        assertThat(container.getSecurityContext().getAllowPrivilegeEscalation()).isFalse();
        assertThat(container.getSecurityContext().getRunAsNonRoot()).isTrue();
        assertThat(container.getSecurityContext().getCapabilities().getDrop()).containsExactly("ALL");
        assertThat(container.getSecurityContext().getCapabilities().getAdd()).isNullOrEmpty();
        if (name.startsWith("data plane")) {
            // Besides /tmp only the call record spool is writable, and the hub is told where it is.
            assertThat(container.getVolumeMounts())
                    .extracting(m -> m.getMountPath())
                    .containsExactly("/tmp", "/var/spool/integration-hub");
            assertThat(container.getEnv()).anySatisfy(env -> {
                assertThat(env.getName()).isEqualTo("INTEGRATION_SPOOL_DIR");
                assertThat(env.getValue()).isEqualTo("/var/spool/integration-hub");
            });
            assertThat(pod.getVolumes())
                    .hasSize(2)
                    .allSatisfy(v -> assertThat(v.getEmptyDir()).isNotNull());
        } else {
            assertThat(container.getVolumeMounts())
                    .extracting(m -> m.getMountPath())
                    .containsExactly("/tmp");
            assertThat(pod.getVolumes())
                    .singleElement()
                    .satisfies(v -> assertThat(v.getEmptyDir()).isNotNull());
        }
        assertThat(container.getResources().getRequests()).containsKeys("cpu", "memory");
        assertThat(container.getResources().getLimits()).containsKey("memory");
    }

    static Stream<Object[]> bothPlanesInBothValueSets() {
        RenderedChart defaults = RenderedChart.defaults();
        RenderedChart production = RenderedChart.production();
        return Stream.of(
                new Object[] {"operator, defaults", defaults.one(Deployment.class, OPERATOR)},
                new Object[] {"data plane, defaults", defaults.one(Deployment.class, DATA_PLANE)},
                new Object[] {"operator, production", production.one(Deployment.class, OPERATOR)},
                new Object[] {"data plane, production", production.one(Deployment.class, DATA_PLANE)});
    }

    @Test
    void theDataPlaneGetsNoKubernetesCredentials() {
        RenderedChart chart = RenderedChart.defaults();
        assertThat(chart.one(ServiceAccount.class, DATA_PLANE).getAutomountServiceAccountToken())
                .isFalse();
        assertThat(chart.one(Deployment.class, DATA_PLANE)
                        .getSpec()
                        .getTemplate()
                        .getSpec()
                        .getAutomountServiceAccountToken())
                .isFalse();
        assertThat(chart.all(ClusterRoleBinding.class))
                .flatExtracting(ClusterRoleBinding::getSubjects)
                .extracting(s -> s.getName())
                .doesNotContain(DATA_PLANE);
    }

    @Test
    void bothPlanesReadSettingsFromTheConfigMapAndSecretsFromTheSecret() {
        RenderedChart chart = RenderedChart.defaults();
        ConfigMap config = chart.only(ConfigMap.class);
        assertThat(config.getData())
                .containsEntry("INTEGRATION_DB_URL", "jdbc:postgresql://postgres:5432/integration_hub")
                .containsEntry("INTEGRATION_RATE_LIMIT_PER_SEC", "100")
                .containsEntry("INTEGRATION_MAX_BODY_BYTES", "10485760")
                .containsEntry("INTEGRATION_MAX_PROVIDERS_PER_TENANT", "1000")
                .containsEntry("INTEGRATION_METRICS_MAX_PROVIDERS", "200")
                .containsEntry("INTEGRATION_HEADER_TIMEOUT", "10s")
                .containsEntry("INTEGRATION_IDLE_TIMEOUT", "60s")
                .containsEntry("INTEGRATION_MAX_CONNECTIONS", "10000")
                .doesNotContainKeys("INTEGRATION_MASTER_KEYS", "INTEGRATION_JWT_SECRET", "INTEGRATION_KAFKA_BOOTSTRAP");
        Secret secret = chart.only(Secret.class);
        // No key given: one is generated, in the form the applications parse.
        MasterKeys.parse(decode(secret, "INTEGRATION_MASTER_KEYS"), null);
        assertThat(decode(secret, "INTEGRATION_JWT_SECRET")).hasSizeGreaterThanOrEqualTo(32);
        assertThat(secret.getMetadata().getAnnotations()).containsEntry("helm.sh/resource-policy", "keep");
        Container dataPlane = dataPlaneContainer(chart);
        assertThat(dataPlane.getEnvFrom())
                .extracting(e ->
                        e.getConfigMapRef() == null ? null : e.getConfigMapRef().getName())
                .contains(config.getMetadata().getName());
        assertThat(secretsReferenced(dataPlane))
                .containsExactly(secret.getMetadata().getName());
        // The operator gets only what it reads: no JWT secret, no broker URLs.
        Container operator = operatorContainer(chart);
        assertThat(operator.getEnvFrom()).isNullOrEmpty();
        assertThat(secretsReferenced(operator))
                .containsExactly(secret.getMetadata().getName());
        assertThat(operator.getEnv())
                .filteredOn(e -> e.getValueFrom() != null && e.getValueFrom().getSecretKeyRef() != null)
                .extracting(e -> e.getValueFrom().getSecretKeyRef().getKey())
                .containsExactlyInAnyOrder(
                        "INTEGRATION_DB_PASSWORD",
                        "INTEGRATION_MASTER_KEYS",
                        "INTEGRATION_MASTER_KEY_ID",
                        "INTEGRATION_VALKEY_URL");
        assertThat(operator.getEnv())
                .filteredOn(e -> e.getValueFrom() != null && e.getValueFrom().getConfigMapKeyRef() != null)
                .extracting(e -> e.getValueFrom().getConfigMapKeyRef().getName())
                .containsOnly(config.getMetadata().getName());
        assertThat(operator.getEnv())
                .filteredOn(e -> e.getValueFrom() != null && e.getValueFrom().getConfigMapKeyRef() != null)
                .extracting(e -> e.getValueFrom().getConfigMapKeyRef().getKey())
                .containsExactlyInAnyOrder(
                        "INTEGRATION_DB_URL",
                        "INTEGRATION_DB_USER",
                        "INTEGRATION_ALLOW_INSECURE_HTTP",
                        "INTEGRATION_VALKEY_PREFIX");

        String given = MasterKeys.generateSpec("prod-2026");
        Secret withKeys = RenderedChart.render(t -> t.set("secrets.masterKeys", given)
                        .set("secrets.masterKeyId", "prod-2026")
                        .set("secrets.jwtSecret", "j".repeat(40)))
                .only(Secret.class);
        assertThat(decode(withKeys, "INTEGRATION_MASTER_KEYS")).isEqualTo(given);
        assertThat(decode(withKeys, "INTEGRATION_MASTER_KEY_ID")).isEqualTo("prod-2026");
        assertThat(decode(withKeys, "INTEGRATION_JWT_SECRET")).isEqualTo("j".repeat(40));
    }

    @Test
    void aGeneratedMasterKeyAndJwtSecretAreKeptOnUpgrade() {
        String earlierKey = MasterKeys.generateSpec("k1");
        cluster.put(new io.fabric8.kubernetes.api.model.SecretBuilder()
                .withNewMetadata()
                .withNamespace(RenderedChart.NAMESPACE)
                .withName(SECRET)
                .endMetadata()
                .withData(Map.of(
                        "INTEGRATION_MASTER_KEYS",
                        encode(earlierKey),
                        "INTEGRATION_JWT_SECRET",
                        encode("x".repeat(48))))
                .build());
        int lookups = cluster.secretLookups();

        Secret rendered = RenderedChart.defaults().only(Secret.class);

        assertThat(cluster.secretLookups()).isGreaterThan(lookups);
        assertThat(decode(rendered, "INTEGRATION_MASTER_KEYS")).isEqualTo(earlierKey);
        assertThat(decode(rendered, "INTEGRATION_JWT_SECRET")).isEqualTo("x".repeat(48));
        // Without an earlier Secret, a fresh key each time.
        cluster.clear();
        assertThat(decode(RenderedChart.defaults().only(Secret.class), "INTEGRATION_MASTER_KEYS"))
                .isNotEqualTo(earlierKey);
    }

    @Test
    void anExistingSecretReplacesTheChartsOwn() {
        RenderedChart chart = RenderedChart.production();
        assertThat(chart.all(Secret.class)).isEmpty();
        for (Container container : List.of(operatorContainer(chart), dataPlaneContainer(chart))) {
            assertThat(secretsReferenced(container)).containsExactly("integration-hub-secrets");
        }
        assertThat(chart.only(ConfigMap.class).getData())
                .containsEntry(
                        "INTEGRATION_KAFKA_BOOTSTRAP",
                        "kafka-0.kafka.svc:9092,kafka-1.kafka.svc:9092,kafka-2.kafka.svc:9092");
    }

    @ParameterizedTest(name = "{0}={1}")
    @CsvSource({
        "dataPlane.replicas, x, '/dataPlane/replicas': got string, want integer",
        "operator.replicas, x, '/operator/replicas': got string, want integer",
        "config.rateLimitPerSec, 0, '/config/rateLimitPerSec'",
        "dataPlane.autoscaling.targetCPUUtilizationPercentage, 150, '/dataPlane/autoscaling/targetCPUUtilizationPercentage'",
        "dataPlane.service.type, Ingress, '/dataPlane/service/type'",
        "operator.watchNamespaces[0], Payments, '/operator/watchNamespaces/0'",
        "secrets.valkeyUrl, http://valkey:6379, '/secrets/valkeyUrl'",
        "replicaCount, 3, replicaCount",
    })
    void theValuesSchemaRejectsABadValue(String key, String value, String named) {
        assertThatThrownBy(() -> RenderedChart.template(t -> t.set(key, value)))
                .hasMessageContaining("values don't meet the specifications of the schema")
                .hasMessageContaining(named);
    }

    private static Container operatorContainer(RenderedChart chart) {
        return chart.one(Deployment.class, OPERATOR)
                .getSpec()
                .getTemplate()
                .getSpec()
                .getContainers()
                .get(0);
    }

    private static Container dataPlaneContainer(RenderedChart chart) {
        return chart.one(Deployment.class, DATA_PLANE)
                .getSpec()
                .getTemplate()
                .getSpec()
                .getContainers()
                .get(0);
    }

    private static void assertHttpProbe(Probe probe, String path, String port) {
        assertThat(probe).isNotNull();
        assertThat(probe.getHttpGet().getPath()).isEqualTo(path);
        assertThat(probe.getHttpGet().getPort().getStrVal()).isEqualTo(port);
    }

    /** Every Secret a container's environment comes from (envFrom or single keys). */
    private static List<String> secretsReferenced(Container container) {
        Stream<String> whole = container.getEnvFrom() == null
                ? Stream.empty()
                : container.getEnvFrom().stream()
                        .map(EnvFromSource::getSecretRef)
                        .filter(r -> r != null)
                        .map(r -> r.getName());
        Stream<String> keys = container.getEnv().stream()
                .filter(e -> e.getValueFrom() != null && e.getValueFrom().getSecretKeyRef() != null)
                .map(e -> e.getValueFrom().getSecretKeyRef().getName());
        return Stream.concat(whole, keys).distinct().toList();
    }

    private static String encode(String value) {
        return Base64.getEncoder().encodeToString(value.getBytes(StandardCharsets.UTF_8));
    }

    private static String decode(Secret secret, String key) {
        assertThat(secret.getData()).containsKey(key);
        return new String(Base64.getDecoder().decode(secret.getData().get(key)), StandardCharsets.UTF_8);
    }
}
