package io.keel.cli.differential;

import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Removes from etcdctl output only what legitimately differs between two servers: cluster and
 * member ids, raft term, lease ids (see {@link LeaseIds}), the endpoint, client log timestamps
 * and ids, arguments of Go panic frames, and how far a lease TTL has counted down.
 */
final class OutputNormalizer {

    private static final Pattern HEADER_IDS = Pattern.compile(
            "(\"(?:cluster_id|member_id|raft_term)\":)\\d+|(\"(?:ClusterID|MemberID|RaftTerm)\" : )\\d+");
    private static final Pattern LOG_TS = Pattern.compile("\"ts\":\"[^\"]*\"");
    private static final Pattern CLIENT_ID = Pattern.compile("endpoint://client-[0-9a-f-]+/");
    private static final Pattern GO_FRAME = Pattern.compile("^(\\S+)\\((.+)\\)$", Pattern.MULTILINE);
    private static final Pattern REMAINING_TEXT =
            Pattern.compile("granted with TTL\\((\\d+)s\\), remaining\\((-?\\d+)s\\)");
    private static final Pattern REMAINING_JSON = Pattern.compile("\"ttl\":(-?\\d+),\"granted-ttl\":(\\d+)");
    private static final Pattern ATTACHED_KEYS = Pattern.compile("attached keys\\(\\[([^\\]]*)]\\)");
    private static final Pattern JSON_KEYS = Pattern.compile("\"keys\":\\[([^\\]]*)]");

    private final String hostPort;
    private final LeaseIds leases;

    OutputNormalizer(String endpoint, LeaseIds leases) {
        this.hostPort = endpoint.replaceFirst("^https?://", "");
        this.leases = leases;
    }

    String normalize(String output) {
        String s = output.replace(hostPort, "<endpoint>");
        s = HEADER_IDS.matcher(s).replaceAll(m -> Matcher.quoteReplacement(
                (m.group(1) != null ? m.group(1) : m.group(2)) + "<id>"));
        s = LOG_TS.matcher(s).replaceAll("\"ts\":\"<ts>\"");
        s = CLIENT_ID.matcher(s).replaceAll("endpoint://client-<uuid>/");
        s = goFrameArguments(s);
        s = REMAINING_TEXT.matcher(s).replaceAll(m -> Matcher.quoteReplacement("granted with TTL(" + m.group(1)
                + "s), remaining(" + countdown(m.group(2), m.group(1)) + "s)"));
        s = REMAINING_JSON.matcher(s).replaceAll(m -> Matcher.quoteReplacement("\"ttl\":"
                + countdown(m.group(1), m.group(2)) + ",\"granted-ttl\":" + m.group(2)));
        s = ATTACHED_KEYS.matcher(s).replaceAll(m -> Matcher.quoteReplacement(
                "attached keys([" + sorted(m.group(1), " ") + "])"));
        s = JSON_KEYS.matcher(s).replaceAll(m -> Matcher.quoteReplacement(
                "\"keys\":[" + sorted(m.group(1), ",") + "]"));
        return leases.mask(s);
    }

    /**
     * A remaining TTL depends on when the command ran: any value in 1..granted is shown as
     * such; 0, -1 (expired) and values above the granted TTL stay exact.
     */
    private static String countdown(String remaining, String granted) {
        long r = Long.parseLong(remaining);
        long g = Long.parseLong(granted);
        return r > 0 && r <= g ? "1.." + g : remaining;
    }

    /** Go panic frames print argument words (addresses, string lengths) that vary by run. */
    private static String goFrameArguments(String output) {
        if (!output.contains("\ngoroutine ")) {
            return output;
        }
        return GO_FRAME.matcher(output).replaceAll("$1(...)");
    }

    /** etcd lists a lease's keys from a Go map: the order is unspecified. */
    private static String sorted(String list, String separator) {
        return Arrays.stream(list.split(Pattern.quote(separator)))
                .sorted()
                .collect(Collectors.joining(separator));
    }
}
