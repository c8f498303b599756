package io.jenkins.plugins.mlops.cli;

import io.jenkins.plugins.mlops.ingest.IngestParameters;
import io.jenkins.plugins.mlops.ingest.IngestResult;
import io.jenkins.plugins.mlops.ingest.IngestStep;
import io.jenkins.plugins.mlops.ingest.WarehouseCredentials;
import io.jenkins.plugins.mlops.params.ParameterCatalogue;
import java.nio.file.Path;
import picocli.CommandLine.Command;

/** {@code mlops ingest}: a labelled window from the warehouse into Parquet, with its lineage. */
@Command(name = "ingest", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Runs one SELECT against a PostgreSQL warehouse in a read-only transaction, with :name parameters"
            + " bound from --param (never spliced into the text), streams the rows through a cursor into a Parquet file"
            + " (written under a temporary name, renamed at the end) and records its fingerprint, rows, query and"
            + " values in OUTPUT.lineage.json, which registerModel reads. The user and password come from"
            + " MLOPS_WAREHOUSE_USER and MLOPS_WAREHOUSE_PASSWORD.",
        footerHeading = "%nExit codes:%n",
        footer = {"  0  ingested (an empty result is an empty Parquet file with the columns, and a warning)",
            "  2  bad input: a query that is not one SELECT or that the warehouse refuses, an unbound or unknown parameter,"
            + " a superuser, an output directory that does not exist; nothing is written",
            "  3  the warehouse cannot be reached or refuses the credentials; nothing is written"})
public final class IngestCommand extends StepCommand<IngestResult> implements CatalogueOptions.Bound {
    @Override
    public ParameterCatalogue catalogue() {
        return IngestParameters.CATALOGUE;
    }

    @Override
    protected IngestResult runStep() {
        IngestParameters parameters = IngestParameters.builder().setAll(CatalogueOptions.values(spec, catalogue())).build();
        return IngestStep.run(parameters, WarehouseCredentials.fromEnvironment(System.getenv()), Path.of("").toAbsolutePath(), this::progress);
    }

    @Override
    protected String reportName() {
        return "ingest";
    }

    @Override
    protected String reportTitle() {
        return "Data ingestion";
    }
}
