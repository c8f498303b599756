package io.jenkins.plugins.mlops.deploy.router;

import io.vertx.core.http.Cookie;
import io.vertx.core.http.HttpServerRequest;
import java.util.function.UnaryOperator;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Picks the variant for one request: a matching header route first, then the weights, by a hash
 * of the sticky key when there is one, at random otherwise.
 */
final class RouteSelector {
    private final List<HeaderRoute> headerRoutes;
    private final Stickiness stickiness;

    RouteSelector(List<HeaderRoute> headerRoutes, Stickiness stickiness) {
        this.headerRoutes = headerRoutes;
        this.stickiness = stickiness;
    }

    String choose(HttpServerRequest request, Weights weights) {
        return choose(request::getHeader, name -> {
            Cookie cookie = request.getCookie(name);
            return cookie == null ? null : cookie.getValue();
        }, weights);
    }

    /** As {@link #choose(HttpServerRequest, Weights)}, given a request's header and cookie values by name. */
    String choose(UnaryOperator<String> header, UnaryOperator<String> cookie, Weights weights) {
        for (HeaderRoute route : headerRoutes) {
            if (route.value().equals(header.apply(route.header()))) {
                return route.variant();
            }
        }
        String key = stickyKey(header, cookie);
        int bucket = key == null ? ThreadLocalRandom.current().nextInt(100) : bucket(key);
        return weights.owner(bucket);
    }

    private String stickyKey(UnaryOperator<String> header, UnaryOperator<String> cookie) {
        if (stickiness == null) {
            return null;
        }
        return stickiness.source() == Stickiness.Source.HEADER ? header.apply(stickiness.name()) : cookie.apply(stickiness.name());
    }

    /** FNV-1a over the key's bytes, then a 64-bit finalizer (SplitMix64) so that similar keys spread evenly. */
    static int bucket(String key) {
        long hash = 0xcbf29ce484222325L;
        for (byte b : key.getBytes(StandardCharsets.UTF_8)) {
            hash ^= b & 0xff;
            hash *= 0x100000001b3L;
        }
        hash ^= hash >>> 30;
        hash *= 0xbf58476d1ce4e5b9L;
        hash ^= hash >>> 27;
        hash *= 0x94d049bb133111ebL;
        hash ^= hash >>> 31;
        return (int) Long.remainderUnsigned(hash, 100);
    }
}
