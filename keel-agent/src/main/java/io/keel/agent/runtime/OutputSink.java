package io.keel.agent.runtime;

/** Where a unit's output lines go (its journal). Called from any thread; must not block long. */
public interface OutputSink {

    /** One line the unit wrote on stdout ({@code stderr == false}) or stderr, without the newline. */
    void line(boolean stderr, String line);

    /** A line about the unit written by the agent itself ("Started web.service."). */
    void agent(String message);
}
