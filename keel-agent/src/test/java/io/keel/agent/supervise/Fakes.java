package io.keel.agent.supervise;

import io.keel.agent.runtime.Exit;
import io.keel.agent.runtime.LaunchException;
import io.keel.agent.runtime.MainLauncher;
import io.keel.agent.runtime.OutputSink;
import io.keel.agent.runtime.ProcessLauncher;
import io.keel.agent.runtime.ProcessSpec;
import io.keel.agent.runtime.RunningProcess;
import io.keel.agent.runtime.Signal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

/** Fake processes and launchers for supervisor tests. */
final class Fakes {

    private Fakes() {
    }

    static final class FakeProcess implements RunningProcess {
        private static int next = 1000;
        final String id = Integer.toString(next++);
        final List<String> argv;
        final Map<String, String> environment;
        final CompletableFuture<Exit> exit = new CompletableFuture<>();
        final List<Signal> signals = new ArrayList<>();
        /** The signal that ends this process, if any (TERM by default; null = ignores signals but KILL). */
        Signal diesOn = Signal.TERM;
        int cleanups;

        FakeProcess(List<String> argv, Map<String, String> environment) {
            this.argv = argv;
            this.environment = environment;
        }

        @Override
        public String id() {
            return id;
        }

        @Override
        public CompletableFuture<Exit> exit() {
            return exit;
        }

        @Override
        public void signal(Signal signal) {
            if (exit.isDone()) {
                return;
            }
            signals.add(signal);
            if (signal == Signal.KILL || signal == diesOn) {
                exit.complete(Exit.ofSignal(signal.number()));
            }
        }

        @Override
        public void cleanup() {
            cleanups++;
        }

        void exitWith(int code) {
            exit.complete(Exit.ofCode(code));
        }
    }

    /** Aux launcher: each program's behaviour is a function of its argv: an exit code, or null to keep running. */
    static final class FakeLauncher implements ProcessLauncher {
        final List<FakeProcess> launched = new CopyOnWriteArrayList<>();
        final Map<String, Function<List<String>, Integer>> exits = new HashMap<>();

        FakeLauncher exits(String program, int code) {
            exits.put(program, argv -> code);
            return this;
        }

        FakeLauncher runsUntilSignalled(String program) {
            exits.put(program, argv -> null);
            return this;
        }

        @Override
        public RunningProcess launch(ProcessSpec spec) throws LaunchException {
            String program = spec.argv().get(0);
            if (!exits.containsKey(program)) {
                throw new LaunchException(program + ": No such file or directory");
            }
            FakeProcess p = new FakeProcess(spec.argv(), spec.environment());
            launched.add(p);
            Integer code = exits.get(program).apply(spec.argv());
            if (code != null) {
                p.exitWith(code);
            }
            return p;
        }

        List<String> programs() {
            return launched.stream().map(p -> String.join(" ", p.argv)).toList();
        }
    }

    static final class FakeMain implements MainLauncher {
        final List<FakeProcess> started = new ArrayList<>();
        LaunchException failure;
        Optional<RunningProcess> adoptable = Optional.empty();
        Map<String, String> lastEnvironment;

        @Override
        public RunningProcess start(Map<String, String> environment, OutputSink output) throws LaunchException {
            lastEnvironment = environment;
            if (failure != null) {
                throw failure;
            }
            FakeProcess p = new FakeProcess(List.of("main"), environment);
            started.add(p);
            return p;
        }

        @Override
        public Optional<RunningProcess> adopt(OutputSink output) {
            return adoptable;
        }

        FakeProcess last() {
            return started.get(started.size() - 1);
        }
    }

    static final class RecordingSink implements OutputSink {
        final List<String> agent = new CopyOnWriteArrayList<>();
        final List<String> lines = new CopyOnWriteArrayList<>();

        @Override
        public void line(boolean stderr, String line) {
            lines.add((stderr ? "err: " : "") + line);
        }

        @Override
        public void agent(String message) {
            agent.add(message);
        }
    }
}
