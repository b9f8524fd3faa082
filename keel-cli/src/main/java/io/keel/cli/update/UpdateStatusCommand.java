package io.keel.cli.update;

import io.keel.lifecycle.update.SlotName;
import io.keel.lifecycle.update.SlotState;
import io.keel.lifecycle.update.SlotTable;
import io.keel.lifecycle.update.Slots;
import io.keel.lifecycle.update.UpdateState;
import io.keel.lifecycle.update.UpdateStatus;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code keel update status --data-dir D}: the engine's last status, as update_engine_client
 * prints it, and the slot flags.
 */
@Command(name = "status", mixinStandardHelpOptions = true,
    description = "Show the update engine's state and the A/B slot flags of the machine with this data dir.")
public final class UpdateStatusCommand implements Callable<Integer> {
  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Option(names = "--data-dir", required = true, paramLabel = "DIR", description = "The machine's data directory.")
  Path dataDir;

  @Override
  public Integer call() {
    UpdateStatus s = UpdateStatus.read(dataDir);
    SlotTable slots = new Slots(dataDir, Clock.systemUTC()).read();
    PrintWriter out = spec.commandLine().getOut();
    out.println("CURRENT_OP=" + (s == null ? UpdateState.IDLE : s.state()).statusName());
    out.println("CHANNEL=" + (s == null ? "" : s.channel()));
    out.println("CURRENT_VERSION=" + blank(s == null ? slots.get(slots.active()).version() : s.currentVersion()));
    out.println("NEW_VERSION=" + blank(s == null ? null : s.newVersion()));
    out.println("NEW_SIZE=" + (s == null || s.newSize() < 0 ? "" : s.newSize()));
    out.println("LAST_CHECKED_TIME=" + blank(s == null || s.lastCheck() == null ? null : s.lastCheck().toString()));
    out.println("LAST_ERROR=" + blank(s == null ? null : s.lastError()));
    out.println("ACTIVE_SLOT=" + slots.active());
    for (SlotName n : SlotName.values()) {
      SlotState st = slots.get(n);
      out.println("SLOT_" + n + "=version=" + (st.version() == null ? "base" : st.version()) + " priority="
          + st.priority() + " tries=" + st.tries() + " successful=" + st.successful());
    }
    out.println("ROLLBACK=" + (slots.rollback() == null ? "" : slots.rollback().describe()));
    out.flush();
    return 0;
  }

  private static String blank(String s) {
    return s == null ? "" : s;
  }
}
