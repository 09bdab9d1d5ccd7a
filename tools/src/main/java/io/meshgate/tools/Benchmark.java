package io.meshgate.tools;

import java.util.List;
import java.util.Map;

/** How every benchmark meets the command line: --help prints its usage, otherwise its figures as one JSON line. */
public final class Benchmark {

    /** A benchmark's body: runs it and returns its figures, "ok" saying whether it completed without failures. */
    @FunctionalInterface
    public interface Measure {
        Map<String, Object> measure(String[] argv) throws Exception;
    }

    private Benchmark() {
    }

    /** Exit status: 0 ok, 1 measured but failed, 2 bad arguments. */
    public static int run(String name, String usage, String[] argv, Measure measure) throws Exception {
        if (List.of(argv).contains("--help")) {
            System.out.print(usage);
            return 0;
        }
        Map<String, Object> out;
        try {
            out = measure.measure(argv);
        } catch (IllegalArgumentException e) {
            System.err.println(name + ": " + e.getMessage());
            return 2;
        }
        System.out.println(Procfs.toJson(out));
        return Boolean.TRUE.equals(out.get("ok")) ? 0 : 1;
    }
}
