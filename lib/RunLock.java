import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Keeps two runs against the same org from writing at once. InfluxDB has no locks and task names
 * are not unique, but bucket names are: creating a bucket of a fixed name succeeds for one run
 * and answers 422 "conflict" to every other. A lock left by a crashed run expires after a while.
 */
public final class RunLock {
    /** Ends in '_' so that taskmaker never takes it for an application. */
    static final String SUFFIX = ".lock_";
    private static final String HOLDER = "influx-tools lock held by ";
    /** Longer than any healthy run takes; a lock this old was left by a run that died. */
    private static final Duration STALE_AFTER = Duration.ofMinutes(10);

    private final InfluxApi api;
    private final String orgId;
    private final String bucketName;
    private final Duration staleAfter;
    private final Duration maxWait;
    private final String holder = HOLDER + ManagementFactory.getRuntimeMXBean().getName() + " " + UUID.randomUUID()
            + " since ";
    private String heldBucketId;

    private RunLock(InfluxApi api, String orgId, String tool, Duration staleAfter, Duration maxWait) {
        this.api = api;
        this.orgId = orgId;
        this.bucketName = tool + SUFFIX;
        this.staleAfter = staleAfter;
        this.maxWait = maxWait;
    }

    /**
     * Plans without the lock, which is enough when nothing needs changing (the common case, and
     * no write at all). Otherwise takes the lock, plans again (another run may have just made
     * the changes), and releases the lock once the new plan has been applied.
     */
    public static Plan planUnderLock(Session session, String tool, Duration maxWait, java.util.function.Supplier<Plan> planner) {
        Plan plan = planner.get();
        if (session.settings().dryRun() || !plan.hasChanges()) {
            return plan;
        }
        RunLock lock = new RunLock(session.api(), session.org().id(), tool, STALE_AFTER, maxWait);
        lock.acquire();
        try {
            Plan locked = planner.get();
            locked.afterApply(lock::release);
            return locked;
        } catch (RuntimeException e) {
            lock.release();
            throw e;
        }
    }

    /** Lock buckets are bookkeeping, not data: the tools leave them alone. */
    public static boolean isLock(Bucket bucket) {
        return bucket.name().endsWith(SUFFIX) && bucket.description().startsWith(HOLDER);
    }

    /** Waits, up to maxWait, for the other run to finish; takes over a lock older than staleAfter. */
    public void acquire() {
        Instant deadline = Instant.now().plus(maxWait);
        while (true) {
            String description = holder + Instant.now().toEpochMilli();
            try {
                Bucket made = api.createBucket(orgId, bucketName, 3600, description);
                if (made.description().equals(description)) {
                    heldBucketId = made.id();
                    return;
                }
            } catch (ApiException e) {
                if (!e.isConflict()) {
                    throw e;
                }
            }
            Optional<Bucket> current = api.bucket(orgId, bucketName);
            if (current.isPresent() && isStale(current.get())) {
                api.deleteBucket(current.get().id());
                continue;
            }
            if (Instant.now().isAfter(deadline)) {
                throw new LockedException("another run holds the lock bucket \"" + bucketName + "\" ("
                        + current.map(Bucket::description).orElse("just released") + "); gave up after "
                        + maxWait.toSeconds() + " s. If no other run is active, delete that bucket.");
            }
            sleep(ThreadLocalRandom.current().nextLong(300, 1000));
        }
    }

    public void release() {
        if (heldBucketId != null) {
            api.deleteBucket(heldBucketId);
            heldBucketId = null;
        }
    }

    private boolean isStale(Bucket lock) {
        String description = lock.description();
        int since = description.lastIndexOf(" since ");
        if (!description.startsWith(HOLDER) || since < 0) {
            return false;
        }
        try {
            Instant taken = Instant.ofEpochMilli(Long.parseLong(description.substring(since + 7).strip()));
            return taken.plus(staleAfter).isBefore(Instant.now());
        } catch (NumberFormatException | java.time.DateTimeException e) {
            return false;
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LockedException("interrupted while waiting for the lock");
        }
    }

    /** The lock could not be had in time: nothing was changed. */
    public static final class LockedException extends RuntimeException {
        LockedException(String message) {
            super(message);
        }
    }
}
