package plan;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
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
import influx.Label;

/**
 * Keeps two runs of a tool against the same org from writing at once. InfluxDB has no locks, and
 * neither task names nor (under concurrent creates) DBRPs are unique. Label names are, and so are
 * bucket names: the server checks the name and stores the object in one write transaction, so of
 * simultaneous creates of one name exactly one succeeds and the others answer 422 "conflict"
 * (tests/RunLockIT proves it for labels). taskmaker's lock is a label (onLabel), so that its token
 * needs no grant that can delete data; bucketmapper's token must write buckets anyway (the DBRP API
 * asks for it), so its lock stays a bucket. The holder renews the lock while it works, so a lock
 * that stops being renewed was left by a run that died (or lost its server) and is taken over
 * after --lock-timeout.
 */
public final class RunLock {
    /** A lock bucket's name ends in '_' so that taskmaker never takes it for an application. */
    static final String SUFFIX = ".lock_";
    private static final String HOLDER = "influx-tools lock held by ";
    private static final String RENEWED = " renewed ";

    private final InfluxApi api;
    private final String orgId;
    private final String tool;
    private final boolean onLabel;
    private final Duration timeout;
    private final Duration maxWait;
    private final String holder = HOLDER + ManagementFactory.getRuntimeMXBean().getName() + " " + UUID.randomUUID();
    private Store store;
    private String heldId;
    private ScheduledExecutorService renewal;

    /** A bucket as the lock: for a tool whose token must write buckets anyway (bucketmapper). */
    public RunLock(InfluxApi api, String orgId, String tool, Duration timeout, Duration maxWait) {
        this(api, orgId, tool, false, timeout, maxWait);
    }

    private RunLock(InfluxApi api, String orgId, String tool, boolean onLabel, Duration timeout, Duration maxWait) {
        this.api = api;
        this.orgId = orgId;
        this.tool = tool;
        this.onLabel = onLabel;
        this.timeout = timeout;
        this.maxWait = maxWait;
    }

