package io.jenkins.plugins.mlops.train;

import io.jenkins.plugins.mlops.io.BadInputException;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * A change to a copy of the smoke sample that a data loader must survive, asked for as
 * {@code --perturb nan,unseen-category,empty-column} (or {@code empty-column=COLUMN}).
 *
 * @param kind what is changed
 * @param column the column {@code empty-column=COLUMN} names, or null (then mlops picks one)
 */
public record Perturbation(Kind kind, String column) implements Serializable {

    /** The perturbations, by the names the option takes. */
    public enum Kind {
        /** A NaN (an empty value) in every feature column, in a tenth of the rows, never all of one row. */
        NAN("nan", "NaN in every feature column"),
        /** A value no category column ever had, in a tenth of the rows of every text column. */
        UNSEEN_CATEGORY("unseen-category", "a category the data never had"),
        /** Every value of one feature column empty. */
        EMPTY_COLUMN("empty-column", "one column emptied");

        private final String option;
        private final String title;

        Kind(String option, String title) {
            this.option = option;
            this.title = title;
        }

        public String option() {
            return option;
        }

        public String title() {
            return title;
        }
    }

    public Perturbation {
        if (column != null && kind != Kind.EMPTY_COLUMN) {
            throw new BadInputException("--perturb " + kind.option() + " takes no column; only empty-column=COLUMN does");
        }
        if (column != null && column.isBlank()) {
            throw new BadInputException("--perturb empty-column= needs a column name");
        }
    }

    /** The name as the option takes it, e.g. {@code empty-column=age}. */
    public String name() {
        return column == null ? kind.option() : kind.option() + "=" + column;
    }

    /**
     * Items of {@code --perturb}: names, each item possibly a comma-separated list; an unknown name or a
     * repeated one is bad input naming the known ones.
     */
    public static List<Perturbation> parse(List<String> items) {
        List<Perturbation> perturbations = new ArrayList<>();
        for (String item : items == null ? List.<String>of() : items) {
            for (String name : item.split(",")) {
                if (name.isBlank()) {
                    continue;
                }
                Perturbation perturbation = parseOne(name.strip());
                if (perturbations.stream().anyMatch(p -> p.kind() == perturbation.kind())) {
                    throw new BadInputException("--perturb " + perturbation.kind().option() + " is given twice");
                }
                perturbations.add(perturbation);
            }
        }
        return List.copyOf(perturbations);
    }

    private static Perturbation parseOne(String name) {
        int eq = name.indexOf('=');
        String option = (eq < 0 ? name : name.substring(0, eq)).strip().toLowerCase(Locale.ROOT);
        for (Kind kind : Kind.values()) {
            if (kind.option().equals(option)) {
                return new Perturbation(kind, eq < 0 ? null : name.substring(eq + 1).strip());
            }
        }
        throw new BadInputException("--perturb: unknown perturbation '" + name + "'; known: "
                + Arrays.stream(Kind.values()).map(Kind::option).collect(Collectors.joining(", ")));
    }
}
