import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

/** README's first command, run as a new user runs it: the sandbox end to end, in a process of its own. */
class SandboxIT {
    private static final Pattern TASK_LINE = Pattern.compile("(?m)^(.+?)\\s+active\\s+last run: (\\S+)");

    @Test
    void sandboxSetsUpMappingsAndTasksThatRunAndAlert() {
        Shell.Result sandbox = Shell.run(Shell.ROOT, serverChoice(), List.of("./jbang", "tests/sandbox.java"));
        assertEquals(0, sandbox.exitCode(), sandbox.toString());
        String output = sandbox.output();
        assertTrue(output.contains("shop/1w (default)") && output.contains("inventory/infinite (default)"), output);
        Matcher task = TASK_LINE.matcher(output);
        int tasks = 0;
        while (task.find()) {
            assertEquals("success", task.group(2), task.group());
            tasks++;
        }
        assertEquals(4, tasks, "one task that watches the three applications, three Slack tasks:\n" + output);
        assertTrue(output.contains("Disk /data on host roundtable01 is 97% full"), output);
        assertTrue(output.contains("sandbox: every step worked"), output);
        assertFalse(output.contains("token: ") || output.contains("INFLUXDB_TOKEN="), "no token without --keep:\n" + output);
    }

    /** The settings that pick the test server pick the sandbox's too; Shell drops every other INFLUX* one. */
    private static Map<String, String> serverChoice() {
        Map<String, String> env = new HashMap<>();
        System.getenv().forEach((name, value) -> {
            if (InfluxServer.choosesServer(name)) {
                env.put(name, value);
            }
        });
        return env;
    }
}
