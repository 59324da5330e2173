package io.integrationhub.dataplane.body;

import java.nio.file.Path;

/** A {@link Bodies} over a directory of the test's own, for unit tests of anything that buffers bodies. */
public final class TestBodies {
    private TestBodies() {}

    public static Bodies in(Path directory, long budget, long bodyMemory, long maxBody) {
        return new Bodies(new MemoryBudget(budget), new SealedSpillFile.Spills(directory), bodyMemory, maxBody);
    }

    /** A scope that must exist: fails the test when the budget refuses it. */
    public static Bodies.Scope scope(Bodies bodies) {
        try {
            Bodies.Scope scope = bodies.open();
            if (scope == null) {
                throw new AssertionError("the memory budget refused a call scope");
            }
            return scope;
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }
}
