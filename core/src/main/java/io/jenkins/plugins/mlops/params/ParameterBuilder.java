package io.jenkins.plugins.mlops.params;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * Collects a step's parameters by name, as each front end has them (text, numbers, lists), and
 * builds the step's parameter record: every value is read by the catalogue and the record checks
 * how they fit together, so one bad value gives one message whichever front end sent it.
 *
 * @param <P> the step's parameter record
 */
public final class ParameterBuilder<P> {
    private final ParameterCatalogue catalogue;
    private final Function<ParameterValues, P> record;
    private final Map<String, Object> raw = new LinkedHashMap<>();

    public ParameterBuilder(ParameterCatalogue catalogue, Function<ParameterValues, P> record) {
        this.catalogue = catalogue;
        this.record = record;
    }

    /** Sets {@code name}; null or blank takes the default again. */
    public ParameterBuilder<P> set(String name, Object value) {
        if (ParameterCatalogue.isAbsent(catalogue.parameter(name), value)) {
            raw.remove(name);
        } else {
            raw.put(name, value);
        }
        return this;
    }

    public ParameterBuilder<P> setAll(Map<String, ?> values) {
        values.forEach(this::set);
        return this;
    }

    /** Only the values not set yet, e.g. a front end's own defaults. */
    public ParameterBuilder<P> setAbsent(String name, Object value) {
        return raw.containsKey(name) ? this : set(name, value);
    }

    public P build() {
        return record.apply(catalogue.read(raw));
    }
}
