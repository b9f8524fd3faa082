package io.keel.testkit.history;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Generates histories that are linearizable by construction: every operation takes effect at a
 * random point inside its interval, in the order of those points, on real registers with an
 * etcd-like global revision counter. Some writes and CAS end with an unknown outcome (and then
 * took effect or not, at random); some reads time out.
 */
final class SimulatedRegisters {

    private record Planned(String client, KvInput input, long invoke, long ret, long point, boolean unknown) {}

    private SimulatedRegisters() {}

    static List<KvOperation> generate(long seed, int clients, int keys, int opsPerClient, double unknownRate) {
        Random random = new Random(seed);
        List<Planned> planned = new ArrayList<>();
        int[] counter = {0};
        for (int c = 0; c < clients; c++) {
            long time = random.nextInt(10);
            String client = "c" + c;
            for (int i = 0; i < opsPerClient; i++) {
                String key = "k" + random.nextInt(keys);
                long invoke = time + random.nextInt(5);
                long ret = invoke + 1 + random.nextInt(40);
                long point = invoke + (long) (random.nextDouble() * (ret - invoke));
                String value = client + "-" + (counter[0]++);
                KvInput input = switch (random.nextInt(3)) {
                    case 0 -> new KvInput.Read(key);
                    case 1 -> new KvInput.Write(key, value);
                    default -> new KvInput.Cas(key, KvInput.modRevision(0), value);
                };
                boolean unknown = random.nextDouble() < unknownRate;
                planned.add(new Planned(client, input, invoke, ret, point, unknown));
                time = ret;
            }
        }
        planned.sort(Comparator.comparingLong(Planned::point));

        Map<String, Versioned> registers = new HashMap<>();
        Map<String, Long> clientSaw = new HashMap<>();
        long revision = 1;
        List<KvOperation> ops = new ArrayList<>();
        int id = 0;
        for (Planned p : planned) {
            String key = p.input().key();
            Versioned current = registers.get(key);
            boolean applies = !p.unknown() || random.nextBoolean();
            KvInput input = p.input();
            KvOutput output;
            switch (input) {
                case KvInput.Read r -> {
                    output = new KvOutput.ReadOk(current);
                    if (current != null && !p.unknown()) {
                        clientSaw.put(p.client() + key, current.modRevision());
                    }
                }
                case KvInput.Write w -> {
                    long rev = 0;
                    if (applies) {
                        rev = ++revision;
                        registers.put(key, new Versioned(w.value(), rev));
                    }
                    output = new KvOutput.WriteOk(Math.max(rev, 1));
                    if (!p.unknown()) {
                        clientSaw.put(p.client() + key, rev);
                    }
                }
                case KvInput.Cas c -> {
                    // the client expects the revision it last saw; its earlier operations took effect earlier
                    long expected = clientSaw.getOrDefault(p.client() + key, 0L);
                    input = new KvInput.Cas(key, KvInput.modRevision(expected), c.newValue());
                    long currentRevision = current == null ? 0 : current.modRevision();
                    if (currentRevision == expected && applies) {
                        long rev = ++revision;
                        registers.put(key, new Versioned(c.newValue(), rev));
                        output = KvOutput.CasOk.succeeded(rev);
                        if (!p.unknown()) {
                            clientSaw.put(p.client() + key, rev);
                        }
                    } else {
                        output = KvOutput.CasOk.failed(current);
                        if (!p.unknown() && current != null) {
                            clientSaw.put(p.client() + key, current.modRevision());
                        }
                    }
                }
            }
            if (p.unknown()) {
                output = new KvOutput.Unknown("simulated timeout");
            }
            ops.add(new KvOperation(++id, p.client(), input, output, p.invoke(), p.ret()));
        }
        return ops;
    }
}
