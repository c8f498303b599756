package io.jenkins.plugins.mlops.train;

/** Turns a failure message ("the training script ...") into a summary sentence. */
final class Sentences {
    private Sentences() {}

    static String capitalise(String sentence) {
        String s = sentence.endsWith(".") ? sentence : sentence + ".";
        return Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }
}
