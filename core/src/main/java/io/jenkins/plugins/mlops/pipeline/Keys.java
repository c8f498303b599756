package io.jenkins.plugins.mlops.pipeline;

import io.jenkins.plugins.mlops.io.BadInputException;
import java.util.List;
import java.util.Map;

/** Checks of {@code mlops.yaml} values that Jackson cannot express; each names its key. */
final class Keys {
    private Keys() {}

    static String required(String value, String key) {
        if (value == null || value.isBlank()) {
            throw invalid(key, "is required");
        }
        return value.strip();
    }

    static String orDefault(String value, String fallback) {
        return value == null || value.isBlank() ? fallback : value.strip();
    }

    static <T> List<T> list(List<T> value) {
        return value == null ? List.of() : List.copyOf(value);
    }

    static <K, V> Map<K, V> map(Map<K, V> value) {
        return value == null ? Map.of() : Map.copyOf(value);
    }

    static List<String> command(List<String> command, String key) {
        if (command == null || command.isEmpty() || command.get(0) == null || command.get(0).isBlank()) {
            throw invalid(key, "is required: the program and its arguments as a list, e.g. [.venv/bin/python, train.py]");
        }
        return List.copyOf(command);
    }

    static BadInputException invalid(String key, String message) {
        return new BadInputException(key + ": " + message);
    }
}
