package io.keel.cli;

import io.keel.agent.local.Agent;
import io.keel.agent.local.LocalUnit;
import io.keel.agent.local.StatusText;
import io.keel.agent.supervise.UnitStatus;
import io.keel.api.LocalUnits;
import java.io.IOException;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Supplier;

/** The API's view of this node's agent: status and journals of the units on this machine. */
final class AgentPages implements LocalUnits {
  private static final int STATUS_LINES = 10;

  private final Supplier<NodeRuntime> node;

  AgentPages(Supplier<NodeRuntime> node) {
    this.node = node;
  }

  private Optional<Agent> agent() {
    NodeRuntime runtime = node.get();
    return runtime == null ? Optional.empty() : runtime.agent();
  }

  @Override
  public Optional<String> status(String unit) {
    return agent().flatMap(agent -> agent.unit(unit).map(u -> text(agent, u)));
  }

  private String text(Agent agent, LocalUnit unit) {
    Optional<String> health = unit.isContainer()
        ? unit.status().flatMap(UnitStatus::mainId).flatMap(agent.runtimes()::health)
        : Optional.empty();
    var machine = node.get().machine();
    return StatusText.of(unit, machine.shortId() + "/" + machine.publicIP(), health,
        agent.journal().tail(unit.name(), STATUS_LINES), Clock.systemUTC());
  }

  @Override
  public Optional<List<String>> journal(String unit, int lines) {
    return agent().filter(a -> a.unit(unit).isPresent() || java.nio.file.Files.exists(a.journal().file(unit)))
        .map(a -> a.journal().tail(unit, lines));
  }

  @Override
  public AutoCloseable follow(String unit, int lines, Consumer<String> onLine) throws IOException {
    Agent agent = agent().orElseThrow(() -> new IOException("this node runs no agent"));
    return agent.journal().follow(unit, lines, onLine);
  }
}
