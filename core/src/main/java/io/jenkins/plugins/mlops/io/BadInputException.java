package io.jenkins.plugins.mlops.io;

/**
 * The user's input cannot be used: a missing or malformed file, a bad schema, a wrong option.
 * The message names the file and, where known, the line or field. The command line exits 2.
 */
public class BadInputException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public BadInputException(String message) {
        super(message);
    }

    public BadInputException(String message, Throwable cause) {
        super(message, cause);
    }
}
