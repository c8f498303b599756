package io.jenkins.plugins.mlops.data;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.io.Serializable;

/** How many rows the data may have; either bound is optional. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RowCountBounds(Long min, Long max) implements Serializable {
    public RowCountBounds {
        if (min != null && max != null && min > max) {
            throw new IllegalArgumentException("min " + min + " is greater than max " + max);
        }
    }
}
