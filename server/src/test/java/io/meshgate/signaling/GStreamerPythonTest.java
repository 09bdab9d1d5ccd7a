package io.meshgate.signaling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.meshgate.testkit.TestServer;
import io.meshgate.testkit.TlsFiles;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * GStreamer's signalling as its Python clients speak it: Debian's python3-websockets over wss:// with a self-signed
 * certificate the client verifies, through a session and a room of three (src/test/python/gst_client.py).
 */
class GStreamerPythonTest {

    @TempDir
    Path certificates;

    @Test
    void pythonClientsCallAndMeetInARoomOverTls() throws Exception {
        TlsFiles tls = TlsFiles.create(certificates);
        try (TestServer server = TestServer.withTls(tls)) {
            Process python = new ProcessBuilder("/usr/bin/python3", "src/test/python/gst_client.py",
                    server.uri("/gst").toString(), tls.cert().toString()).redirectErrorStream(true).start();
            boolean finished = python.waitFor(60, TimeUnit.SECONDS);
            if (!finished) {
                python.destroyForcibly();
            }
            String output = new String(python.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(finished, "client still running after 60 s:\n" + output);
            assertEquals(0, python.exitValue(), output);
            assertTrue(output.contains("GST-STEP session ended with the caller: callee closed with 1000"), output);
            assertTrue(output.contains("GST-STEP room of 3"), output);
            assertTrue(output.lines().anyMatch("GST-OK"::equals), output);
        }
    }
}