    /**
     * A label as the lock: for a tool whose token may not write buckets (taskmaker). A token of
     * the older grant set, which writes buckets but not labels, still gets the bucket lock.
     */
    public static RunLock onLabel(InfluxApi api, String orgId, String tool, Duration timeout, Duration maxWait) {
        return new RunLock(api, orgId, tool, true, timeout, maxWait);
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
        String fallback = null;
        try {
            acquire(onLabel ? new LabelStore(api, orgId, tool) : new BucketStore(api, orgId, tool));
        } catch (Refused refused) {
            if (!onLabel || !refused.forLackOfPermission()) {
                throw refused.locked();
            }
            // A token made by an older tokenmaker writes buckets, not labels: it keeps working, on the old lock.
            try {
                acquire(new BucketStore(api, orgId, tool));
            } catch (Refused alsoRefused) {
                throw refused.locked();
            }
            fallback = "the token cannot write labels, so the run lock is the bucket \"" + tool + SUFFIX + "\": this token"
                    + " was made for an older grant set, which can delete buckets; replace it with"
                    + " 'tokenmaker --for " + tool + " --rotate' (docs/tokenmaker.md: which grant set a token has)";
        }
        try {
            Plan locked = planner.get();
            if (fallback != null) {
                locked.warn(fallback);
            }
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

    /** The name of the label that is taskmaker's (or another label-locked tool's) run lock. */
    public static String labelName(String tool) {
        return "influx-tools " + tool + " run lock";
    }

    private void acquire(Store store) {
        this.store = store;
        Instant deadline = Instant.now().plus(maxWait);
        while (true) {
            String stamp = stamp();
            try {
                Optional<String> made = store.create(stamp);
                if (made.isPresent()) {
                    heldId = made.get();
                    renewEvery(timeout.dividedBy(3));
                    return;
                }
            } catch (ApiException e) {
                if (!e.isConflict()) {
                    throw new Refused(store.what(), e);
                }
            }
            Optional<Held> current = store.current();
            if (current.isPresent() && isAbandoned(current.get().stamp())) {
                // By id: if another run took it over first, this deletes nothing of theirs.
                store.delete(current.get().id());
                continue;
            }
            if (!Instant.now().isBefore(deadline)) {
                throw new LockedException("another run holds the lock, " + store.what() + " ("
                        + current.map(Held::stamp).orElse("just released") + "); gave up after "
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
        if (heldId != null) {
            try {
                store.delete(heldId);
            } catch (RuntimeException unreachable) {
                // Left behind, it is taken over once it is no longer renewed.
            }
            heldId = null;
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
                store.renew(heldId, stamp());
            } catch (RuntimeException missed) {
                // One missed renewal is harmless; the lock lapses only after several.
            }
        }, millis, millis, TimeUnit.MILLISECONDS);
    }

    private String stamp() {
        return holder + RENEWED + Instant.now().toEpochMilli();
    }

    private boolean isAbandoned(String stamp) {
        int renewed = stamp.lastIndexOf(RENEWED);
        if (!stamp.startsWith(HOLDER) || renewed < 0) {
            return false;
        }
        try {
            Instant last = Instant.ofEpochMilli(Long.parseLong(stamp.substring(renewed + RENEWED.length()).strip()));
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

    /** The current lock object: its id, and the stamp of its holder's last renewal. */
    private record Held(String id, String stamp) {}

    /** An object of a fixed name that only one run can create. */
    private interface Store {
        /** The new object's id; empty if it exists but is not the one made with this stamp. */
        Optional<String> create(String stamp);

        Optional<Held> current();

        void renew(String id, String stamp);

        void delete(String id);

        /** For messages: "a label named ...". */
        String what();
    }

    /** The stamp is the label's "description" property, which the InfluxDB UI shows. */
    private static final class LabelStore implements Store {
        private static final String STAMP = "description";
        private final InfluxApi api;
        private final String orgId;
        private final String name;

        LabelStore(InfluxApi api, String orgId, String tool) {
            this.api = api;
            this.orgId = orgId;
            this.name = labelName(tool);
        }

        @Override
        public Optional<String> create(String stamp) {
            Label made = api.createLabel(orgId, name, Map.of(STAMP, stamp));
            return made.property(STAMP).equals(stamp) ? Optional.of(made.id()) : Optional.empty();
        }

        @Override
        public Optional<Held> current() {
            return api.label(orgId, name).map(label -> new Held(label.id(), label.property(STAMP)));
        }

        @Override
        public void renew(String id, String stamp) {
            api.setLabelProperties(id, Map.of(STAMP, stamp));
        }

        @Override
        public void delete(String id) {
            api.deleteLabel(id);
        }

        @Override
        public String what() {
            return "a label named \"" + name + "\"";
        }
    }

    /** The stamp is the bucket's description; the bucket holds no data and expires nothing. */
    private static final class BucketStore implements Store {
        private final InfluxApi api;
        private final String orgId;
        private final String name;

        BucketStore(InfluxApi api, String orgId, String tool) {
            this.api = api;
            this.orgId = orgId;
            this.name = tool + SUFFIX;
        }

        @Override
        public Optional<String> create(String stamp) {
            Bucket made = api.createBucket(orgId, name, 3600, stamp);
            return made.description().equals(stamp) ? Optional.of(made.id()) : Optional.empty();
        }

        @Override
        public Optional<Held> current() {
            return api.bucket(orgId, name).map(bucket -> new Held(bucket.id(), bucket.description()));
        }

        @Override
        public void renew(String id, String stamp) {
            api.describeBucket(id, stamp);
        }

        @Override
        public void delete(String id) {
            api.deleteBucket(id);
        }

        @Override
        public String what() {
            return "a bucket named \"" + name + "\"";
        }
    }

    /** The lock object could not be created for another reason than another run holding it. */
    private static final class Refused extends RuntimeException {
        private final String what;
        private final boolean forLackOfPermission;

        Refused(String what, ApiException cause) {
            super(cause.getMessage(), cause);
            this.what = what;
            this.forLackOfPermission = cause.isAuthFailure();
        }

        boolean forLackOfPermission() {
            return forLackOfPermission;
        }

        LockedException locked() {
            return new LockedException("cannot take the run lock (" + what + "): " + getMessage());
        }
    }

    /** The lock could not be had: nothing was changed. */
    public static final class LockedException extends RuntimeException {
        LockedException(String message) {
            super(message);
        }
    }
}
