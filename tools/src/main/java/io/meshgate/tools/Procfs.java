package io.meshgate.tools;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;

/** What the benchmarks read about a process from /proc, and how they print their one JSON line. */
public final class Procfs {

    private Procfs() {
    }

    /** Resident set size in KiB, 0 without a pid, -1 if unreadable. */
    public static long rssKb(int pid) {
        return status(pid, "VmRSS:");
    }

    /** OS threads of the process, native ones included. */
    public static long threads(int pid) {
        return status(pid, "Threads:");
    }

    private static long status(int pid, String field) {
        if (pid <= 0) {
            return 0;
        }
        try {
            for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
                if (line.startsWith(field)) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        } catch (Exception e) {
            return -1;
        }
        return -1;
    }

    /** utime + stime in clock ticks (100 per second on Linux), 0 without a pid. */
    public static long cpuTicks(int pid) {
        if (pid <= 0) {
            return 0;
        }
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
        } catch (Exception e) {
            return -1;
        }
    }

    /** A flat JSON object of strings, numbers and booleans, in the map's order. */
    public static String toJson(Map<String, Object> values) {
        StringBuilder json = new StringBuilder("{");
        for (Map.Entry<String, Object> entry : values.entrySet()) {
            if (json.length() > 1) {
                json.append(',');
            }
            json.append('"').append(entry.getKey()).append("\":");
            Object value = entry.getValue();
            if (value instanceof String s) {
                json.append('"').append(s.replace("\\", "\\\\").replace("\"", "\\\"")).append('"');
            } else if (value instanceof Double d) {
                json.append(String.format(Locale.ROOT, "%.2f", d));
            } else {
                json.append(value);
            }
        }
        return json.append('}').toString();
    }
}
