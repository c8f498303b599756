package io.jenkins.plugins.mlops.cli;

/** The exit codes of {@code mlops}, the same for every subcommand. */
public final class ExitCodes {
    public static final int PASSED = 0;
    public static final int FAILED = 1;
    public static final int BAD_INPUT = 2;
    public static final int INFRASTRUCTURE = 3;

    private ExitCodes() {}
}
