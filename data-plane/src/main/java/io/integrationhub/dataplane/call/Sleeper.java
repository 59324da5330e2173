package io.integrationhub.dataplane.call;

import java.time.Duration;

/** Waits between attempts; tests record the delays instead of waiting. */
@FunctionalInterface
public interface Sleeper {
    Sleeper REAL = duration -> Thread.sleep(duration);

    void sleep(Duration duration) throws InterruptedException;
}
