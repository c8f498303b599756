package io.jenkins.plugins.mlops.jenkins;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;

import hudson.PluginWrapper;
import org.junit.jupiter.api.Test;
import org.jvnet.hudson.test.JenkinsRule;
import org.jvnet.hudson.test.junit.jupiter.WithJenkins;

/** What the plugin declares and carries, as Jenkins loaded it. */
@WithJenkins
class PluginPackagingTest {

    @Test
    void retryComesFromARequiredDependency(JenkinsRule r) {
        // trainOnGpu { ... } calls retry: without workflow-basic-steps installed the body form cannot run.
        PluginWrapper mlops = r.jenkins.getPluginManager().getPlugin("mlops");
        assertThat(mlops.getDependencies().stream().map(d -> d.shortName).toList(), hasItem("workflow-basic-steps"));
        assertThat(mlops.getOptionalDependencies().stream().map(d -> d.shortName).toList().contains("workflow-basic-steps"),
                is(false));
    }

    /**
     * The Spark Connect client reads Spark's error classes with Jackson's Scala module, which refuses a
     * databind of another minor version; the plugin's databind is jackson2-api's, so the module must
     * be pinned to it (a bad row on Spark failed the step with "Scala module 2.21.2 requires Jackson
     * Databind version >= 2.21.0 and < 2.22.0" before).
     */
    @Test
    void theSparkClientsScalaModuleFitsTheJacksonDatabindJenkinsGives() {
        new com.fasterxml.jackson.databind.ObjectMapper().registerModule(com.fasterxml.jackson.module.scala.DefaultScalaModule$.MODULE$);
    }

    @Test
    void theEngineCarriesDuckDbForLinuxOnly(JenkinsRule r) throws Exception {
        ClassLoader plugin = r.jenkins.getPluginManager().getPlugin("mlops").classLoader;
        Class<?> driver = Class.forName("org.duckdb.DuckDBDriver", false, plugin);
        // DuckDBNative looks the library up next to its own class; these two are what the hpi carries.
        assertThat(driver.getResource("/libduckdb_java.so_linux_amd64"), notNullValue());
        assertThat(driver.getResource("/libduckdb_java.so_linux_arm64"), notNullValue());
        assertThat(driver.getResource("/libduckdb_java.so_osx_universal"), nullValue());
        assertThat(driver.getResource("/libduckdb_java.so_windows_amd64"), nullValue());
    }
}
