package io.integrationhub.dataplane.startup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.integrationhub.dataplane.Hub;
import io.integrationhub.dataplane.TestHub;
import io.integrationhub.testkit.TestDatabase;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * A hub whose port is taken must not start: Helidon alone would answer port -1 and let Main
 * print "ready". The process-level check (exit code, the one line on stderr) is in
 * scripts/smoke-standalone.sh.
 */
@Tag("hub")
class ListenerBindingTest {
    private static TestDatabase database;

    @BeforeAll
    static void createDatabase() {
        database = TestDatabase.create();
    }

    @AfterAll
    static void dropDatabase() {
        database.close();
    }

    @Test
    void aTakenGrpcPortStopsStartUpNamingThePortTheSettingAndTheCause() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            int port = taken.getLocalPort();

            assertThatThrownBy(() -> TestHub.sharing(
                            database, Map.of("INTEGRATION_GRPC_PORT", String.valueOf(port)), Hub.Options.defaults()))
                    .isInstanceOf(ListenerBindException.class)
                    .hasMessageContaining("gRPC API cannot listen on 127.0.0.1:" + port)
                    .hasMessageContaining("already in use")
                    .hasMessageContaining("INTEGRATION_GRPC_PORT");
        }
    }

    @Test
    void aTakenHttpPortStopsStartUpNamingThePortTheSettingAndTheCause() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            int port = taken.getLocalPort();

            assertThatThrownBy(() -> TestHub.sharing(
                            database,
                            Map.of("INTEGRATION_HTTP_PORT", String.valueOf(port), "INTEGRATION_GRPC_PORT", "0"),
                            Hub.Options.defaults()))
                    .isInstanceOf(ListenerBindException.class)
                    .hasMessageContaining("HTTP API cannot listen on 127.0.0.1:" + port)
                    .hasMessageContaining("already in use")
                    .hasMessageContaining("INTEGRATION_HTTP_PORT");
        }
    }

    @Test
    void aHubWhosePortsAreFreeReportsBothBound() {
        try (TestHub hub = TestHub.sharing(database, Map.of(), Hub.Options.defaults())) {
            assertThat(hub.hub().port()).isPositive();
            assertThat(hub.hub().grpcPort()).isPositive();
        }
    }
}
