package io.meshgate.tools.match;

import io.meshgate.match.Match;
import io.meshgate.match.Matchmaker;
import io.meshgate.match.Ticket;
import io.meshgate.tools.Args;
import io.meshgate.tools.Benchmark;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

/**
 * The matchmaker under a standing pool: before every cycle the pool is topped up to {@code --tickets} waiting tickets
 * of mixed properties (4 regions, 3 modes: duels of 2, squads of 2 to 4 with some parties of two, teams of 4 to 8 in
 * even counts) and skills (normal, mean 1500, deviation 300). The clock the tickets wait on is simulated, one
 * {@code --interval-ms} per cycle, so that time to match is the matchmaker's and not this machine's; what each cycle
 * costs is measured on the real clock. Output: one JSON line.
 */
public final class MatchmakerLoad {

    private static final String USAGE = """
            Usage: matchmaker-load [--tickets N] [--cycles N] [--warmup N] [--interval-ms MS] [--seed N]
              --tickets N       waiting tickets before every cycle (default 10000)
              --cycles N        measured cycles (default 200)
              --warmup N        cycles run first and not measured, for the JIT (default 150)
              --interval-ms MS  simulated time between cycles (default 1000)
              --seed N          random seed (default 1)
              --trace           each measured cycle's time on stderr
            """;
    private static final String[] REGIONS = {"eu", "us", "asia", "sa"};

    private MatchmakerLoad() {
    }

    public static int run(String[] argv) throws Exception {
        return Benchmark.run("matchmaker-load", USAGE, argv, MatchmakerLoad::measure);
    }

    static Map<String, Object> measure(String[] argv) {
        Args args = new Args(argv);
        int tickets = args.integer("tickets", 10_000);
        int cycles = args.integer("cycles", 200);
        int warmup = args.integer("warmup", 150);
        long interval = args.integer("interval-ms", 1000) * 1_000_000L;
        Random random = new Random(args.integer("seed", 1));
        boolean trace = args.flag("trace");
        args.rejectUnknown();
        if (tickets < 1 || cycles < 1 || warmup < 0 || interval <= 0) {
            throw new IllegalArgumentException("--tickets, --cycles and --interval-ms must be positive");
        }
        Matchmaker matchmaker = new Matchmaker(new Matchmaker.Settings(Duration.ofSeconds(10), 100, 50, 600,
                Duration.ofSeconds(120)));
        long now = 0;
        long nextId = 1;
        double[] cycleMs = new double[cycles];
        // Waits in whole milliseconds, counted rather than kept: millions of boxed figures would be the GC's work.
        long[] waitedMs = new long[121_000];
        long matches = 0;
        long playersMatched = 0;
        long expired = 0;
        for (int cycle = 0; cycle < warmup + cycles; cycle++) {
            int arrivals = tickets - matchmaker.size();
            for (int i = 0; i < arrivals; i++) {
                // Newcomers arrive evenly over the interval before the next cycle, in order, as they would.
                matchmaker.add(ticket(nextId++, random, now + interval * i / arrivals));
            }
            now += interval;
            long start = System.nanoTime();
            Matchmaker.Outcome outcome = matchmaker.cycle(now);
            long took = System.nanoTime() - start;
            if (cycle < warmup) {
                continue;
            }
            cycleMs[cycle - warmup] = took / 1e6;
            if (trace) {
                System.err.printf("cycle %d: %.2f ms, %d matches%n", cycle - warmup, took / 1e6,
                        outcome.matches().size());
            }
            matches += outcome.matches().size();
            expired += outcome.expired().size();
            for (Match match : outcome.matches()) {
                playersMatched += match.players();
                for (Ticket ticket : match.tickets()) {
                    waitedMs[(int) Math.min(waitedMs.length - 1, (now - ticket.submittedNanos()) / 1_000_000)]++;
                }
            }
        }
        double seconds = cycles * interval / 1e9;
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("tool", "matchmaker-load");
        out.put("tickets", tickets);
        out.put("cycles", cycles);
        out.put("intervalMs", interval / 1_000_000);
        out.put("cycleP50Ms", round(percentile(cycleMs, 50)));
        out.put("cycleP99Ms", round(percentile(cycleMs, 99)));
        out.put("cycleMaxMs", round(percentile(cycleMs, 100)));
        out.put("matchP50S", round(percentile(waitedMs, 50) / 1000.0));
        out.put("matchP99S", round(percentile(waitedMs, 99) / 1000.0));
        out.put("matchesPerSecond", round(matches / seconds));
        out.put("playersMatchedPerSecond", round(playersMatched / seconds));
        out.put("expired", expired);
        out.put("waitingAfter", matchmaker.size());
        out.put("ok", matches > 0);
        return out;
    }

    private static Ticket ticket(long id, Random random, long submitted) {
        String region = REGIONS[random.nextInt(REGIONS.length)];
        double skill = 1500 + random.nextGaussian() * 300;
        return switch (random.nextInt(3)) {
            case 0 -> new Ticket(id, "arena", Map.of("region", region, "mode", "duel"), skill, 2, 2, 1, 1, submitted);
            case 1 -> new Ticket(id, "arena", Map.of("region", region, "mode", "squad"), skill, 2, 4, 1,
                    random.nextInt(10) == 0 ? 2 : 1, submitted);
            default -> new Ticket(id, "arena", Map.of("region", region, "mode", "teams"), skill, 4, 8, 2,
                    random.nextInt(10) == 0 ? 2 : 1, submitted);
        };
    }

    private static double percentile(double[] values, double percent) {
        if (values.length == 0) {
            return 0;
        }
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int index = (int) Math.ceil(percent / 100 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
    }

    /** The percentile of a histogram of whole milliseconds. */
    private static long percentile(long[] countsByMs, double percent) {
        long total = 0;
        for (long count : countsByMs) {
            total += count;
        }
        long wanted = (long) Math.ceil(percent / 100 * total);
        long seen = 0;
        for (int ms = 0; ms < countsByMs.length; ms++) {
            seen += countsByMs[ms];
            if (seen >= wanted && seen > 0) {
                return ms;
            }
        }
        return 0;
    }

    private static double round(double value) {
        return Math.round(value * 1000) / 1000.0;
    }
}
