package io.keel.cli.differential;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class OutputNormalizerTest {

    private final LeaseIds leases = new LeaseIds();
    private final OutputNormalizer normalizer = new OutputNormalizer("http://127.0.0.1:23791", leases);

    @Test
    void masksSmallLeaseIdsOnlyWhereALeaseIdIsPrinted() {
        leases.registerGrants("lease 0000000000000001 granted with TTL(60s)\n");

        assertThat(normalizer.normalize("{\"kvs\":[{\"key\":\"YQ==\",\"version\":1,\"lease\":1}],\"count\":1}"))
                .isEqualTo("{\"kvs\":[{\"key\":\"YQ==\",\"version\":1,\"lease\":<lease-1>}],\"count\":1}");
        assertThat(normalizer.normalize("lease 0000000000000001 granted with TTL(60s), remaining(59s)\n"))
                .isEqualTo("lease <lease-1> granted with TTL(60s), remaining(1..60s)\n");
        assertThat(leases.resolve("put --lease=${lease1} k v ${lease1:dec}"))
                .isEqualTo("put --lease=0000000000000001 k v 1");
    }

    @Test
    void dropsHeaderIdsTimestampsAndEndpoint() {
        String warn = "{\"level\":\"warn\",\"ts\":\"2026-01-01T00:00:00.000Z\",\"target\":"
                + "\"endpoint://client-0f1e-2d3c/127.0.0.1:23791\",\"error\":\"x\"}";
        assertThat(normalizer.normalize(warn))
                .isEqualTo("{\"level\":\"warn\",\"ts\":\"<ts>\",\"target\":\"endpoint://client-<uuid>/<endpoint>\","
                        + "\"error\":\"x\"}");
        assertThat(normalizer.normalize("{\"header\":{\"cluster_id\":1,\"member_id\":2,\"revision\":3,\"raft_term\":4}}"))
                .isEqualTo("{\"header\":{\"cluster_id\":<id>,\"member_id\":<id>,\"revision\":3,\"raft_term\":<id>}}");
    }

    @Test
    void parsesHeredocsRepeatsAndDirectives() {
        List<SessionCase> cases = SessionFile.parse(List.of(
                "# comment",
                "put \"a b\" 'c d'",
                "txn -w json <<END",
                "",
                "@repeat 2 put k%d v",
                "END",
                "@lines 3 watch --rev 2 k",
                "put big <@bytes:3:x"));

        assertThat(cases).extracting(SessionCase::args).containsExactly(
                List.of("put", "a b", "c d"), List.of("txn", "-w", "json"),
                List.of("watch", "--rev", "2", "k"), List.of("put", "big"));
        assertThat(cases.get(1).stdin()).contains("\nput k1 v\nput k2 v\n");
        assertThat(cases.get(2).stop()).isEqualTo(new SessionCase.Stop.AfterLines(3));
        assertThat(cases.get(3).stdin()).contains("xxx");
    }
}
