import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The Python yardstick's interpreter: a virtual environment with aiohttp from PyPI, made once in
 * the shared cache (~/.cache/influx-tools) and reused. The original tools are an asyncio + aiohttp
 * client; yardstick.py is such a client sending the tool's own requests.
 */
public final class Yardstick {
    /** The aiohttp release the figures were taken with. */
    static final String AIOHTTP = "aiohttp==3.14.5";

    private Yardstick() {}

    public static Path python() {
        Path venv = Path.of(System.getProperty("user.home"), ".cache", "influx-tools", "bench-venv-" + AIOHTTP.replace("==", "-"));
        Path python = venv.resolve("bin/python");
        // Written last: a venv whose install was cut short is made again.
        Path installed = venv.resolve("installed");
        if (!Files.exists(installed)) {
            Routes.run(Map.of(), List.of("python3", "-m", "venv", "--clear", venv.toString()));
            Routes.run(Map.of(), List.of(python.toString(), "-m", "pip", "install", "--quiet", AIOHTTP));
            try {
                Files.writeString(installed, AIOHTTP + "\n");
            } catch (java.io.IOException e) {
                throw new IllegalStateException("cannot write " + installed + ": " + e, e);
            }
        }
        return python;
    }

    public static String version(Path python) {
        Shell.Result result = Shell.run(Shell.ROOT, Map.of(), List.of(python.toString(), "-c",
                "import sys, aiohttp; print('Python', sys.version.split()[0] + ', aiohttp', aiohttp.__version__)"));
        return result.stdout().strip();
    }
}
