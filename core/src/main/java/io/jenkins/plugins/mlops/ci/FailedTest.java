package io.jenkins.plugins.mlops.ci;

import java.io.Serializable;

/**
 * A failing test case from a JUnit file.
 *
 * @param test the case as {@code classname.name}
 * @param kind {@code failure} or {@code error}
 * @param message its message attribute, or the first line of its text
 */
public record FailedTest(String test, String kind, String message) implements Serializable {}
