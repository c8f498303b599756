package io.jenkins.plugins.mlops.ci;

import io.jenkins.plugins.mlops.io.BadInputException;
import java.util.ArrayList;
import java.util.List;

/**
 * Splits a command line as a POSIX shell splits words, without expanding anything: blanks separate
 * words, single quotes keep everything, double quotes keep everything but {@code \"} and
 * {@code \\}, a backslash outside quotes keeps the next character. An open quote is bad input.
 */
final class CommandWords {
    private CommandWords() {}

    static List<String> split(String line) {
        List<String> words = new ArrayList<>();
        StringBuilder word = new StringBuilder();
        boolean inWord = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c == '\'') {
                int end = closing(line, i, '\'');
                word.append(line, i + 1, end);
                i = end;
                inWord = true;
            } else if (c == '"') {
                int end = closing(line, i, '"');
                word.append(line.substring(i + 1, end).replaceAll("\\\\([\"\\\\])", "$1"));
                i = end;
                inWord = true;
            } else if (c == '\\' && i + 1 < line.length()) {
                word.append(line.charAt(++i));
                inWord = true;
            } else if (Character.isWhitespace(c)) {
                if (inWord) {
                    words.add(word.toString());
                    word.setLength(0);
                    inWord = false;
                }
            } else {
                word.append(c);
                inWord = true;
            }
        }
        if (inWord) {
            words.add(word.toString());
        }
        return words;
    }

    private static int closing(String line, int open, char quote) {
        for (int i = open + 1; i < line.length(); i++) {
            if (line.charAt(i) == '\\' && quote == '"') {
                i++;
            } else if (line.charAt(i) == quote) {
                return i;
            }
        }
        throw new BadInputException("ci command '" + line + "': the quote " + quote + " at character " + (open + 1)
                + " is never closed");
    }
}
