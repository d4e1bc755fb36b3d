import java.nio.file.Files;
import java.nio.file.Path;

/** One line naming the machine the figures were taken on. */
public final class Machine {
    private Machine() {}

    public static String describe() {
        String cpu = "unknown CPU";
        try {
            cpu = Files.readAllLines(Path.of("/proc/cpuinfo")).stream()
                    .filter(line -> line.startsWith("model name"))
                    .map(line -> line.substring(line.indexOf(':') + 1).strip())
                    .findFirst().orElse(cpu);
        } catch (Exception ignored) {
            // Not Linux: the CPU count below still says something.
        }
        long memoryGb = Math.round(((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
                .getOperatingSystemMXBean()).getTotalMemorySize() / 1e9);
        return Runtime.getRuntime().availableProcessors() + " cores (" + cpu + "), " + memoryGb + " GB, Java "
                + System.getProperty("java.version");
    }
}
