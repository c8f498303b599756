package io.jenkins.plugins.mlops.jenkins.trigger;

import edu.umd.cs.findbugs.annotations.CheckForNull;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.List;

/**
 * The directories of the controller whose files drift triggers may read, as an administrator
 * listed them. A trigger is configured by anyone who can configure a job or edit its Jenkinsfile,
 * and what it reads shows in build causes (column names) and in its drift verdicts; without
 * approved roots it reads nothing. Paths are compared after following links, so a link inside a
 * root that points outside it is refused.
 */
final class DriftDataRoots {
    private DriftDataRoots() {}

    /** Why one of {@code paths} may not be read, or null when each is under an approved root. */
    @CheckForNull
    static String refusal(List<String> roots, String... paths) {
        if (roots.isEmpty()) {
            return "no drift data roots are approved (Manage Jenkins » System » MLOps » Drift data roots)";
        }
        for (String path : paths) {
            if (path != null && !underARoot(roots, path)) {
                return path + " is not under an approved drift data root (" + String.join(", ", roots) + ")";
            }
        }
        return null;
    }

    private static boolean underARoot(List<String> roots, String path) {
        Path real;
        try {
            Path given = Path.of(path);
            real = given.isAbsolute() && Files.exists(given) ? given.toRealPath() : null;
        } catch (IOException | InvalidPathException e) {
            real = null;
        }
        if (real == null) {
            return false;
        }
        for (String root : roots) {
            try {
                if (real.startsWith(Path.of(root).toRealPath())) {
                    return true;
                }
            } catch (IOException | InvalidPathException e) {
                // A root that does not exist (yet) approves nothing.
            }
        }
        return false;
    }
}
