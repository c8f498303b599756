package io.jenkins.plugins.mlops.k8s;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The test cluster's certificates, made with the openssl command line: a CA, the API server's
 * serving certificate (127.0.0.1, localhost and the in-cluster names), one client certificate
 * per identity (the subject's CN is the user, O the group, as the API server reads them) and the
 * service-account signing key pair. RSA keys: fabric8 reads PKCS#8 RSA keys without BouncyCastle.
 */
final class ClusterCertificates {
    private final Path dir;

    private ClusterCertificates(Path dir) {
        this.dir = dir;
    }

    static ClusterCertificates create(Path dir) {
        ClusterCertificates certificates = new ClusterCertificates(dir);
        certificates.openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "ca.key", "-out", "ca.crt",
                "-days", "7", "-subj", "/CN=mlops-test-ca", "-addext", "basicConstraints=critical,CA:TRUE",
                "-addext", "keyUsage=critical,keyCertSign,cRLSign");
        certificates.openssl("genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048", "-out", "service-account.key");
        certificates.openssl("pkey", "-in", "service-account.key", "-pubout", "-out", "service-account.pub");
        return certificates;
    }

    Path ca() {
        return dir.resolve("ca.crt");
    }

    Path serviceAccountKey() {
        return dir.resolve("service-account.key");
    }

    Path serviceAccountPublicKey() {
        return dir.resolve("service-account.pub");
    }

    /** A serving certificate for 127.0.0.1 and localhost (and {@code names}), also usable as a client certificate. */
    KeyPair server(String name, String... names) {
        StringBuilder san = new StringBuilder("subjectAltName=IP:127.0.0.1,DNS:localhost");
        for (String dns : names) {
            san.append(",DNS:").append(dns);
        }
        return sign(name, "/CN=" + name, san + "\nextendedKeyUsage=serverAuth,clientAuth\n");
    }

    /** A client certificate for {@code user}, in {@code group} when not null. */
    KeyPair client(String user, String group) {
        String subject = (group == null ? "" : "/O=" + group) + "/CN=" + user;
        return sign(user.replace(':', '-'), subject, "extendedKeyUsage=clientAuth\n");
    }

    private KeyPair sign(String file, String subject, String extensions) {
        KeyPair pair = new KeyPair(dir.resolve(file + ".crt"), dir.resolve(file + ".key"));
        try {
            Files.writeString(dir.resolve(file + ".ext"), "keyUsage=critical,digitalSignature,keyEncipherment\n" + extensions);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        openssl("req", "-new", "-newkey", "rsa:2048", "-nodes", "-keyout", pair.key().toString(), "-out", file + ".csr",
                "-subj", subject);
        openssl("x509", "-req", "-in", file + ".csr", "-CA", "ca.crt", "-CAkey", "ca.key", "-CAcreateserial", "-days", "7",
                "-out", pair.certificate().toString(), "-extfile", file + ".ext");
        return pair;
    }

    private void openssl(String... arguments) {
        List<String> command = new ArrayList<>(List.of("openssl"));
        command.addAll(List.of(arguments));
        try {
            Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", command) + " failed:\n" + output);
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot run openssl (Debian: apt-get install openssl): " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while making the test cluster's certificates", e);
        }
    }

    /** A certificate and its private key, PEM files. */
    record KeyPair(Path certificate, Path key) {
        String certificateData() {
            return base64(certificate);
        }

        String keyData() {
            return base64(key);
        }

        private static String base64(Path file) {
            try {
                return java.util.Base64.getEncoder().encodeToString(Files.readAllBytes(file));
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }
    }
}
