package influx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

/** Planning's reads in the background: at once, and failing exactly as a read made in place. */
class BackgroundTest {

    @Test
    void readsRunAtOnce() {
        CountDownLatch bothStarted = new CountDownLatch(2);
        Background<Boolean> first = Background.start("first", () -> meet(bothStarted));
        Background<Boolean> second = Background.start("second", () -> meet(bothStarted));
        assertTrue(first.get() && second.get(), "each read waited for the other to start: they ran at once");
    }

    @Test
    void answersWhatTheReadReturned() {
        assertEquals(List.of("a", "b"), Background.start("list", () -> List.of("a", "b")).get());
    }

    @Test
    void rethrowsTheReadsOwnException() {
        ApiException refused = new ApiException("GET", "/api/v2/tasks", 503, "unavailable", "down");
        Background<Object> read = Background.start("failing", () -> {
            throw refused;
        });
        assertSame(refused, assertThrows(ApiException.class, read::get));
    }

    private static boolean meet(CountDownLatch bothStarted) {
        bothStarted.countDown();
        try {
            return bothStarted.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
