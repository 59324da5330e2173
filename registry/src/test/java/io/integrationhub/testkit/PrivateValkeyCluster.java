package io.integrationhub.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A Valkey Cluster of the test's own: three masters with a replica each, six redis-server processes
 * on free loopback ports, made one cluster by {@code redis-cli --cluster create --cluster-replicas 1}.
 * A short node timeout (1 s) lets a killed master's replica take over within seconds. Nodes are
 * driven with redis-cli (failover, slot migration), so the test's own commands never pass through the
 * client under test.
 */
public final class PrivateValkeyCluster implements AutoCloseable {
    private static final Duration START = Duration.ofSeconds(30);

    private final Path dir;
    private final List<Integer> ports = new ArrayList<>();
    private final List<Process> processes = new ArrayList<>();

    private PrivateValkeyCluster(Path dir) {
        this.dir = dir;
    }

    /** Starts six nodes and waits until every slot is served. */
    public static PrivateValkeyCluster start() throws IOException, InterruptedException {
        PrivateValkeyCluster cluster = new PrivateValkeyCluster(Files.createTempDirectory("private-valkey-cluster"));
        try {
            for (int i = 0; i < 6; i++) {
                cluster.startNode(cluster.freePort());
            }
            List<String> create = new ArrayList<>(List.of("redis-cli", "--cluster", "create"));
            cluster.ports.forEach(port -> create.add("127.0.0.1:" + port));
            create.addAll(List.of("--cluster-replicas", "1", "--cluster-yes"));
            cluster.run(create);
            cluster.awaitHealthy();
            return cluster;
        } catch (IOException | InterruptedException | RuntimeException e) {
            cluster.close();
            throw e;
        }
    }

    /** The data plane's form: {@code redis-cluster://} and the nodes as seeds (the client learns the roles). */
    public String url() {
        return "redis-cluster://"
                + String.join(
                        ",", ports.stream().map(port -> "127.0.0.1:" + port).toList());
    }

    public List<Integer> ports() {
        return List.copyOf(ports);
    }

    /** The port of the master that serves {@code key}'s slot now (CLUSTER NODES: slot ranges from the 9th field). */
    public int masterOf(String key) throws IOException, InterruptedException {
        int slot = slotOf(key);
        for (String line : cli(liveNode(), "CLUSTER", "NODES").lines().toList()) {
            String[] fields = line.split(" ");
            if (fields.length < 9 || !fields[2].contains("master") || fields[2].contains("fail")) {
                continue;
            }
            for (int i = 8; i < fields.length; i++) {
                String[] range = fields[i].split("-");
                if (fields[i].startsWith("[")) {
                    continue; // a migration in progress, not an owned range
                }
                int from = Integer.parseInt(range[0]);
                int to = Integer.parseInt(range[range.length - 1]);
                if (slot >= from && slot <= to) {
                    return port(fields[1]);
                }
            }
        }
        throw new IllegalStateException("no master serves slot " + slot);
    }

    /** A replica of the master on {@code masterPort}. */
    public int replicaOf(int masterPort) throws IOException, InterruptedException {
        String id = cli(masterPort, "CLUSTER", "MYID").trim();
        for (String line : cli(masterPort, "CLUSTER", "NODES").lines().toList()) {
            String[] fields = line.split(" ");
            if (fields.length > 3 && fields[2].contains("slave") && fields[3].equals(id)) {
                return port(fields[1]);
            }
        }
        throw new IllegalStateException("the master on " + masterPort + " has no replica");
    }

    /** Waits until the replica of the master on {@code masterPort} holds every write the master has taken so far. */
    public void awaitReplicaCaughtUp(int masterPort) throws IOException, InterruptedException {
        long written = offset(masterPort);
        int replica = replicaOf(masterPort);
        Instant deadline = Instant.now().plus(START);
        while (offset(replica) < written) {
            pause(deadline, "replica " + replica + " did not catch up");
        }
    }

    private long offset(int port) throws IOException, InterruptedException {
        String info = cli(port, "INFO", "replication");
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(?:slave_repl_offset|master_repl_offset):(\\d+)")
                .matcher(info);
        long offset = -1;
        while (m.find()) {
            offset = Math.max(offset, Long.parseLong(m.group(1)));
        }
        return offset;
    }

    /** A coordinated failover: the replica takes over its master's slots without losing a write. */
    public void failover(int replicaPort) throws IOException, InterruptedException {
        cli(replicaPort, "CLUSTER", "FAILOVER");
        Instant deadline = Instant.now().plus(START);
        while (!cli(replicaPort, "ROLE").startsWith("master")) {
            pause(deadline, "replica " + replicaPort + " did not become master");
        }
        awaitHealthy();
    }

    /** Kills the node on {@code port} as a crash would (the process is destroyed forcibly). */
    public void kill(int port) throws InterruptedException {
        Process process = processes.get(ports.indexOf(port));
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
    }

    /**
     * Starts a killed node again with its cluster state (nodes.conf): a master that lost its slots to
     * its replica rejoins as that replica's replica, so the shard has two copies again.
     */
    public void restart(int port) throws IOException, InterruptedException {
        startNode(port);
        Instant deadline = Instant.now().plus(START);
        while (!cli(port, "ROLE").startsWith("slave")
                || !cli(port, "INFO", "replication").contains("master_link_status:up")) {
            pause(deadline, "node " + port + " did not rejoin as a replica");
        }
        awaitHealthy();
    }

