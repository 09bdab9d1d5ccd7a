package io.meshgate.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.meshgate.testkit.TestServer;
import io.meshgate.testkit.TlsFiles;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The TLS listener as development clients meet it: a certificate that names only a host, clients that connect by
 * address; and as an attacker probes it: old protocol versions and weak ciphers are refused (by openssl's own client).
 */
class TlsListenerTest {

    @TempDir
    static Path certificates;
    private static TestServer server;

    @BeforeAll
    static void start() throws Exception {
        // like a development certificate made for "localhost" alone: no IP address in it
        Path cert = certificates.resolve("cert.pem");
        Path key = certificates.resolve("key.pem");
        run(List.of("openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                "-days", "2", "-subj", "/CN=localhost", "-addext", "subjectAltName=DNS:localhost",
                "-keyout", key.toString(), "-out", cert.toString()), "");
        server = TestServer.withTls(new TlsFiles(cert, key));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static String run(List<String> command, String input) throws Exception {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        try (OutputStream in = process.getOutputStream()) {
            in.write(input.getBytes(StandardCharsets.UTF_8));
        }
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(30, TimeUnit.SECONDS), "openssl finished");
        return output;
    }

    /** openssl's client against the TLS port, with {@code options}; what it printed. */
    private static String handshake(String... options) throws Exception {
        List<String> command = new ArrayList<>(List.of("openssl", "s_client", "-connect",
                "127.0.0.1:" + server.server.tlsPort()));
        command.addAll(List.of(options));
        return run(command, "");
    }

    @Test
    void aClientConnectingByAddressIsServedWithAHostOnlyCertificate() throws Exception {
        var factory = new TlsFiles(certificates.resolve("cert.pem"), certificates.resolve("key.pem")).sslContext()
                .getSocketFactory();
        // A raw TLS socket checks the chain but not the name, as a development client with verification relaxed.
        try (SSLSocket socket = (SSLSocket) factory.createSocket("127.0.0.1", server.server.tlsPort())) {
            socket.getOutputStream().write(("GET /health HTTP/1.1\r\nHost: 127.0.0.1:" + server.server.tlsPort()
                    + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            String status = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII))
                    .readLine();
            assertEquals("HTTP/1.1 200 OK", status, "not 400 Invalid SNI");
        }
    }

    @Test
    void onlyTls12AndLaterWithStrongCiphersAreAccepted() throws Exception {
        String tls13 = handshake("-tls1_3");
        assertTrue(tls13.contains("New, TLSv1.3, Cipher is TLS_"), tls13);
        String tls12 = handshake("-tls1_2");
        assertTrue(tls12.contains("New, TLSv1.2, Cipher is ECDHE-ECDSA-AES") && tls12.contains("GCM"), tls12);
        // The client is told to allow what the server must refuse, so that the refusal is the server's.
        String tls11 = handshake("-tls1_1", "-cipher", "DEFAULT:@SECLEVEL=0");
        assertTrue(tls11.contains("alert protocol version") && tls11.contains("Cipher is (NONE)"), tls11);
        String sha1 = handshake("-tls1_2", "-cipher", "ECDHE-ECDSA-AES128-SHA:@SECLEVEL=0");
        assertTrue(sha1.contains("handshake failure") && sha1.contains("Cipher is (NONE)"), sha1);
    }
}
