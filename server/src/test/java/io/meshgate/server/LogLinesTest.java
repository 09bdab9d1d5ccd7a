package io.meshgate.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.classic.util.LogbackMDCAdapter;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The server's own logging configuration (not the tests'): what a client sends cannot forge or split a log line. */
class LogLinesTest {

    @Test
    void clientTextCannotBreakALogLine() throws Exception {
        URL production = getClass().getClassLoader().getResource("logback.xml");
        assertNotNull(production, "the server's logback.xml on the class path");
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        PrintStream console = System.out;
        LoggerContext context = new LoggerContext();
        context.setMDCAdapter(new LogbackMDCAdapter());
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            JoranConfigurator configurator = new JoranConfigurator();
            configurator.setContext(context);
            configurator.doConfigure(production);
            context.getLogger("io.meshgate.test").info("Peer {} disconnected: {}", 7,
                    "bye\u2028FAKE INFO Lobby x closed\r\nSECOND\u2029third\u0000");
        } finally {
            context.stop(); // flushes the asynchronous appender
            System.setOut(console);
        }
        List<String> lines = captured.toString(StandardCharsets.UTF_8).lines().toList();
        assertEquals(1, lines.size(), "one event, one line: " + lines);
        String line = lines.get(0);
        assertEquals("Peer 7 disconnected: bye?FAKE INFO Lobby x closed??SECOND?third?",
                line.substring(line.indexOf(" - ") + 3));
    }
}
