package io.meshgate.testkit;

import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.io.ClientConnector;
import org.eclipse.jetty.util.ssl.SslContextFactory;

/** A self-signed certificate made the way the README tells users to (tools/self-signed-cert.sh), in a temp dir. */
public record TlsFiles(Path cert, Path key) {

    public static TlsFiles create(Path dir) throws Exception {
        Path script = Path.of("..", "tools", "self-signed-cert.sh").toAbsolutePath().normalize();
        Process process = new ProcessBuilder(script.toString(), dir.toString()).redirectErrorStream(true).start();
        if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
            process.destroyForcibly();
            throw new IllegalStateException(script + " failed: " + new String(process.getInputStream().readAllBytes()));
        }
        return new TlsFiles(dir.resolve("cert.pem"), dir.resolve("key.pem"));
    }

    /** A trust store of this certificate alone, so clients really verify the server. */
    public KeyStore trustStore() throws Exception {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("meshgate-test", CertificateFactory.getInstance("X.509")
                .generateCertificate(new ByteArrayInputStream(Files.readAllBytes(cert))));
        return trust;
    }

    /** The same trust for the JDK's own clients (java.net.http). */
    public SSLContext sslContext() throws Exception {
        TrustManagerFactory trustManagers = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trustManagers.init(trustStore());
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, trustManagers.getTrustManagers(), null);
        return context;
    }

    /** Jetty's HTTP client (under the WebSocket client) trusting this certificate and nothing else. */
    public HttpClient trustingClient() throws Exception {
        SslContextFactory.Client ssl = new SslContextFactory.Client();
        ssl.setTrustStore(trustStore());
        ClientConnector connector = new ClientConnector();
        connector.setSslContextFactory(ssl);
        return new HttpClient(new org.eclipse.jetty.client.transport.HttpClientTransportOverHTTP(connector));
    }
}
