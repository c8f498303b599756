package io.jenkins.plugins.mlops.data;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import io.jenkins.plugins.mlops.io.AtomicFiles;
import io.jenkins.plugins.mlops.io.BadInputException;
import io.jenkins.plugins.mlops.io.BoundedFiles;
import io.jenkins.plugins.mlops.result.Json;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/** Saves and loads profiles as JSON ({@value Profile#SCHEMA}). */
public final class ProfileFile {
    private ProfileFile() {}

    public static void write(Path file, Profile profile) {
        AtomicFiles.write(file, Json.write(profile));
    }

    public static Profile read(Path file) {
        String text;
        try {
            text = BoundedFiles.readString(file, Json.MAX_INPUT_BYTES, "not an mlops profile");
        } catch (NoSuchFileException e) {
            throw new BadInputException("profile not found: " + file, e);
        } catch (IOException e) {
            throw new BadInputException(file + ": cannot read the profile: " + e.getMessage(), e);
        }
        Profile profile;
        try {
            profile = Json.mapper().readValue(text, Profile.class);
        } catch (JsonMappingException e) {
            throw new BadInputException(file + (e.getLocation() == null ? "" : " line " + e.getLocation().getLineNr())
                    + ": not an mlops profile: " + e.getOriginalMessage(), e);
        } catch (JsonProcessingException e) {
            throw new BadInputException(file + ": not valid JSON: " + e.getOriginalMessage(), e);
        }
        if (profile == null || !Profile.SCHEMA.equals(profile.schema()) || profile.columns().isEmpty()) {
            throw new BadInputException(file + ": not an mlops profile (expected \"schema\": \"" + Profile.SCHEMA
                    + "\" and columns); make one with `mlops profile`");
        }
        return profile;
    }
}
