package io.integrationhub.registry.valkey;

import java.util.ArrayList;
import java.util.List;

/**
 * Every name a Lua script needs, as the first {@link #COUNT} ARGV entries of each script, in this
 * order (the data plane's {@code admission/names.lua}, prepended to every script, binds them to
 * locals):
 * <ol>
 *   <li>the three {@link BreakerState}s: closed, open, half_open
 *   <li>the six {@link BreakerField}s: state, gen, open_until, probe_until, failures, first_failure
 *   <li>the three {@link BreakerTransition}s: opened, half_opened, closed
 *   <li>the events channel, then the {@link AdmissionEvent}s paused and failing
 * </ol>
 * A script's own arguments follow.
 */
public final class ScriptNames {
    private ScriptNames() {}

    public static final int COUNT =
            BreakerState.values().length + BreakerField.values().length + BreakerTransition.values().length + 3;

    /** The names, with the channel of the given key layout. */
    public static List<String> of(ValkeyKeys keys) {
        List<String> names = new ArrayList<>(COUNT);
        for (BreakerState state : BreakerState.values()) {
            names.add(state.stored());
        }
        for (BreakerField field : BreakerField.values()) {
            names.add(field.stored());
        }
        for (BreakerTransition transition : BreakerTransition.values()) {
            names.add(transition.stored());
        }
        names.add(keys.events());
        names.add(AdmissionEvent.PAUSED.stored());
        names.add(AdmissionEvent.FAILING.stored());
        return List.copyOf(names);
    }
}
