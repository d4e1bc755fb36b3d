import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import cli.Version;
import com.eclipsesource.json.Json;
import influx.Org;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tokens.Multiapp;

/** The ways operators install and run the tools: the JBang catalog, and the container image's jars. */
class PackagingIT extends RealServerTest {

    @Test
    void everyToolAnswersVersion() {
        for (ToolResult result : List.of(ToolResult.run(bucketmapper::new, Map.of(), "--version"),
                ToolResult.run(tokenmaker::new, Map.of(), "--version"), ToolResult.run(taskmaker::new, Map.of(), "--version"))) {
            assertEquals(0, result.exitCode(), result.toString());
            assertTrue(result.out().matches("(?s)(bucketmapper|tokenmaker|taskmaker) " + Version.NUMBER.replace(".", "\\.") + " .*"), result.out());
        }
    }

    /** The benchmarks are no tests, so nothing else would notice that one stopped compiling. */
    @Test
    void benchmarkScriptsBuild() {
        for (String script : List.of("benchmark", "imagebench", "taskload", "taskprofile", "taskcpu", "slackcpu")) {
            Shell.Result build = Shell.run(Shell.ROOT, Map.of(), List.of("./jbang", "build", "tests/" + script + ".java"));
            assertEquals(0, build.exitCode(), script + ": " + build);
        }
    }

    @Test
    void catalogAliasInstallsAndRunsFromAnyDirectory(@TempDir Path jbangHome, @TempDir Path elsewhere) throws Exception {
        // An ops box without JBang: our launcher, linked onto PATH, stands in for it. (Not in a
        // @TempDir: JUnit warns about links that point outside of one.)
        Path bin = Files.createTempDirectory("influx-tools-bin-");
        try {
            Path jbang = Files.createSymbolicLink(bin.resolve("jbang"), Shell.ROOT.resolve("jbang"));
            Map<String, String> env = new HashMap<>();
            env.put("JBANG_DIR", jbangHome.toString());
            env.put("PATH", jbangHome.resolve("bin") + ":" + bin + ":" + System.getenv("PATH"));
            Shell.Result add = Shell.run(elsewhere, env, List.of(jbang.toString(), "catalog", "add", "--global", "--name", "influx-tools",
                    Shell.ROOT.resolve("jbang-catalog.json").toString()));
            assertEquals(0, add.exitCode(), add.toString());
            Shell.Result install = Shell.run(elsewhere, env, List.of(jbang.toString(), "app", "install", "taskmaker@influx-tools"));
            assertEquals(0, install.exitCode(), install.toString());
            assertTrue(Files.isExecutable(jbangHome.resolve("bin/taskmaker")));

            Org org = server.newOrg("pkg-app");
            Multiapp.create(api, org.id());
            api.createBucket(org.id(), "shop", 86_400, "");
            env.putAll(server.env(org));
            Shell.Result run = Shell.run(Path.of("/"), env, List.of(jbangHome.resolve("bin/taskmaker").toString(), "--json"));
            assertEquals(0, run.exitCode(), run.toString());
            assertEquals(4, api.tasks(org.id()).size(), run.toString());
            // The first run records the class archive (//CDS); none of the JVM's log of it may reach stdout.
            assertEquals(4, Json.parse(run.stdout()).asObject().get("summary").asObject().getInt("created", -1), run.stdout());
            try (Stream<Path> files = Files.walk(jbangHome.resolve("cache"))) {
                assertTrue(files.anyMatch(file -> file.getFileName().toString().equals("taskmaker.jsa")), "no class archive recorded");
            }
            Shell.Result again = Shell.run(Path.of("/"), env, List.of(jbangHome.resolve("bin/taskmaker").toString(), "--json"));
            assertEquals(0, again.exitCode(), again.toString());
            assertEquals(5, Json.parse(again.stdout()).asObject().get("summary").asObject().getInt("unchanged", -1), again.stdout());
        } finally {
            Files.deleteIfExists(bin.resolve("jbang"));
            Files.delete(bin);
        }
    }

    @Test
    void exportedJarsRunThroughTheImageEntrypoint(@TempDir Path image) {
        Shell.Result export = Shell.run(Shell.ROOT, Map.of(), List.of("deploy/export.sh", image.toString()));
        assertEquals(0, export.exitCode(), export.toString());
        assertTrue(Files.isDirectory(image.resolve("lib")), "one shared lib/ of dependency jars");

        Org org = server.newOrg("pkg-image");
        Multiapp.create(api, org.id());
        api.createBucket(org.id(), "shop", 86_400, "");
        Path entrypoint = image.resolve("entrypoint.sh");
        Shell.Result cron = Shell.run(Path.of("/"), server.env(org), List.of(entrypoint.toString()));
        assertEquals(0, cron.exitCode(), cron.toString());
        assertTrue(cron.output().contains("influx-tools: bucketmapper succeeded")
                && cron.output().contains("influx-tools: taskmaker succeeded"), cron.output());
        assertTrue(api.dbrps(org.id()).stream().anyMatch(mapping -> !mapping.virtual() && mapping.database().equals("shop")));
        assertEquals(4, api.tasks(org.id()).size());

        Shell.Result one = Shell.run(Path.of("/"), server.env(org), List.of(entrypoint.toString(), "bucketmapper", "--json"));
        assertEquals(0, one.exitCode(), one.toString());
        assertTrue(one.output().contains("\"tool\":\"bucketmapper\""), one.output());
        Shell.Result tokenmaker = Shell.run(Path.of("/"), server.env(org), List.of(entrypoint.toString(), "tokenmaker", "--dry-run"));
        assertEquals(0, tokenmaker.exitCode(), tokenmaker.toString());
        assertTrue(tokenmaker.output().contains("create token"), tokenmaker.output());

        Shell.Result refused = Shell.run(Path.of("/"), server.env(org, "wrong-token"), List.of(entrypoint.toString()));
        assertEquals(3, refused.exitCode(), refused.toString());
        assertTrue(refused.output().contains("influx-tools: bucketmapper FAILED with exit code 3"), refused.output());
    }
}
