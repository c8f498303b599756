package io.jenkins.plugins.mlops.cli;

import java.sql.DriverManager;

/**
 * {@code mlops} in a child JVM whose writes fail as on a full disk: once DuckDB has unpacked its
 * native library, the process lowers its own file-size limit ({@code prlimit --fsize}, no root
 * needed) to {@code args[0]} bytes, so any larger write fails with EFBIG. Then it runs the rest
 * of {@code args} as the mlops command line.
 */
public final class FileSizeLimitedMlops {
    private FileSizeLimitedMlops() {}

    public static void main(String[] args) throws Exception {
        DriverManager.getConnection("jdbc:duckdb:").close();
        String limit = args[0];
        Process prlimit = new ProcessBuilder("prlimit", "--pid", String.valueOf(ProcessHandle.current().pid()),
                "--fsize=" + limit + ":" + limit).inheritIO().start();
        if (prlimit.waitFor() != 0) {
            throw new IllegalStateException("prlimit failed");
        }
        String[] rest = new String[args.length - 1];
        System.arraycopy(args, 1, rest, 0, rest.length);
        MlopsCommand.main(rest);
    }
}
