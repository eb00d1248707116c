package org.recursa.sweep;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The sweeps of a home, {@code $RECURSA_HOME/sweeps/}: one directory per sweep, named by its id, holding the plan
 * ({@link SweepPlan}), written once. Ids look like run ids: {@code <yyyyMMdd-HHmmss>-<task>-<4 hex digits>}, the time
 * in UTC.
 */
public final class SweepStore {

    /** The plan's file name in a sweep directory. */
    public static final String PLAN = "plan.json";

    private static final DateTimeFormatter ID_TIME = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")
            .withZone(ZoneOffset.UTC);
    /** Sweep ids given with {@code --id}: as run ids, letters, digits, '.', '-', '_', not starting with '.' or '-'. */
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9._-]{0,199}");

    private final Path root;

    private SweepStore(Path root) {
        this.root = root.toAbsolutePath().normalize();
    }

    /** The sweeps in {@code dir} (created with the first sweep). */
    public static SweepStore at(Path dir) {
        return new SweepStore(dir);
    }

    /** The directory of the sweeps. */
    public Path root() {
        return root;
    }

    /**
     * What {@link #create} did.
     *
     * @param sweep   the sweep
     * @param existed whether it was there already (with the same points), so that running it resumes it
     */
    public record Created(Sweep sweep, boolean existed) {
    }

    /**
     * Creates a sweep: with {@code id} null under a new id, else under {@code id}, or, when a sweep of that id exists
     * and plans the same points, opens it.
     *
     * @throws SweepSyntaxException for a malformed id
     * @throws SweepException       when the id is taken by a sweep with other points, or the directory cannot be
     *                              written
     */
    public Created create(String id, SweepSpec spec, Instant now) {
        if (id != null && !ID.matcher(id).matches()) {
            throw new SweepSyntaxException("--id '" + id + "': use letters, digits, '.', '-' and '_', not starting "
                    + "with '.' or '-', at most 200 characters");
        }
        try {
            Files.createDirectories(root);
            if (id == null) {
                for (int attempt = 0; ; attempt++) {
                    String fresh = ID_TIME.format(now) + "-" + spec.task().replaceAll("[^A-Za-z0-9._-]", "_") + "-"
                            + String.format(Locale.ROOT, "%04x", ThreadLocalRandom.current().nextInt(1 << 16));
                    try {
                        Files.createDirectory(root.resolve(fresh)); // claims the id
                        return new Created(writePlan(SweepPlan.of(fresh, now, spec)), false);
                    } catch (FileAlreadyExistsException taken) {
                        if (attempt == 100) {
                            throw new SweepException("cannot create a sweep in " + root + ": 100 ids were taken",
                                    taken);
                        }
                    }
                }
            }
            Files.createDirectories(root.resolve(id));
            SweepPlan plan = SweepPlan.of(id, now, spec);
            Sweep sweep = writePlan(plan);
            if (sweep.plan() == plan) {
                return new Created(sweep, false);
            }
            if (!sweep.plan().samePoints(plan)) {
                throw new SweepException("sweep " + id + " exists and plans other points; resume it with 'recursa "
                        + "sweep resume " + id + "' or give another --id");
            }
            return new Created(sweep, true);
        } catch (IOException e) {
            throw new SweepException("cannot create the sweep in " + root + ": " + e.getMessage(), e);
        }
    }

    /**
     * Writes the plan into its directory unless one is there: the file is written beside and hard-linked into place,
     * which fails, atomically, when another process got there first. Returns the sweep with the plan that won.
     */
    private Sweep writePlan(SweepPlan plan) throws IOException {
        Path dir = root.resolve(plan.id());
        Path file = dir.resolve(PLAN);
        Path temp = Files.createTempFile(dir, "." + PLAN, ".tmp");
        try {
            Files.write(temp, SweepJson.document(plan));
            try {
                Files.createLink(file, temp);
            } catch (FileAlreadyExistsException existing) {
                return new Sweep(dir, read(dir));
            } catch (UnsupportedOperationException noLinks) {
                if (Files.exists(file)) {
                    return new Sweep(dir, read(dir));
                }
                Files.move(temp, file);
            }
        } finally {
            Files.deleteIfExists(temp);
        }
        return new Sweep(dir, plan);
    }

    /** Every sweep id, in name order (which is creation order for generated ids). */
    public List<String> ids() {
        if (!Files.isDirectory(root)) {
            return List.of();
        }
        try (Stream<Path> list = Files.list(root)) {
            return list.filter(p -> Files.isRegularFile(p.resolve(PLAN))).map(p -> p.getFileName().toString())
                    .filter(name -> !name.startsWith(".")).sorted().toList();
        } catch (IOException | java.io.UncheckedIOException e) {
            throw new SweepException("cannot list " + root + ": " + e.getMessage(), e);
        }
    }

    /**
     * Opens a sweep by its id or a unique prefix of one.
     *
     * @throws UnknownSweepException naming the close matches or the newest sweeps
     * @throws SweepException        when its plan cannot be read
     */
    public Sweep open(String idOrPrefix) {
        if (ID.matcher(idOrPrefix).matches() && Files.isDirectory(root.resolve(idOrPrefix))) {
            return new Sweep(root.resolve(idOrPrefix), read(root.resolve(idOrPrefix)));
        }
        List<String> all = ids();
        List<String> matches = idOrPrefix.isBlank() ? List.of()
                : all.stream().filter(id -> id.startsWith(idOrPrefix)).toList();
        if (matches.size() == 1) {
            return new Sweep(root.resolve(matches.get(0)), read(root.resolve(matches.get(0))));
        }
        if (matches.size() > 1) {
            throw new UnknownSweepException("sweep id prefix '" + idOrPrefix + "' matches " + matches.size()
                    + " sweeps, e.g. " + String.join(", ", matches.subList(0, Math.min(3, matches.size())))
                    + "; give more of the id");
        }
        throw new UnknownSweepException("unknown sweep '" + idOrPrefix + "'; " + (all.isEmpty()
                ? "there are no sweeps in " + root : all.size() + " sweeps in " + root + ", newest: "
                + String.join(", ", all.subList(Math.max(0, all.size() - 3), all.size()))));
    }

    private static SweepPlan read(Path dir) {
        Path file = dir.resolve(PLAN);
        SweepPlan plan;
        try {
            plan = SweepJson.MAPPER.readValue(Files.readString(file), SweepPlan.class);
        } catch (NoSuchFileException e) {
            throw new SweepException(file + " is missing: the sweep's creation was interrupted; run the sweep command "
                    + "again with --id " + dir.getFileName(), e);
        } catch (IOException | IllegalArgumentException e) {
            throw new SweepException(file + " is not a valid plan (" + e.getMessage().lines().findFirst().orElse("")
                    + ")", e);
        }
        if (plan == null || plan.format() != SweepPlan.FORMAT) {
            throw new SweepException(file + ": plan format " + (plan == null ? "unknown" : plan.format())
                    + "; this Recursa reads format " + SweepPlan.FORMAT);
        }
        return plan;
    }
}
