package io.jenkins.plugins.mlops.deploy;

import io.jenkins.plugins.mlops.deploy.router.Router;
import io.jenkins.plugins.mlops.io.BadInputException;

/**
 * The embedded router as a rollout backend: weights switch atomically in the router, and
 * {@link #observe} reads the router's in-memory recorder, so the judge works with the prediction
 * log off. The router must have the variants {@link #STABLE} and {@link #CANDIDATE}; closing the
 * backend stops the router gracefully.
 */
public final class EmbeddedTrafficBackend extends RouterTrafficBackend {
    private final Router router;

    public EmbeddedTrafficBackend(Router router) {
        super(router);
        if (!router.config().variants().containsKey(STABLE) || !router.config().variants().containsKey(CANDIDATE)) {
            throw new BadInputException("embedded backend: the router needs variants '" + STABLE + "' and '" + CANDIDATE
                    + "', it has " + router.config().variants().keySet());
        }
        this.router = router;
    }

    public Router router() {
        return router;
    }

    @Override
    public String describe() {
        return "embedded router on " + router.uri().getAuthority();
    }

    /** Stops the router, the requests in flight answered first (within {@link Router#STEP_END_GRACE}). */
    @Override
    public void close() {
        router.stop(Router.STEP_END_GRACE);
    }
}
