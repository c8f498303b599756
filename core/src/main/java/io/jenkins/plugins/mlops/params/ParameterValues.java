package io.jenkins.plugins.mlops.params;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** A step's parameters once read: typed, defaults filled in; absent ones without a default are null. */
public final class ParameterValues {
    private final ParameterCatalogue catalogue;
    private final Map<String, Object> values;

    ParameterValues(ParameterCatalogue catalogue, Map<String, Object> values) {
        this.catalogue = catalogue;
        this.values = values;
    }

    public String text(String name) {
        return get(name, String.class);
    }

    public Long whole(String name) {
        return get(name, Long.class);
    }

    public Double number(String name) {
        return get(name, Double.class);
    }

    public Boolean bool(String name) {
        return get(name, Boolean.class);
    }

    public Duration duration(String name) {
        return get(name, Duration.class);
    }

    public String path(String name) {
        return get(name, String.class);
    }

    public URI url(String name) {
        return get(name, URI.class);
    }

    @SuppressWarnings("unchecked")
    public List<Integer> percents(String name) {
        return get(name, List.class);
    }

    @SuppressWarnings("unchecked")
    public List<String> list(String name) {
        List<String> list = get(name, List.class);
        return list == null ? List.of() : list;
    }

    @SuppressWarnings("unchecked")
    public Map<String, String> pairs(String name) {
        Map<String, String> pairs = get(name, Map.class);
        return pairs == null ? Map.of() : pairs;
    }

    private <T> T get(String name, Class<T> type) {
        catalogue.parameter(name);
        return type.cast(values.get(name));
    }
}
