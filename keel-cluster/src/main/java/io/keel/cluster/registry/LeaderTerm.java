package io.keel.cluster.registry;

/**
 * One engine's tenure as leader: the {@code /keel/engine/leader} key it created, identified by the
 * key's create revision. Every engine write compares that revision, so once the key expires or is
 * taken over, the old leader's writes fail.
 */
public record LeaderTerm(String id, long createRevision, long lease) {}
