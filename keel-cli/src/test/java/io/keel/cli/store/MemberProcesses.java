package io.keel.cli.store;

import java.util.List;
import java.util.concurrent.TimeUnit;

/** Members started as bare processes by a scenario. */
final class MemberProcesses {
    private MemberProcesses() {}

    /** Sends each SIGTERM, then kills those still running 20 s later. */
    static void stopAll(List<Process> members) throws InterruptedException {
        for (Process member : members) {
            member.destroy();
        }
        for (Process member : members) {
            if (!member.waitFor(20, TimeUnit.SECONDS)) {
                member.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
    }
}
