package io.keel.lifecycle.locksmith;

/** Reboots this machine. Returning normally means the reboot was started. */
@FunctionalInterface
public interface RebootAction {

    void reboot() throws Exception;
}
