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
