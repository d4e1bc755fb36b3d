import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A throwaway certificate authority and server certificates it signs, made with openssl in a
 * temporary folder: the private CA an operator passes with --ca-cert.
 */
public final class TestCertificates {
    /** A server's certificate and its unencrypted key, PEM files as influxd's --tls-cert/--tls-key take them. */
    public record ServerCertificate(Path cert, Path key) {}

    private final Path folder;

    private TestCertificates(Path folder) {
        this.folder = folder;
    }

    public static TestCertificates create() {
        try {
            TestCertificates certificates = new TestCertificates(Files.createTempDirectory("influx-tools-tls-"));
            certificates.openssl("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                    "-keyout", "ca.key", "-out", "ca.pem", "-days", "2", "-subj", "/CN=influx-tools test CA",
                    "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign");
            return certificates;
        } catch (IOException e) {
            throw new IllegalStateException("cannot prepare a folder for certificates: " + e, e);
        }
    }

    public Path caCert() {
        return folder.resolve("ca.pem");
    }

    /** @param subjectAltName such as "IP:127.0.0.1" */
    public ServerCertificate server(String name, String subjectAltName) {
        try {
            Files.writeString(folder.resolve(name + ".ext"),
                    "subjectAltName=" + subjectAltName + "\nextendedKeyUsage=serverAuth\n");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        openssl("req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                "-keyout", name + ".key", "-out", name + ".csr", "-subj", "/CN=" + name);
        openssl("x509", "-req", "-in", name + ".csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial",
                "-out", name + ".pem", "-days", "2", "-extfile", name + ".ext");
        return new ServerCertificate(folder.resolve(name + ".pem"), folder.resolve(name + ".key"));
    }

    private void openssl(String... args) {
        List<String> command = new ArrayList<>(List.of("openssl"));
        command.addAll(List.of(args));
        try {
            Process process = new ProcessBuilder(command).directory(folder.toFile()).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes());
            if (process.waitFor() != 0) {
                throw new IllegalStateException(String.join(" ", command) + " failed:\n" + output);
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot run openssl (.ci/run installs it): " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
