package io.jenkins.plugins.mlops.gate;

import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The classes seen in the label and prediction columns, each given a small integer code, and
 * which of them is the positive class for the binary metrics.
 *
 * @param names class names by code, as they read in the files ({@code 1}, {@code churn}, ...)
 * @param positive the positive class's code, or -1 when no row holds it
 * @param positiveName the positive class as the user named it
 */
record ClassCoding(List<String> names, int positive, String positiveName) {

    ClassCoding {
        names = List.copyOf(names);
    }

    String names(int[] codes) {
        return Arrays.stream(codes).mapToObj(names::get).collect(Collectors.joining(", ", "[", "]"));
    }
}
