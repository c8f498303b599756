package io.jenkins.plugins.mlops.jenkins;

import com.cloudbees.plugins.credentials.CredentialsMatchers;
import com.cloudbees.plugins.credentials.common.StandardCredentials;
import com.cloudbees.plugins.credentials.common.StandardListBoxModel;
import edu.umd.cs.findbugs.annotations.CheckForNull;
import hudson.model.Item;
import hudson.model.Queue;
import hudson.model.queue.Tasks;
import hudson.security.ACL;
import hudson.util.ListBoxModel;
import java.util.List;

/** The credentials list of a job's form field: one shape for every field that names a credential of a job. */
public final class CredentialItems {
    private CredentialItems() {}

    /**
     * The credentials of {@code type} the job's builds may use (its folders' and the global store, never
     * SYSTEM-scoped ones), seen as the builds run: the job's own authentication where a plugin such as
     * authorize-project gives it one, as the credentials plugin's consumer guide asks; to someone who cannot
     * configure the job, only the field's current value.
     */
    public static ListBoxModel forJob(@CheckForNull Item item, Class<? extends StandardCredentials> type,
            String current) {
        StandardListBoxModel items = new StandardListBoxModel();
        if (item == null || !item.hasPermission(Item.CONFIGURE)) {
            return items.includeCurrentValue(current);
        }
        return items.includeEmptyValue()
                .includeMatchingAs(item instanceof Queue.Task task ? Tasks.getAuthenticationOf2(task) : ACL.SYSTEM2, item, type, List.of(), CredentialsMatchers.always())
                .includeCurrentValue(current);
    }
}
