///usr/bin/env jbang "$0" "$@" ; exit $?
//JAVA 17+
//DESCRIPTION Times two CronJob images side by side: each tool with nothing to do, as the CronJob runs it, against a local influxd (not a test).
//DEPS org.junit.jupiter:junit-jupiter:5.14.4
//DEPS org.testcontainers:testcontainers-influxdb:2.0.5
//DEPS org.slf4j:slf4j-nop:2.0.17
//SOURCES ../lib/influx/*.java
//SOURCES ../lib/plan/*.java
//SOURCES ../lib/cli/*.java
//SOURCES ../lib/alerts/*.java
//SOURCES ../lib/tokens/*.java
//SOURCES support/*.java
//SOURCES bench/*.java

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Two CronJob images taking turns (not a test): an influxd of its own on loopback, an org of N
 * applications set up once, then each tool's run with nothing to do, in a container of each image
 * in turn (the order swapping every round), with deploy/cronjob.yaml's JAVA_OPTS and memory limit
 * and the host's network. Inside the container the tool runs under the host's /usr/bin/time
 * (mounted read-only), which gives its wall time, CPU time and peak RSS; the docker run around it
 * is timed too (container start and removal included). Prints a Markdown table of medians with
 * their ranges.
 *
 * Usage: ./jbang tests/imagebench.java --before IMAGE --after IMAGE [--apps 300] [--rounds 9]
 * e.g. today's image from a worktree of the commit before, and this one, both on the stand-ins:
 *   docker build -t influx-tools:before --build-arg BUILD_IMAGE=influx-tools/openjdk:17-jdk \
 *     --build-arg RUNTIME_IMAGE=influx-tools/openjdk:17-jre ../before
 */
public class imagebench {
    private static final Path CRONJOB = Path.of("deploy", "cronjob.yaml");
    private static final Path TIME = Path.of("/usr/bin/time");
    /** The tools as the CronJob runs them, and tokenmaker as an operator runs it once. */
    private static final Map<String, List<String>> RUNS = new LinkedHashMap<>();
    static {
        RUNS.put("bucketmapper", List.of("bucketmapper"));
        RUNS.put("taskmaker", List.of("taskmaker"));
        RUNS.put("tokenmaker --dry-run", List.of("tokenmaker", "--for", "taskmaker", "--dry-run"));
    }

    record Sample(double dockerSeconds, double wallSeconds, double cpuSeconds, long peakRssKb) {}

    public static void main(String... args) throws IOException {
        Map<String, String> options = new LinkedHashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            options.put(args[i], args[i + 1]);
        }
        String before = options.get("--before");
        String after = options.get("--after");
        if (before == null || after == null) {
            System.err.println("usage: imagebench.java --before IMAGE --after IMAGE [--apps 300] [--rounds 9]");
            System.exit(2);
        }
        int apps = Integer.parseInt(options.getOrDefault("--apps", "300"));
        int rounds = Integer.parseInt(options.getOrDefault("--rounds", "9"));
        String cronJob = Files.readString(CRONJOB);
        String javaOpts = match(cronJob, "- name: JAVA_OPTS\\s+value: \"([^\"]*)\"");
        String memory = match(cronJob, "limits:\\s+memory: (\\d+)Mi") + "m";

        String token = "imagebench-" + UUID.randomUUID();
        LocalInfluxd server = InfluxServer.startExtra(LocalInfluxd.Options.defaults(), token);
        BenchOrg org = BenchOrg.seed(Admin.of(server.url(), token), apps);
        Map<String, String> env = Map.of("INFLUXDB_URL", server.url(), "INFLUXDB_ORG", org.org().name(),
                "INFLUXDB_TOKEN", token, "JAVA_OPTS", javaOpts);
        List<String> images = List.of(before, after);
        for (String image : images) {
            // Settles the org (mappings and tasks made), so that every measured run has nothing to do.
            for (List<String> run : RUNS.values()) {
                sample(image, memory, env, run);
            }
        }

        Map<String, List<Sample>> samples = new LinkedHashMap<>();
        for (int round = 0; round < rounds; round++) {
            for (Map.Entry<String, List<String>> run : RUNS.entrySet()) {
                List<String> order = round % 2 == 0 ? images : List.of(after, before);
                for (String image : order) {
                    samples.computeIfAbsent(run.getKey() + "\u0000" + image, key -> new ArrayList<>())
                            .add(sample(image, memory, env, run.getValue()));
                }
            }
        }
        server.destroy();

        System.out.println("machine: " + Machine.describe() + "; influxd " + InfluxServer.VERSION + " on loopback; " + apps
                + " applications; " + rounds + " rounds, images in turn; JAVA_OPTS " + javaOpts + "; memory limit " + memory);
        System.out.println();
        System.out.println("| run (nothing to do) | image | tool's wall s | tool's CPU s | peak RSS MB | docker run s |");
        System.out.println("|---|---|---|---|---|---|");
        for (String run : RUNS.keySet()) {
            for (String image : images) {
                List<Sample> all = samples.get(run + "\u0000" + image);
                System.out.printf("| %s | %s | %s | %s | %s | %s |%n", run, image,
                        figure(all, Sample::wallSeconds, 1), figure(all, Sample::cpuSeconds, 1),
                        figure(all, sample -> sample.peakRssKb() / 1024.0, 1024), figure(all, Sample::dockerSeconds, 1));
            }
        }
        System.exit(0);
    }

    /** One container: the tool under /usr/bin/time, whose last line of stderr is "TIME wall user system maxrss-KB". */
    private static Sample sample(String image, String memory, Map<String, String> env, List<String> run) {
        List<String> command = new ArrayList<>(List.of("docker", "run", "--rm", "--network", "host", "--memory", memory,
                "-v", TIME + ":" + TIME + ":ro", "--entrypoint", TIME.toString()));
        env.keySet().forEach(name -> command.addAll(List.of("-e", name)));
        command.addAll(List.of(image, "-f", "TIME %e %U %S %M", "/opt/influx-tools/entrypoint.sh"));
        command.addAll(run);
        long started = System.nanoTime();
        Shell.Result result = Shell.run(Shell.ROOT, env, command);
        double dockerSeconds = (System.nanoTime() - started) / 1e9;
        List<String> lines = result.stderr().lines().filter(line -> line.startsWith("TIME ")).toList();
        if (result.exitCode() != 0 || lines.isEmpty()) {
            throw new IllegalStateException(image + " " + run + " failed: " + result);
        }
        String[] fields = lines.get(lines.size() - 1).split(" ");
        return new Sample(dockerSeconds, Double.parseDouble(fields[1]),
                Double.parseDouble(fields[2]) + Double.parseDouble(fields[3]), Long.parseLong(fields[4]));
    }

    /** Median [min-max]; MB with no decimals (scale 1024 marks it), seconds with two. */
    private static String figure(List<Sample> samples, java.util.function.ToDoubleFunction<Sample> value, int scale) {
        List<Double> sorted = samples.stream().map(value::applyAsDouble).sorted(Comparator.naturalOrder()).toList();
        String format = scale == 1024 ? "%.0f" : "%.2f";
        return String.format(format + " [" + format + "-" + format + "]", sorted.get(sorted.size() / 2), sorted.get(0),
                sorted.get(sorted.size() - 1));
    }

    private static String match(String text, String regex) {
        Matcher matcher = Pattern.compile(regex).matcher(text);
        if (!matcher.find()) {
            throw new IllegalStateException(regex + " not found in " + CRONJOB);
        }
        return matcher.group(1);
    }
}
