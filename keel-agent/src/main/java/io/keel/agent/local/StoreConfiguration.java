package io.keel.agent.local;

import io.keel.agent.runtime.OutputSink;
import io.keel.agent.template.Renderer;
import io.keel.agent.template.RenderResult;
import io.keel.agent.template.StoreEnvironment;
import io.keel.agent.template.TemplateWatcher;
import io.keel.agent.template.UnitTemplates;
import io.keel.cluster.registry.Registry;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * A unit's configuration from the store (the confd pattern): the template files it renders before
 * it starts and keeps current while it runs, and its environment from {@code EnvironmentKeys=}.
 * While the store cannot be reached the last rendered files and the last environment read stay in
 * use.
 */
final class StoreConfiguration implements AutoCloseable {

    static final Duration ENVIRONMENT_READ_TIMEOUT = Duration.ofSeconds(5);

    private final String unit;
    private final UnitTemplates templates;
    private final StoreEnvironment environment;
    private final OutputSink journal;
    private final TemplateWatcher watcher;
    private final CompletableFuture<Void> ready;
    private volatile Map<String, String> lastEnvironment = Map.of();

    StoreConfiguration(String unit, UnitTemplates templates, Registry registry, Renderer renderer, Clock clock,
            ScheduledExecutorService templateExecutor, OutputSink journal, Consumer<List<String>> onChanged) {
        this.unit = unit;
        this.templates = templates;
        this.environment = new StoreEnvironment(registry);
        this.journal = journal;
        if (templates.hasTemplates()) {
            this.watcher = new TemplateWatcher(unit, registry, templates, renderer, clock, templateExecutor,
                    TemplateWatcher.Timing.DEFAULT, new TemplateWatcher.Listener() {
                        @Override
                        public void onChanged(List<String> destinations) {
                            onChanged.accept(destinations);
                        }

                        @Override
                        public void onRenderFailed(RenderResult failure) {
                            journal.agent(unit + ": template not applied, the previous file is kept: " + failure);
                        }

                        @Override
                        public void onStoreFailed(RuntimeException error) {
                            journal.agent(unit + ": cannot read its configuration from the store (" + error.getMessage()
                                    + "); the last rendered files stay in use");
                        }
                    });
            this.ready = watcher.start().thenAccept(results -> results.stream()
                    .filter(r -> r instanceof RenderResult.CheckFailed || r instanceof RenderResult.Failed)
                    .forEach(r -> journal.agent(unit + ": template not applied: " + r)));
        } else {
            this.watcher = null;
            this.ready = CompletableFuture.completedFuture(null);
        }
    }

    /** Completes when the first rendering is done (or failed: the unit then starts on the files it finds). */
    CompletableFuture<Void> ready() {
        return ready;
    }

    UnitTemplates templates() {
        return templates;
    }

    /** The unit's variables from the store, read now; the last ones read if the store does not answer. */
    Map<String, String> environment() {
        if (templates.environmentKeys().isEmpty()) {
            return Map.of();
        }
        try {
            StoreEnvironment.Result result = environment.read(templates.environmentKeys())
                    .get(ENVIRONMENT_READ_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            result.skipped().forEach(k -> journal.agent(unit + ": EnvironmentKeys: skipped " + k));
            lastEnvironment = result.environment();
        } catch (Exception e) {
            journal.agent(unit + ": cannot read EnvironmentKeys= from the store (" + e.getMessage()
                    + "); using the values read last");
        }
        return lastEnvironment;
    }

    @Override
    public void close() {
        if (watcher != null) {
            watcher.close();
        }
    }
}
