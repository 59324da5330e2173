package io.integrationhub.testkit;

/**
 * The counts a reliability or security suite reports (cases run, calls reconciled, hits found).
 * One line each on standard output, marked so that {@code scripts/test} can gather them from the
 * test reports and print them together at the end of a run.
 */
public final class SuiteCounts {
    public static final String MARK = "[counts] ";

    private SuiteCounts() {}

    public static void print(String suite, String counts) {
        System.out.println(MARK + suite + ": " + counts);
    }
}
