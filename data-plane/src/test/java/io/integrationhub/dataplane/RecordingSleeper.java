package io.integrationhub.dataplane;

import io.integrationhub.dataplane.call.Sleeper;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Records every backoff delay instead of waiting it, so retry schedules are asserted without
 * sleeping; the test clock moves forward by the delay, as time would have.
 */
public final class RecordingSleeper implements Sleeper {
    private final List<Duration> delays = new CopyOnWriteArrayList<>();
    private final AdjustableClock clock;

    public RecordingSleeper(AdjustableClock clock) {
        this.clock = clock;
    }

    @Override
    public void sleep(Duration duration) {
        delays.add(duration);
        clock.advance(duration);
    }

    public List<Duration> delays() {
        return new ArrayList<>(delays);
    }

    public void clear() {
        delays.clear();
    }
}
