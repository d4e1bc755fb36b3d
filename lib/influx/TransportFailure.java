package influx;

import java.io.IOException;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.security.cert.CertPathBuilderException;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateException;
import java.time.Duration;

import javax.net.ssl.SSLException;

/**
 * Why a request got no answer at all, in words an operator can act on, and whether trying again
 * can help: a refused or dropped connection may pass, a wrong host name or certificate will not.
 */
record TransportFailure(String cause, boolean isTransient) {

    static TransportFailure of(IOException e, String host, Duration timeout) {
        // The JDK client wraps the real reason, and not always at the same depth.
        if (e instanceof HttpConnectTimeoutException) {
            return new TransportFailure("connection timed out after " + timeout.toSeconds() + " s", true);
        }
        if (e instanceof HttpTimeoutException) {
            return new TransportFailure("no answer within " + timeout.toSeconds() + " s (--timeout)", true);
        }
        if (find(e, UnknownHostException.class) != null || find(e, UnresolvedAddressException.class) != null) {
            return new TransportFailure("unknown host " + host, false);
        }
        SSLException tls = find(e, SSLException.class);
        if (tls != null) {
            String advice;
            if (find(e, CertPathBuilderException.class) != null || find(e, CertPathValidatorException.class) != null) {
                advice = "the server's certificate is not trusted; pass its CA with --ca-cert FILE";
            } else if (find(e, CertificateException.class) != null) {
                advice = "the server's certificate is not issued for " + host + "; use the host name it names";
            } else {
                advice = "is the server serving https?";
            }
            return new TransportFailure("TLS failure: " + tls.getMessage() + " (" + advice + ")", false);
        }
        if (find(e, ConnectException.class) != null) {
            return new TransportFailure("connection refused", true);
        }
        return new TransportFailure("connection lost (" + (e.getMessage() == null ? e.getClass().getSimpleName()
                : e.getMessage()) + ")", true);
    }

    private static <T extends Throwable> T find(Throwable e, Class<T> type) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (type.isInstance(t)) {
                return type.cast(t);
            }
        }
        return null;
    }
}
