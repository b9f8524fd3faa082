package io.keel.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * A store cluster of N members, each its own OS process on free loopback ports, with the traffic
 * between members routed through a {@link StoreClusterNetwork} so links can be cut. Members
 * advertise the network's proxies as their peer and client URLs; {@link #endpoints()} are these
 * advertised client URLs (what {@code member list} shows). Test clients reach members through
 * the proxies too, but a partition never cuts them off: it only cuts traffic between members. Members are named
 * {@code n1..nN}; their data and logs live under the work dir ({@code <name>/data},
 * {@code <name>.log}) and survive {@link #close()}.
 *
 * <p>Bound to an implementation by {@link EtcdCluster} (real etcd) and {@link KeelStoreCluster}
 * (Keel store JVMs). Both take etcd's flags, so the cluster is started the same way.
 */
public abstract class StoreCluster implements AutoCloseable {

    static final Duration START_TIMEOUT = Duration.ofSeconds(90);
    private static final ObjectMapper JSON = new ObjectMapper();

    /** What {@code etcdctl endpoint status} says about one member. Ids are decimal strings (uint64). */
    public record MemberStatus(String name, String memberId, String leaderId, long raftTerm, long raftIndex,
            long revision, long dbSize) {

        public boolean isLeader() {
            return !memberId.equals("0") && memberId.equals(leaderId);
        }

        public boolean hasLeader() {
            return !leaderId.equals("0");
        }
    }

    /** Everything an implementation needs to build one member's command line. */
    public record MemberSpec(String name, Path dataDir, String clientUrl, String advertisedClientUrl, String listenPeerUrl,
            String advertisedPeerUrl, String initialCluster, String clusterToken) {}

    private final List<StoreClusterMember> members;
    private final StoreClusterNetwork network;

    StoreCluster(List<StoreClusterMember> members, StoreClusterNetwork network) {
        this.members = List.copyOf(members);
        this.network = network;
    }

    /** A member's command line, once {@code prepareDataDir} has written its data dir. */
    static List<String> prepared(MemberSpec spec, java.util.function.Consumer<MemberSpec> prepareDataDir,
            java.util.function.Supplier<List<String>> command) {
        prepareDataDir.accept(spec);
        return command.get();
    }

    /** Creates the members and the network, starts every member and waits for a healthy cluster. */
    static <C extends StoreCluster> C start(Path workDir, int size, String kind, Duration memberStartTimeout,
            java.util.function.Function<MemberSpec, List<String>> command,
            java.util.function.BiFunction<List<StoreClusterMember>, StoreClusterNetwork, C> create) {
        if (size < 1) {
            throw new IllegalArgumentException("a cluster needs at least one member");
        }
        Installed.require("etcdctl");
        ServerProcess.createDirectories(workDir);
        Map<String, int[]> ports = new LinkedHashMap<>();
        Map<String, Integer> peerPorts = new LinkedHashMap<>();
        Map<String, Integer> clientPorts = new LinkedHashMap<>();
        for (int i = 1; i <= size; i++) {
            int[] p = FreePorts.allocate(2);
            ports.put("n" + i, p);
            clientPorts.put("n" + i, p[0]);
            peerPorts.put("n" + i, p[1]);
        }
        StoreClusterNetwork network = StoreClusterNetwork.start(peerPorts, clientPorts);
        String initialCluster = peerPorts.keySet().stream()
                .map(name -> name + "=" + ServerProcess.loopbackUrl(network.advertisedPort(name)))
                .collect(Collectors.joining(","));
        String token = "keel-test-" + Long.toHexString(System.nanoTime());
        List<StoreClusterMember> members = new ArrayList<>();
        for (Map.Entry<String, int[]> e : ports.entrySet()) {
            String name = e.getKey();
            String clientUrl = ServerProcess.loopbackUrl(e.getValue()[0]);
            String advertised = ServerProcess.loopbackUrl(network.advertisedPort(name));
            MemberSpec spec = new MemberSpec(name, workDir.resolve(name).resolve("data"), clientUrl,
                    ServerProcess.loopbackUrl(network.advertisedClientPort(name)),
                    ServerProcess.loopbackUrl(e.getValue()[1]), advertised, initialCluster, token);
            StoreClusterMember member = new StoreClusterMember(name, kind, command.apply(spec), spec.dataDir(),
                    workDir.resolve(name + ".log"), spec.advertisedClientUrl(), clientUrl, e.getValue()[1],
                    advertised, memberStartTimeout);
            network.identify(name, member::pid);
            members.add(member);
        }
        C cluster = create.apply(members, network);
        try {
            members.forEach(StoreClusterMember::launch);
            members.forEach(StoreClusterMember::awaitServing);
            cluster.awaitHealthy(START_TIMEOUT);
        } catch (RuntimeException | AssertionError e) {
            cluster.close();
            throw e;
        }
        return cluster;
    }

    public List<StoreClusterMember> members() {
        return members;
    }

    public StoreClusterMember member(String name) {
        return members.stream().filter(m -> m.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no member named '" + name + "'"));
    }

    /** The advertised client URLs of all members, in member order. */
    public List<String> endpoints() {
        return members.stream().map(StoreClusterMember::endpoint).toList();
    }

    /** {@link #endpoints()} comma-separated, as etcdctl's {@code --endpoints} takes them. */
    public String endpointsFlag() {
        return String.join(",", endpoints());
    }

    public StoreClusterNetwork network() {
        return network;
    }

    /** The status of {@code member}, or empty if it does not answer within a second or two. */
    public Optional<MemberStatus> status(StoreClusterMember member) {
        if (!member.isAlive() || member.isPaused()) {
            return Optional.empty();
        }
        Etcdctl.Result result = new Etcdctl(member.endpoint()).withTimeout(Duration.ofSeconds(5))
                .run("--dial-timeout=1s", "--command-timeout=2s", "endpoint", "status", "-w", "json");
        if (!result.ok()) {
            return Optional.empty();
        }
        try {
            JsonNode entry = JSON.readTree(result.stdout()).path(0).path("Status");
            JsonNode header = entry.path("header");
            return Optional.of(new MemberStatus(member.name(), header.path("member_id").asText("0"),
                    entry.path("leader").asText("0"), entry.path("raftTerm").asLong(), entry.path("raftIndex").asLong(),
                    header.path("revision").asLong(), entry.path("dbSize").asLong()));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot parse etcdctl endpoint status of " + member.name() + ": "
                    + result.stdout(), e);
        }
    }

    /** The status of every member that answers. */
    public List<MemberStatus> statuses() {
        return members.stream().map(this::status).flatMap(Optional::stream).toList();
    }

    /**
     * The member that says it is the leader with the highest raft term among the members that
     * answer, if any does.
     */
    public Optional<StoreClusterMember> leader() {
        return statuses().stream().filter(MemberStatus::isLeader)
                .max(java.util.Comparator.comparingLong(MemberStatus::raftTerm))
                .map(s -> member(s.name()));
    }

    /** Waits until some member is the leader, and returns it. */
    public StoreClusterMember awaitLeader(Duration timeout) {
        StoreClusterMember[] found = new StoreClusterMember[1];
        Await.until(timeout, "the cluster has a leader", () -> {
            found[0] = leader().orElse(null);
            return found[0] != null;
        });
        return found[0];
    }

    /**
     * Undoes every fault: heals the network, resumes paused members, starts stopped or killed
     * ones, and waits until the cluster is healthy.
     */
    public void heal(Duration timeout) {
        network.healAll();
        for (StoreClusterMember member : members) {
            if (member.isPaused()) {
                member.resume();
            }
        }
        List<StoreClusterMember> started = new ArrayList<>();
        for (StoreClusterMember member : members) {
            if (!member.isAlive()) {
                member.launch();
                started.add(member);
            }
        }
        started.forEach(StoreClusterMember::awaitServing);
        awaitHealthy(timeout);
    }

    /**
     * Waits until every member runs, answers {@code endpoint health} (a quorum read through it),
     * and all members agree on one leader.
     */
    public void awaitHealthy(Duration timeout) {
        String[] last = {""};
        try {
            Await.until(timeout, "every member of the cluster is healthy and agrees on the leader", () -> {
                for (StoreClusterMember member : members) {
                    if (!member.isAlive() || member.isPaused()) {
                        last[0] = member.name() + " is not running";
                        return false;
                    }
                    Etcdctl.Result health = new Etcdctl(member.endpoint()).withTimeout(Duration.ofSeconds(10))
                            .run("--dial-timeout=1s", "--command-timeout=3s", "endpoint", "health");
                    if (!health.ok()) {
                        last[0] = member.name() + ": " + health.stdout().strip() + " " + health.stderr().strip();
                        return false;
                    }
                }
                List<MemberStatus> statuses = statuses();
                Set<String> leaders = new HashSet<>();
                statuses.forEach(s -> leaders.add(s.leaderId()));
                last[0] = "statuses " + statuses;
                return statuses.size() == members.size() && leaders.size() == 1 && !leaders.contains("0");
            });
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "; last observation: " + last[0], e);
        }
    }

    /** Closes the network and kills every member. Data and logs stay. */
    @Override
    public void close() {
        RuntimeException failure = null;
        for (StoreClusterMember member : members) {
            try {
                member.close();
            } catch (RuntimeException e) {
                failure = e;
            }
        }
        network.close();
        if (failure != null) {
            throw failure;
        }
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + members;
    }
}
