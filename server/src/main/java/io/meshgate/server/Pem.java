package io.meshgate.server;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.spec.InvalidKeySpecException;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.Collection;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a PEM certificate chain and private key (what {@code openssl req} and Let's Encrypt write) into a key store
 * for the TLS listener. Keys may be PKCS#8 ({@code BEGIN PRIVATE KEY}: RSA, EC or Ed25519) or PKCS#1 RSA.
 */
final class Pem {

    /** The in-memory key store's password: it never leaves the process, so it protects nothing. */
    static final String STORE_PASSWORD = "meshgate";

    private static final Pattern BLOCK = Pattern.compile(
            "-----BEGIN ([A-Z0-9 ]+)-----([A-Za-z0-9+/=\\s]+)-----END \\1-----");

    private Pem() {
    }

    /** A key store holding the key under alias "server" with its chain. */
    static KeyStore keyStore(Path certificateFile, Path keyFile) throws IOException, GeneralSecurityException {
        Collection<? extends Certificate> chain = CertificateFactory.getInstance("X.509")
                .generateCertificates(new ByteArrayInputStream(Files.readAllBytes(certificateFile)));
        if (chain.isEmpty()) {
            throw new GeneralSecurityException(certificateFile + ": no certificate in it");
        }
        PrivateKey key = privateKey(Files.readString(keyFile, StandardCharsets.US_ASCII), keyFile.toString());
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        store.setKeyEntry("server", key, STORE_PASSWORD.toCharArray(), chain.toArray(new Certificate[0]));
        return store;
    }

    /**
     * Reads a PEM public key ({@code BEGIN PUBLIC KEY}, what {@code openssl pkey -pubout} writes): RSA or EC, tried in
     * that order.
     */
    static PublicKey publicKey(Path file) throws IOException, GeneralSecurityException {
        Matcher block = BLOCK.matcher(Files.readString(file, StandardCharsets.US_ASCII));
        while (block.find()) {
            if (block.group(1).equals("PUBLIC KEY")) {
                X509EncodedKeySpec spec = new X509EncodedKeySpec(Base64.getMimeDecoder().decode(block.group(2)));
                for (String algorithm : new String[] {"RSA", "EC"}) {
                    try {
                        return KeyFactory.getInstance(algorithm).generatePublic(spec);
                    } catch (InvalidKeySpecException notThisOne) {
                        // the next algorithm
                    }
                }
                throw new GeneralSecurityException(file + ": the public key is neither RSA nor EC");
            }
        }
        throw new GeneralSecurityException(file + ": no PEM public key (BEGIN PUBLIC KEY) in it");
    }

    static PrivateKey privateKey(String pem, String source) throws GeneralSecurityException {
        Matcher block = BLOCK.matcher(pem);
        while (block.find()) {
            String type = block.group(1);
            byte[] der = Base64.getMimeDecoder().decode(block.group(2));
            switch (type) {
                case "PRIVATE KEY":
                    return pkcs8(der, source);
                case "RSA PRIVATE KEY":
                    return KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(wrapPkcs1(der)));
                case "ENCRYPTED PRIVATE KEY":
                    throw new GeneralSecurityException(source + ": the key is encrypted; give an unencrypted one "
                            + "(openssl pkey -in " + source + " -out key.pem)");
                case "EC PRIVATE KEY":
                    throw new GeneralSecurityException(source + ": SEC1 EC keys are not read; convert it with "
                            + "openssl pkcs8 -topk8 -nocrypt -in " + source + " -out key.pem");
                default:
                    // a certificate or parameters block in the same file: look further
            }
        }
        throw new GeneralSecurityException(source + ": no PEM private key in it");
    }

    private static PrivateKey pkcs8(byte[] der, String source) throws GeneralSecurityException {
        for (String algorithm : new String[] {"RSA", "EC", "Ed25519", "Ed448"}) {
            try {
                return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
            } catch (GeneralSecurityException wrongAlgorithm) {
                // try the next one: PKCS#8 names its algorithm, but KeyFactory needs to be told
            }
        }
        throw new GeneralSecurityException(source + ": a PKCS#8 key of an algorithm other than RSA, EC, Ed25519");
    }

    /** PKCS#1 RSAPrivateKey inside the PKCS#8 PrivateKeyInfo that Java's KeyFactory reads. */
    private static byte[] wrapPkcs1(byte[] pkcs1) {
        byte[] algorithm = {0x30, 0x0d, 0x06, 0x09, 0x2a, (byte) 0x86, 0x48, (byte) 0x86, (byte) 0xf7, 0x0d, 0x01, 0x01,
                0x01, 0x05, 0x00}; // SEQUENCE { rsaEncryption, NULL }
        byte[] version = {0x02, 0x01, 0x00};
        byte[] octets = der(0x04, pkcs1);
        byte[] body = new byte[version.length + algorithm.length + octets.length];
        System.arraycopy(version, 0, body, 0, version.length);
        System.arraycopy(algorithm, 0, body, version.length, algorithm.length);
        System.arraycopy(octets, 0, body, version.length + algorithm.length, octets.length);
        return der(0x30, body);
    }

    private static byte[] der(int tag, byte[] content) {
        int n = content.length;
        byte[] length = n < 0x80 ? new byte[] {(byte) n}
                : n < 0x100 ? new byte[] {(byte) 0x81, (byte) n}
                : n < 0x10000 ? new byte[] {(byte) 0x82, (byte) (n >> 8), (byte) n}
                : new byte[] {(byte) 0x83, (byte) (n >> 16), (byte) (n >> 8), (byte) n};
        byte[] out = new byte[1 + length.length + n];
        out[0] = (byte) tag;
        System.arraycopy(length, 0, out, 1, length.length);
        System.arraycopy(content, 0, out, 1 + length.length, n);
        return out;
    }
}
