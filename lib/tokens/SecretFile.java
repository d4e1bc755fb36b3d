package tokens;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

import cli.UsageException;

/** A file only its owner can read (mode 0600), for a secret that must not go to stdout. */
public final class SecretFile {
    private static final FileAttribute<Set<PosixFilePermission>> OWNER_ONLY =
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"));

    private SecretFile() {}

    /** Checked before anything is created, so that a secret is never made only to be lost. */
    public static void refuseOverwrite(Path file, boolean overwrite) {
        if (!overwrite && Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
            throw new UsageException(file + " exists already; remove it or pass --force to replace it");
        }
        Path folder = file.toAbsolutePath().getParent();
        if (folder == null || !Files.isDirectory(folder) || !Files.isWritable(folder)) {
            throw new UsageException("cannot write " + file + ": its folder does not exist or is not writable");
        }
    }

    /**
     * Written without a trailing newline, so that a Kubernetes secret made from the file holds
     * exactly the token. The file is created 0600 before the secret enters it; a replacement is
     * written beside it and moved over it, so the old file is never half overwritten.
     */
    public static void write(Path file, String secret, boolean overwrite) throws IOException {
        if (!overwrite) {
            // Fails if the file appeared since refuseOverwrite looked.
            Files.createFile(file, OWNER_ONLY);
            Files.writeString(file, secret);
            return;
        }
        Path folder = file.toAbsolutePath().getParent();
        Path temporary = Files.createTempFile(folder, ".tokenmaker-", ".tmp", OWNER_ONLY);
        try {
            Files.writeString(temporary, secret);
            Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(temporary);
        }
    }
}
