package io.jenkins.plugins.mlops.deploy.router;

import io.jenkins.plugins.mlops.io.BadInputException;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.NetUtil;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.net.TrustOptions;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Collection;
import java.util.List;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManagerFactory;

/**
 * How the router trusts its https upstreams: the JVM's trust store, plus the CA certificates of a
 * PEM file when the user gives one (the private CA of a KServe or Istio gateway, an ingress). One
 * trust for both the front's own connections and Vert.x's client behind it; hostname
 * verification and SNI are always on.
 */
final class UpstreamTls {
    private final TrustManagerFactory trust;
    private final SslContext front;

    private UpstreamTls(TrustManagerFactory trust) {
        this.trust = trust;
        try {
            this.front = SslContextBuilder.forClient().trustManager(trust).build();
        } catch (SSLException e) {
            throw new IllegalStateException("no TLS client: " + e.getMessage(), e);
        }
    }

    /** The JVM's trust store, and {@code caFile}'s certificates too when it is not null. */
    static UpstreamTls of(Path caFile) {
        try {
            TrustManagerFactory jvm = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            jvm.init((KeyStore) null);
            if (caFile == null) {
                return new UpstreamTls(jvm);
            }
            KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
            store.load(null, null);
            int n = 0;
            for (javax.net.ssl.TrustManager manager : jvm.getTrustManagers()) {
                if (manager instanceof javax.net.ssl.X509TrustManager x509) {
                    for (X509Certificate issuer : x509.getAcceptedIssuers()) {
                        store.setCertificateEntry("jvm-" + n++, issuer);
                    }
                }
            }
            for (Certificate ca : certificates(caFile)) {
                store.setCertificateEntry("ca-" + n++, ca);
            }
            TrustManagerFactory both = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            both.init(store);
            return new UpstreamTls(both);
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("the JVM's trust store cannot be read: " + e.getMessage(), e);
        }
    }

    private static Collection<? extends Certificate> certificates(Path caFile) {
        try (InputStream in = Files.newInputStream(caFile)) {
            Collection<? extends Certificate> found = CertificateFactory.getInstance("X.509").generateCertificates(in);
            if (found.isEmpty()) {
                throw new BadInputException("upstream CA file " + caFile + " holds no PEM certificate");
            }
            return found;
        } catch (IOException e) {
            throw new BadInputException("upstream CA file " + caFile + " cannot be read: " + e.getMessage());
        } catch (java.security.cert.CertificateException e) {
            throw new BadInputException("upstream CA file " + caFile + " is not PEM certificates: " + e.getMessage());
        }
    }

    /** A TLS handler for a connection to {@code upstream}: SNI with its host name, and the name checked against the certificate. */
    SslHandler handler(ByteBufAllocator alloc, Upstream upstream) {
        SslHandler ssl = front.newHandler(alloc, upstream.host(), upstream.port());
        SSLParameters parameters = ssl.engine().getSSLParameters();
        parameters.setEndpointIdentificationAlgorithm("HTTPS");
        if (!NetUtil.isValidIpV4Address(upstream.host()) && !NetUtil.isValidIpV6Address(upstream.host())) {
            // The JDK sends no SNI for a name without a dot (a Kubernetes service, localhost): a gateway
            // serving several names would answer with its default certificate.
            parameters.setServerNames(List.of(new SNIHostName(upstream.host())));
        }
        ssl.engine().setSSLParameters(parameters);
        return ssl;
    }

    /**
     * Why a request to {@code upstream} failed, as the client's 502 says it: a failed TLS handshake
     * named as such, with the JDK's reason (Vert.x and netty wrap it in exceptions that say less).
     */
    static String reason(Throwable failure, Upstream upstream) {
        // The innermost: Vert.x wraps the JDK's in one of its own that only says it failed.
        SSLHandshakeException handshake = null;
        for (Throwable cause = failure; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            if (cause instanceof SSLHandshakeException found) {
                handshake = found;
            }
        }
        if (handshake != null) {
            return "TLS handshake with " + upstream.authority() + " failed (is its certificate for that name, and signed"
                    + " by a CA in the JVM's trust store or the upstream CA file?): " + handshake.getMessage();
        }
        Throwable shown = failure instanceof DecoderException && failure.getCause() != null ? failure.getCause() : failure;
        return String.valueOf(shown.getMessage());
    }

    /** {@code base} with this trust, host verification and SNI, for Vert.x's client. */
    HttpClientOptions clientOptions(HttpClientOptions base) {
        return new HttpClientOptions(base).setTrustOptions(TrustOptions.wrap(trust)).setVerifyHost(true).setForceSni(true);
    }
}
