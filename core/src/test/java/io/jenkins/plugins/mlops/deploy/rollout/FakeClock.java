package io.jenkins.plugins.mlops.deploy.rollout;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/** A clock the controller's sleeper moves forward, so a ten-minute rollout is judged in milliseconds. */
final class FakeClock extends Clock implements Sleeper {
    private Instant now = Instant.parse("2026-01-01T00:00:00Z");

    @Override
    public void sleep(Duration duration) {
        now = now.plus(duration);
    }

    @Override
    public Instant instant() {
        return now;
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        return this;
    }
}
