import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.InfluxDBContainer;
import org.testcontainers.utility.DockerImageName;

/** The Testcontainers route to a test server, used where a Docker engine answers. */
final class DockerServer {
    private DockerServer() {}

    static boolean available() {
        try {
            return DockerClientFactory.instance().isDockerAvailable();
        } catch (RuntimeException | LinkageError noDocker) {
            return false;
        }
    }

    static String start(String token) {
        InfluxDBContainer<?> container = new InfluxDBContainer<>(
                DockerImageName.parse("influxdb:" + InfluxServer.VERSION.substring(1)))
                .withUsername("admin")
                .withPassword("influx-tools-test")
                .withOrganization("test-org")
                .withBucket("default_")
                .withAdminToken(token);
        container.start();
        Runtime.getRuntime().addShutdownHook(new Thread(container::stop));
        return container.getUrl();
    }
}
