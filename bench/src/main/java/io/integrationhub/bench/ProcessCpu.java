package io.integrationhub.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** CPU time a process has used so far (user + system, from /proc), for CPU per call of any measured server. */
final class ProcessCpu {
    private ProcessCpu() {}

    /** Milliseconds of CPU, or -1 when the process is gone. */
    static long millis(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]);
            return ticks * 10; // USER_HZ is 100 on Linux
        } catch (IOException e) {
            return -1;
        }
    }
}
