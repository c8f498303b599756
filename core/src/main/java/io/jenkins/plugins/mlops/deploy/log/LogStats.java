package io.jenkins.plugins.mlops.deploy.log;

import java.io.Serializable;

/**
 * What the prediction log did, for the report: every row accepted is either written or counted as
 * lost, never dropped silently.
 *
 * @param accepted rows taken into the buffer (acknowledged)
 * @param written rows committed to the database
 * @param rejected rows refused because the buffer was full (the database was down too long)
 * @param unwritten accepted rows still unwritten when the log closed (the database never came back)
 * @param failedWrites batch writes that failed and were retried
 * @param lastError the last database error, or null
 */
public record LogStats(String database, long accepted, long written, long rejected, long unwritten, long failedWrites,
        String lastError) implements Serializable {

    public long lost() {
        return rejected + unwritten;
    }
}
