package io.keel.lifecycle.update;

/** One of a machine's two installation slots. */
public enum SlotName {
    A, B;

    public SlotName other() {
        return this == A ? B : A;
    }

    public static SlotName parse(String s) {
        if ("A".equals(s) || "B".equals(s)) {
            return valueOf(s);
        }
        throw new UpdateException("unknown slot \"" + s + "\": expected A or B");
    }
}