    /** Waits until every slot is served by a master that answers (after a kill, its replica's promotion). */
    public void awaitHealthy() throws IOException, InterruptedException {
        Instant deadline = Instant.now().plus(START);
        for (int port : ports) {
            if (!processes.get(ports.indexOf(port)).isAlive()) {
                continue;
            }
            while (!cli(port, "CLUSTER", "INFO").contains("cluster_state:ok")) {
                pause(deadline, "node " + port + " did not see the cluster healthy");
            }
        }
    }

    /**
     * Moves {@code key}'s slot, with every key in it, from its master to {@code targetPort} the way
     * resharding does: IMPORTING/MIGRATING, MIGRATE of the keys, then the slot's new owner told to all.
     */
    public void migrateSlot(String key, int targetPort) throws IOException, InterruptedException {
        int slot = slotOf(key);
        int source = masterOf(key);
        String sourceId = cli(source, "CLUSTER", "MYID").trim();
        String targetId = cli(targetPort, "CLUSTER", "MYID").trim();
        cli(targetPort, "CLUSTER", "SETSLOT", Integer.toString(slot), "IMPORTING", sourceId);
        cli(source, "CLUSTER", "SETSLOT", Integer.toString(slot), "MIGRATING", targetId);
        String keys;
        while (!(keys = cli(source, "CLUSTER", "GETKEYSINSLOT", Integer.toString(slot), "100")
                        .trim())
                .isEmpty()) {
            List<String> migrate = new ArrayList<>(
                    List.of("MIGRATE", "127.0.0.1", Integer.toString(targetPort), "", "0", "5000", "KEYS"));
            migrate.addAll(keys.lines().toList());
            cli(source, migrate.toArray(String[]::new));
        }
        for (int port : ports) {
            if (processes.get(ports.indexOf(port)).isAlive()) {
                cli(port, "CLUSTER", "SETSLOT", Integer.toString(slot), "NODE", targetId);
            }
        }
    }

    /** The cluster slot of a key (CLUSTER KEYSLOT, asked of a node). */
    public int slotOf(String key) throws IOException, InterruptedException {
        return Integer.parseInt(cli(liveNode(), "CLUSTER", "KEYSLOT", key).trim());
    }

    private int liveNode() {
        for (int i = 0; i < ports.size(); i++) {
            if (processes.get(i).isAlive()) {
                return ports.get(i);
            }
        }
        throw new IllegalStateException("every node was killed");
    }

    /** Runs one command with redis-cli against the node on {@code port}; its output, errors included. */
    public String cli(int port, String... command) throws IOException, InterruptedException {
        List<String> line = new ArrayList<>(List.of("redis-cli", "-h", "127.0.0.1", "-p", Integer.toString(port)));
        line.addAll(List.of(command));
        return run(line);
    }

    @Override
    public void close() {
        for (Process process : processes) {
            process.destroyForcibly();
        }
        for (Process process : processes) {
            try {
                process.waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private void startNode(int port) throws IOException, InterruptedException {
        Path node = Files.createDirectories(dir.resolve(Integer.toString(port)));
        Process process = new ProcessBuilder(
                        "redis-server",
                        "--port",
                        Integer.toString(port),
                        "--bind",
                        "127.0.0.1",
                        "--cluster-enabled",
                        "yes",
                        "--cluster-config-file",
                        node.resolve("nodes.conf").toString(),
                        "--cluster-node-timeout",
                        "1000",
                        "--save",
                        "",
                        "--appendonly",
                        "no",
                        "--dir",
                        node.toString())
                .redirectErrorStream(true)
                .redirectOutput(node.resolve("redis.log").toFile())
                .start();
        int index = ports.indexOf(port);
        if (index < 0) {
            ports.add(port);
            processes.add(process);
        } else {
            processes.set(index, process);
        }
        Instant deadline = Instant.now().plus(START);
        while (true) {
            try (Socket socket = new Socket("127.0.0.1", port)) {
                return;
            } catch (IOException notYet) {
                pause(deadline, "redis-server did not start on port " + port);
            }
        }
    }

    private String run(List<String> command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output;
        try (InputStream in = process.getInputStream()) {
            output = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        if (!process.waitFor(30, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new IllegalStateException(String.join(" ", command.subList(0, Math.min(command.size(), 6)))
                    + " failed: " + output);
        }
        return output;
    }

    private static int port(String address) {
        return Integer.parseInt(address.substring(address.indexOf(':') + 1, address.indexOf('@')));
    }

    /** A port free with its cluster bus port (port + 10000), so below the kernel's ephemeral range. */
    private int freePort() throws IOException {
        java.util.Random random = new java.util.Random();
        for (int attempt = 0; attempt < 200; attempt++) {
            int port = 20_000 + random.nextInt(10_000);
            if (!ports.contains(port) && free(port) && free(port + 10_000)) {
                return port;
            }
        }
        throw new IllegalStateException("no free port pair for a cluster node");
    }

    private static boolean free(int port) {
        try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getByName("127.0.0.1"))) {
            return true;
        } catch (IOException taken) {
            return false;
        }
    }

    /** Polling a process we do not control (redis-server's own failure detection runs on its own clock). */
    private static void pause(Instant deadline, String failure) throws InterruptedException {
        if (Instant.now().isAfter(deadline)) {
            throw new IllegalStateException(failure);
        }
        Thread.sleep(50);
    }
}
