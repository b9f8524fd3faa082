package io.keel.cli.faults;

import io.keel.testkit.history.KvInput;
import io.keel.testkit.history.KvOperation;
import io.keel.testkit.history.KvOutput;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/** Counts and latencies of a history by kind of operation, for the scenario's report. */
final class HistoryStats {

    private HistoryStats() {}

    static String describe(List<KvOperation> operations) {
        Map<String, long[]> byKind = new TreeMap<>();
        Map<String, Integer> unknownReasons = new TreeMap<>();
        for (KvOperation op : operations) {
            String kind = switch (op.input()) {
                case KvInput.Read r -> "read";
                case KvInput.Write w -> "write";
                case KvInput.Cas c -> "cas";
            };
            long[] s = byKind.computeIfAbsent(kind, k -> new long[4]);
            s[0]++;
            if (op.output() instanceof KvOutput.Unknown u) {
                s[1]++;
                String reason = u.reason().replaceAll("[0-9]+", "N");
                unknownReasons.merge(reason.length() > 100 ? reason.substring(0, 100) : reason, 1, Integer::sum);
            } else {
                s[2] += op.returnNanos() - op.invokeNanos();
                if (op.output() instanceof KvOutput.CasOk cas && cas.succeeded()) {
                    s[3]++;
                }
            }
        }
        StringBuilder out = new StringBuilder();
        byKind.forEach((kind, s) -> out.append(String.format(Locale.ROOT,
                "  %-5s %6d ops, %5d unknown, mean latency of the others %.1f ms%s%n", kind, s[0], s[1],
                s[0] == s[1] ? 0.0 : s[2] / 1e6 / (s[0] - s[1]), kind.equals("cas") ? ", " + s[3] + " succeeded" : "")));
        unknownReasons.forEach((reason, n) -> out.append("  unknown outcome x").append(n).append(": ").append(reason)
                .append('\n'));
        return out.toString();
    }
}
