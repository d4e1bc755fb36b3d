///usr/bin/env jbang "$0" "$@" ; exit $?
//JAVA 17+
//DESCRIPTION Runs the influx-tools test suite (unit and integration, against a real InfluxDB) and prints "N passed, N failed, N skipped".
//DEPS org.junit.jupiter:junit-jupiter:5.14.4
//DEPS org.junit.platform:junit-platform-launcher:1.14.4
//DEPS org.testcontainers:testcontainers-influxdb:2.0.5
//DEPS org.slf4j:slf4j-nop:2.0.17
//SOURCES ../lib/influx/*.java
//SOURCES ../lib/plan/*.java
//SOURCES ../lib/cli/*.java
//SOURCES ../lib/alerts/*.java
//SOURCES ../lib/tokens/*.java
//SOURCES ../bucketmapper.java
//SOURCES ../tokenmaker.java
//SOURCES ../taskmaker.java
//SOURCES support/*.java
//SOURCES unit/*/*Test.java
//SOURCES *IT.java

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.discovery.ClassNameFilter;
import org.junit.platform.engine.discovery.DiscoverySelectors;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;

/**
 * The one test command, in two tiers: the unit tests (classes ending in "Test", no server, seconds),
 * then the integration tests (classes ending in "IT", against a real InfluxDB). Arguments, if any,
 * are regular expressions on class names (e.g. "Bucketmapper.*"), applied to both tiers.
 */
public class run {
    public static void main(String... args) throws URISyntaxException {
        Path classes = Path.of(run.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        String[] patterns = args.length == 0 ? new String[] {".*"} : args;
        Tally tally = new Tally();
        for (String tier : List.of(".*Test", ".*IT")) {
            LauncherDiscoveryRequest request = LauncherDiscoveryRequestBuilder.request()
                    .selectors(DiscoverySelectors.selectClasspathRoots(Set.of(classes)))
                    .filters(ClassNameFilter.includeClassNamePatterns(tier), ClassNameFilter.includeClassNamePatterns(patterns))
                    .build();
            System.out.println(tier.equals(".*Test") ? "unit tests (no server):" : "integration tests (real InfluxDB):");
            LauncherFactory.create().execute(request, tally);
        }
        tally.printFailures();
        System.out.println(tally.passed + " passed, " + tally.failed + " failed, " + tally.skipped + " skipped");
        if (tally.passed.get() + tally.failed.get() == 0) {
            System.out.println("no test ran");
            System.exit(1);
        }
        System.exit(tally.failed.get() > 0 ? 1 : 0);
    }

    /** Counts tests, and counts a failing class set-up (a missing server) as a failure too. */
    static final class Tally implements TestExecutionListener {
        final AtomicInteger passed = new AtomicInteger();
        final AtomicInteger failed = new AtomicInteger();
        final AtomicInteger skipped = new AtomicInteger();
        private final List<String> failures = new ArrayList<>();

        @Override
        public void executionStarted(TestIdentifier test) {
            if (test.isTest()) {
                System.out.println("  run  " + test.getDisplayName() + "  [" + className(test) + "]");
            }
        }

        @Override
        public void executionSkipped(TestIdentifier test, String reason) {
            if (test.isTest()) {
                skipped.incrementAndGet();
                System.out.println("  skip " + test.getDisplayName() + ": " + reason);
            }
        }

        @Override
        public void executionFinished(TestIdentifier test, TestExecutionResult result) {
            switch (result.getStatus()) {
                case SUCCESSFUL -> {
                    if (test.isTest()) {
                        passed.incrementAndGet();
                    }
                }
                case ABORTED -> {
                    if (test.isTest()) {
                        skipped.incrementAndGet();
                        System.out.println("  skip " + test.getDisplayName() + ": "
                                + result.getThrowable().map(Throwable::getMessage).orElse("aborted"));
                    }
                }
                case FAILED -> {
                    failed.incrementAndGet();
                    String what = (test.isTest() ? "" : "set-up of ") + className(test) + " > " + test.getDisplayName();
                    System.out.println("  FAIL " + what);
                    StringWriter trace = new StringWriter();
                    result.getThrowable().ifPresent(e -> e.printStackTrace(new PrintWriter(trace)));
                    synchronized (failures) {
                        failures.add(what + "\n" + trimmed(trace.toString()));
                    }
                }
            }
        }

        void printFailures() {
            if (failures.isEmpty()) {
                return;
            }
            System.out.println();
            System.out.println("Failures:");
            failures.forEach(failure -> System.out.println("- " + failure));
        }

        private static String className(TestIdentifier test) {
            return test.getSource().map(source -> source instanceof org.junit.platform.engine.support.descriptor.MethodSource m
                    ? m.getClassName()
                    : source instanceof org.junit.platform.engine.support.descriptor.ClassSource c ? c.getClassName() : "")
                    .orElse("");
        }

        /** The assertion and our own frames; JUnit's and the JDK's add nothing. */
        private static String trimmed(String trace) {
            StringBuilder kept = new StringBuilder();
            for (String line : trace.split("\n")) {
                boolean frame = line.strip().startsWith("at ");
                if (!frame || !(line.contains("org.junit.") || line.contains("java.base/"))) {
                    kept.append("    ").append(line).append('\n');
                }
            }
            return kept.toString().stripTrailing();
        }
    }
}
