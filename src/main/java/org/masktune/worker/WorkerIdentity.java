package org.masktune.worker;

/** The name this instance's workers use in the queue and on the jobs they run (host-pid). */
public record WorkerIdentity(String name) {
}
