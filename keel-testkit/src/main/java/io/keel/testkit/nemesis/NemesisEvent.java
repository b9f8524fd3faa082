package io.keel.testkit.nemesis;

/** Something the nemesis did, at {@code nanoTime} ({@link System#nanoTime()}). */
public record NemesisEvent(long nanoTime, String description) {}
