package io.keel.cluster.registry;

/**
 * A decoded value with the revisions of the key it was read from. {@code modRevision} is what a
 * compare-and-swap checks.
 */
public record Versioned<T>(T value, long createRevision, long modRevision, long lease) {}
