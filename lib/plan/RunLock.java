package plan;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import influx.ApiException;
import influx.Bucket;
import influx.InfluxApi;

/**
 * Keeps two runs of a tool against the same org from writing at once. InfluxDB has no locks, and
 * neither task names nor (under concurrent creates) DBRPs are unique; bucket names are: creating
 * a bucket of a fixed name succeeds for one run and answers 422 "conflict" to every other. The
 * holder renews the lock while it works, so a lock that stops being renewed was left by a run
 * that died (or lost its server) and is taken over after --lock-timeout.
 */
public final class RunLock {
    /** Ends in '_' so that taskmaker never takes it for an application. */
    static final String SUFFIX = ".lock_";
    private static final String HOLDER = "influx-tools lock held by ";
    private static final String RENEWED = " renewed ";

    private final InfluxApi api;
    private final String orgId;
    private final String bucketName;
    private final Duration timeout;
    private final Duration maxWait;
    private final String holder = HOLDER + ManagementFactory.getRuntimeMXBean().getName() + " " + UUID.randomUUID();
    private String heldBucketId;
    private ScheduledExecutorService renewal;

    public RunLock(InfluxApi api, String orgId, String tool, Duration timeout, Duration maxWait) {
        this.api = api;
        this.orgId = orgId;
        this.bucketName = tool + SUFFIX;
        this.timeout = timeout;
        this.maxWait = maxWait;
    }

    /**
     * Plans without the lock, which is enough when nothing needs changing (the common case, and
     * no write at all). Otherwise takes the lock, plans again (another run may have just made
     * the changes), and releases the lock once the new plan has been applied.
     */
    public Plan planUnderLock(boolean dryRun, Supplier<Plan> planner) {
        Plan plan = planner.get();
        if (dryRun || !plan.hasChanges()) {
            return plan;
        }
        acquire();
        try {
            Plan locked = planner.get();
            locked.afterApply(this::release);
            return locked;
        } catch (RuntimeException e) {
            release();
            throw e;
        }
    }

    /** Lock buckets are bookkeeping, not data: the tools leave them alone. */
    public static boolean isLock(Bucket bucket) {
        return bucket.name().endsWith(SUFFIX) && bucket.description().startsWith(HOLDER);
    }

    private void acquire() {
        Instant deadline = Instant.now().plus(maxWait);
        while (true) {
            String description = stamp();
            try {
                Bucket made = api.createBucket(orgId, bucketName, 3600, description);
                if (made.description().equals(description)) {
                    heldBucketId = made.id();
                    renewEvery(timeout.dividedBy(3));
                    return;
                }
            } catch (ApiException e) {
                if (!e.isConflict()) {
                    throw new LockedException("cannot take the run lock (a bucket named \"" + bucketName + "\"): "
                            + e.getMessage());
                }
            }
            Optional<Bucket> current = api.bucket(orgId, bucketName);
            if (current.isPresent() && isAbandoned(current.get())) {
                api.deleteBucket(current.get().id());
                continue;
            }
            if (!Instant.now().isBefore(deadline)) {
                throw new LockedException("another run holds the lock bucket \"" + bucketName + "\" ("
                        + current.map(Bucket::description).orElse("just released") + "); gave up after "
                        + maxWait.toSeconds() + " s (--lock-wait). It is taken over once it has not been renewed for "
                        + timeout.toSeconds() + " s (--lock-timeout).");
            }
            sleep(ThreadLocalRandom.current().nextLong(300, 1000));
        }
    }

    private void release() {
        if (renewal != null) {
            renewal.shutdownNow();
        }
        if (heldBucketId != null) {
            try {
                api.deleteBucket(heldBucketId);
            } catch (RuntimeException unreachable) {
                // Left behind, it is taken over once it is no longer renewed.
            }
            heldBucketId = null;
        }
    }

    private void renewEvery(Duration interval) {
        renewal = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "run-lock-renewal");
            thread.setDaemon(true);
            return thread;
        });
        long millis = Math.max(200, interval.toMillis());
        renewal.scheduleAtFixedRate(() -> {
            try {
                api.describeBucket(heldBucketId, stamp());
            } catch (RuntimeException missed) {
                // One missed renewal is harmless; the lock lapses only after several.
            }
        }, millis, millis, TimeUnit.MILLISECONDS);
    }

    private String stamp() {
        return holder + RENEWED + Instant.now().toEpochMilli();
    }

    private boolean isAbandoned(Bucket lock) {
        String description = lock.description();
        int renewed = description.lastIndexOf(RENEWED);
        if (!description.startsWith(HOLDER) || renewed < 0) {
            return false;
        }
        try {
            Instant last = Instant.ofEpochMilli(Long.parseLong(description.substring(renewed + RENEWED.length()).strip()));
            return last.plus(timeout).isBefore(Instant.now());
        } catch (NumberFormatException e) {
            return false;
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LockedException("interrupted while waiting for the run lock");
        }
    }

    /** The lock could not be had: nothing was changed. */
    public static final class LockedException extends RuntimeException {
        LockedException(String message) {
            super(message);
        }
    }
}
