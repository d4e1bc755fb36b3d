package influx;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.function.Supplier;

/**
 * A read started now and collected later. Planning sends its listings at once rather than one
 * after the other, and renders or compares while they travel; the server answers them in parallel.
 * Only for reads: a write belongs in a Plan, which bounds how many go out at once.
 */
public final class Background<T> {
    private final FutureTask<T> read;

    private Background(FutureTask<T> read) {
        this.read = read;
    }

    public static <T> Background<T> start(String what, Supplier<T> read) {
        FutureTask<T> task = new FutureTask<>(read::get);
        Thread thread = new Thread(task, "read " + what);
        // A run that fails before collecting the answer must still be able to exit.
        thread.setDaemon(true);
        thread.start();
        return new Background<>(task);
    }

    /** The answer, or the read's own exception, exactly as if it had been called here. */
    public T get() {
        try {
            return read.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException failure) {
                throw failure;
            }
            if (e.getCause() instanceof Error error) {
                throw error;
            }
            throw new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UnreachableException("interrupted while reading from InfluxDB", false, e);
        }
    }
}
