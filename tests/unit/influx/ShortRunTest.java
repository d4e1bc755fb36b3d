package influx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Set;

import javax.net.ssl.SSLContext;

import org.junit.jupiter.api.Test;

/** What keeps a short run short: the client's thread ends with the run, and plain http:// loads no TLS. */
class ShortRunTest {

    @Test
    void closingTheClientEndsItsSelectorThread() throws InterruptedException {
        Set<Thread> before = selectorThreads();
        InfluxHttp http = new InfluxHttp(new Connection(URI.create("http://127.0.0.1:1"), "t", Duration.ofSeconds(1), null, false),
                true, null);
        List<Thread> started = selectorThreads().stream().filter(thread -> !before.contains(thread)).toList();
        assertEquals(1, started.size(), "the client starts one selector thread");
        http.close();
        started.get(0).join(5_000);
        assertFalse(started.get(0).isAlive(), "the selector thread still runs after close()");
    }

    @Test
    void thePlainHttpContextRefusesTls() {
        SSLContext none = Tls.none();
        assertThrows(IllegalStateException.class, none::createSSLEngine);
        assertThrows(IllegalStateException.class, none::getSocketFactory);
    }

    private static Set<Thread> selectorThreads() {
        return Set.copyOf(Thread.getAllStackTraces().keySet().stream()
                .filter(thread -> thread.getName().endsWith("-SelectorManager")).toList());
    }
}
