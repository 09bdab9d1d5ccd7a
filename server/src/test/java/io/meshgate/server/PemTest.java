package io.meshgate.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The PEM forms openssl writes, read (or refused with the conversion to run) as the TLS listener needs them. */
class PemTest {

    @TempDir
    Path dir;

    private Path openssl(String file, String... args) throws Exception {
        Path out = dir.resolve(file);
        // -out right after the subcommand: genrsa wants its key size last
        List<String> command = new ArrayList<>(List.of("openssl", args[0], "-out", out.toString()));
        command.addAll(List.of(args).subList(1, args.length));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), "openssl timed out");
        assertEquals(0, process.exitValue(), new String(process.getInputStream().readAllBytes()));
        return out;
    }

    private static String read(Path file) throws Exception {
        return Files.readString(file);
    }

    @Test
    void readsPkcs8AndPkcs1Keys() throws Exception {
        Path pkcs8Ec = openssl("ec8.pem", "genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256");
        assertTrue(read(pkcs8Ec).contains("BEGIN PRIVATE KEY"));
        assertEquals("EC", Pem.privateKey(read(pkcs8Ec), "ec8.pem").getAlgorithm());

        Path pkcs1 = openssl("rsa1.pem", "genrsa", "-traditional", "1024");
        assertTrue(read(pkcs1).contains("BEGIN RSA PRIVATE KEY"));
        assertEquals("RSA", Pem.privateKey(read(pkcs1), "rsa1.pem").getAlgorithm());

        Path ed = openssl("ed.pem", "genpkey", "-algorithm", "ED25519");
        assertEquals("EdDSA", Pem.privateKey(read(ed), "ed.pem").getAlgorithm());
    }

    @Test
    void refusesWhatItCannotUseWithTheFix() throws Exception {
        Path sec1 = openssl("sec1.pem", "ecparam", "-genkey", "-name", "prime256v1", "-noout");
        GeneralSecurityException ec = assertThrows(GeneralSecurityException.class,
                () -> Pem.privateKey(read(sec1), "sec1.pem"));
        assertTrue(ec.getMessage().contains("openssl pkcs8 -topk8 -nocrypt"), ec.getMessage());

        Path plain = openssl("plain.pem", "genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256");
        Path encrypted = openssl("enc.pem", "pkcs8", "-topk8", "-in", plain.toString(), "-passout", "pass:secret");
        GeneralSecurityException locked = assertThrows(GeneralSecurityException.class,
                () -> Pem.privateKey(read(encrypted), "enc.pem"));
        assertTrue(locked.getMessage().contains("encrypted"), locked.getMessage());

        assertThrows(GeneralSecurityException.class, () -> Pem.privateKey("no key here", "empty.pem"));
    }

    @Test
    void aServerWithAnUnreadableKeyExplainsWhichFlag() throws Exception {
        Path cert = dir.resolve("cert.pem");
        Files.writeString(cert, "not a certificate");
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class, () -> new MeshgateServer(
                Config.of("--port", "0", "--tls-port", "0", "--tls-cert", cert.toString(), "--tls-key",
                        cert.toString())).close());
        assertTrue(refused.getMessage().startsWith("cannot use --tls-cert"), refused.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Config.of("--tls-cert", cert.toString()));
    }
}
