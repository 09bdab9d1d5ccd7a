package io.meshgate.server;

import java.util.Arrays;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;

/** Command-line entry point: parses the configuration, starts the server, stops it gracefully on SIGTERM or SIGINT. */
public final class Main {

    private Main() {
    }

    public static void main(String[] args) {
        if (Arrays.asList(args).contains("--help")) {
            System.out.print(Config.help());
            return;
        }
        Config config;
        try {
            config = Config.parse(args, System.getenv());
        } catch (IllegalArgumentException e) {
            System.err.println("meshgate: " + e.getMessage());
            System.exit(2);
            return;
        }
        Logger log = LoggerFactory.getLogger(Main.class);
        MeshgateServer server;
        try {
            server = new MeshgateServer(config);
        } catch (IllegalArgumentException e) {
            System.err.println("meshgate: " + e.getMessage()); // an unreadable certificate or key
            System.exit(2);
            return;
        }
        try {
            server.start();
        } catch (Exception e) {
            log.error("Could not start on {}:{}", config.host(), config.port(), e);
            System.exit(1);
            return;
        }
        // A plain shutdown hook would leave the JVM's exit status at 143; handling the signal lets a clean stop exit 0.
        // SIGTERM, SIGINT and the admin listener's POST /drain all drain, then stop; the process then exits 0.
        Runnable drainAndExit = () -> {
            server.drain().join();
            System.exit(0);
        };
        server.stopped().thenRun(() -> {
            Thread exit = new Thread(() -> System.exit(0), "meshgate-exit");
            exit.setDaemon(false);
            exit.start();
        });
        for (String name : new String[] {"TERM", "INT"}) {
            Signal.handle(new Signal(name), signal -> {
                log.info("SIG{} received", name);
                if (server.draining()) {
                    log.info("Already draining: stopping now");
                    Thread now = new Thread(server::stop, "meshgate-stop");
                    now.setDaemon(false);
                    now.start();
                    return;
                }
                Thread shutdown = new Thread(drainAndExit, "meshgate-shutdown");
                // The signal thread is a daemon and a new thread inherits that: a daemon would be killed the moment
                // Jetty's threads end, before the stop completes, leaving the exit status to chance.
                shutdown.setDaemon(false);
                shutdown.start();
            });
        }
    }
}
