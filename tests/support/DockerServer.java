import java.util.List;
import java.util.Map;

import org.testcontainers.DockerClientFactory;
import org.testcontainers.Testcontainers;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.InfluxDBContainer;
import org.testcontainers.utility.DockerImageName;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.model.Container;

/**
 * The Testcontainers route to a test server, used where a Docker engine answers: the official
 * influxdb image of {@link InfluxServer#VERSION}, or, where INFLUX_TOOLS_TEST_IMAGE names one, a
 * stand-in for it (tests/docker/build-standins.sh builds one where no registry is reachable).
 */
final class DockerServer {
    /** How a container reaches the test host, the way Testcontainers documents it (also on Docker Desktop). */
    static final String HOST_FROM_CONTAINER = GenericContainer.INTERNAL_HOST_HOSTNAME;

    private DockerServer() {}

    /** Whether Testcontainers can use a Docker engine; if not, says why in one line (then the local route runs). */
    static boolean available() {
        try {
            DockerClientFactory.instance().client();
            return true;
        } catch (RuntimeException | LinkageError noDocker) {
            String why = String.valueOf(noDocker.getMessage()).lines().findFirst().orElse(noDocker.toString());
            System.out.println("  docker: not used: " + why);
            return false;
        }
    }

    /**
     * INFLUX_TOOLS_TEST_IMAGE as given if it has a tag, else with the version's tag; without it the
     * official image. A stand-in must keep the official image's DOCKER_INFLUXDB_INIT_* contract.
     */
    static DockerImageName image() {
        String tag = InfluxServer.VERSION.substring(1);
        String configured = System.getenv("INFLUX_TOOLS_TEST_IMAGE");
        if (configured == null || configured.isBlank()) {
            return DockerImageName.parse("influxdb:" + tag);
        }
        String name = configured.strip();
        boolean tagged = name.substring(name.lastIndexOf('/') + 1).contains(":");
        return DockerImageName.parse(tagged ? name : name + ":" + tag).asCompatibleSubstituteFor("influxdb");
    }

    /** An onboarded server of the image above (test-org, bucket default_, the given operator token). */
    static InfluxDBContainer<?> container(String token) {
        return new InfluxDBContainer<>(image())
                .withUsername("admin")
                .withPassword("influx-tools-test")
                .withOrganization("test-org")
                .withBucket("default_")
                .withAdminToken(token);
    }

    static String start(String token) {
        // Access to the host from the start, so that a port exposed later (the Slack stand-in's)
        // is reachable at host.testcontainers.internal.
        InfluxDBContainer<?> container = container(token).withAccessToHost(true);
        container.start();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            container.stop();
            removeLeftovers();
        }));
        return container.getUrl();
    }

    /** Makes a port on this machine's loopback reachable from the server's container; answers the host name to use. */
    static String exposeHostPort(int port) {
        Testcontainers.exposeHostPorts(port);
        return HOST_FROM_CONTAINER;
    }

    /**
     * The containers this JVM started that are still there (Testcontainers' port-forwarding side
     * container): Ryuk would remove them, but where it cannot run (no image for it) they would stay.
     */
    private static void removeLeftovers() {
        try {
            DockerClient docker = DockerClientFactory.instance().client();
            List<Container> mine = docker.listContainersCmd().withShowAll(true)
                    .withLabelFilter(Map.of(DockerClientFactory.TESTCONTAINERS_SESSION_ID_LABEL, DockerClientFactory.SESSION_ID))
                    .exec();
            for (Container container : mine) {
                docker.removeContainerCmd(container.getId()).withForce(true).withRemoveVolumes(true).exec();
            }
        } catch (RuntimeException alreadyGone) {
            // The JVM is exiting; what cannot be removed now, the engine's owner removes.
        }
    }
}
