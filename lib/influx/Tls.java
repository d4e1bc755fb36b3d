package influx;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLContextSpi;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocketFactory;
import javax.net.ssl.SSLSessionContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;
import javax.net.ssl.X509TrustManager;

/** Builds the SSLContext for --ca-cert (extra trust on top of the system's) and --skip-verify. */
public final class Tls {
    private Tls() {}

    /** @throws IllegalArgumentException when the CA file is not a usable PEM certificate */
    public static SSLContext context(Path caCert, boolean skipVerify) {
        try {
            if (skipVerify) {
                return withTrust(new TrustEverything());
            }
            if (caCert == null) {
                return SSLContext.getDefault();
            }
            return withTrust(new EitherTrust(trustManager(null), trustManager(pemKeyStore(caCert))));
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalArgumentException("cannot use --ca-cert " + caCert + ": " + e.getMessage());
        }
    }

    /**
     * For a plain http:// server: a context that refuses every TLS connection. The HttpClient asks
     * for a context when it is built, whatever the scheme, and the JDK's default one costs about
     * 0.13 s of CPU and 9 MB (the JSSE provider, its cipher suites, the system trust store) in a
     * run that never makes a TLS connection; the client follows no redirects, so it cannot reach
     * an https:// one either.
     */
    public static SSLContext none() {
        return new SSLContext(new NoTls(), null, "none") {};
    }

    private static SSLContext withTrust(X509TrustManager trust) throws GeneralSecurityException {
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, new TrustManager[] {trust}, null);
        return context;
    }

    private static KeyStore pemKeyStore(Path pem) throws GeneralSecurityException, IOException {
        Collection<? extends java.security.cert.Certificate> certificates;
        try (InputStream in = Files.newInputStream(pem)) {
            certificates = CertificateFactory.getInstance("X.509").generateCertificates(in);
        }
        if (certificates.isEmpty()) {
            throw new CertificateException("no PEM certificate found in the file");
        }
        KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
        store.load(null, null);
        int i = 0;
        for (var certificate : certificates) {
            store.setCertificateEntry("ca-" + i++, certificate);
        }
        return store;
    }

    /** The default (system) trust manager when store is null. */
    private static X509TrustManager trustManager(KeyStore store) throws GeneralSecurityException {
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(store);
        for (TrustManager manager : factory.getTrustManagers()) {
            if (manager instanceof X509TrustManager x509) {
                return x509;
            }
        }
        throw new GeneralSecurityException("no X.509 trust manager available");
    }

    /** Trusts a server chain that either the system store or the operator's CA file accepts. */
    private record EitherTrust(X509TrustManager system, X509TrustManager extra) implements X509TrustManager {
        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            try {
                extra.checkServerTrusted(chain, authType);
            } catch (CertificateException notOurs) {
                system.checkServerTrusted(chain, authType);
            }
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            system.checkClientTrusted(chain, authType);
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            List<X509Certificate> all = new ArrayList<>(List.of(system.getAcceptedIssuers()));
            all.addAll(List.of(extra.getAcceptedIssuers()));
            return all.toArray(X509Certificate[]::new);
        }
    }

    private static final class NoTls extends SSLContextSpi {
        @Override
        protected void engineInit(KeyManager[] keys, TrustManager[] trust, SecureRandom random) {}

        @Override
        protected SSLSocketFactory engineGetSocketFactory() {
            throw refused();
        }

        @Override
        protected SSLServerSocketFactory engineGetServerSocketFactory() {
            throw refused();
        }

        @Override
        protected SSLEngine engineCreateSSLEngine() {
            throw refused();
        }

        @Override
        protected SSLEngine engineCreateSSLEngine(String host, int port) {
            throw refused();
        }

        @Override
        protected SSLSessionContext engineGetServerSessionContext() {
            throw refused();
        }

        @Override
        protected SSLSessionContext engineGetClientSessionContext() {
            throw refused();
        }

        @Override
        protected SSLParameters engineGetDefaultSSLParameters() {
            return new SSLParameters();
        }

        @Override
        protected SSLParameters engineGetSupportedSSLParameters() {
            return new SSLParameters();
        }

        private static IllegalStateException refused() {
            return new IllegalStateException("TLS to a server given as http://");
        }
    }

    /**
     * Accepts any chain for any host name. Being an X509ExtendedTrustManager matters: the JDK wraps
     * a plain X509TrustManager in one that still checks the host name, and the only other way to
     * stop that (a jdk.internal system property) would switch it off for the whole process.
     */
    private static final class TrustEverything extends X509ExtendedTrustManager {
        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {}

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) {}

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {}

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {}

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) {}

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {}

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
