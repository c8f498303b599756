package io.jenkins.plugins.mlops.deploy.router;

import io.netty.buffer.ByteBuf;
import io.netty.channel.EventLoop;
import java.util.ArrayDeque;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The shadow's copies of one client connection's requests, each sent at once on a shadow
 * connection of this client connection's ({@link UpstreamLink}, the primary's code path): while
 * the shadow keeps up that is one connection, bound to the client's as the primary's is; a copy
 * made while the others are out opens another, so the shadow gets the requests when the primary
 * did and no copy waits in the router. A copy is timed as the primary's request is, from its
 * bytes handed to the connection to its whole answer, which is read and recorded, never sent to
 * the client. How many copies are out at once is bounded by the mirror queue's slots, which their
 * makers reserve. A connection outlives the client's until its copy is answered, so the copy of a
 * connection's last request is not cut off. Used only on its event loop.
 */
final class MirrorLane {
    private static final Logger LOG = Logger.getLogger(MirrorLane.class.getName());
    private static final byte[] NOTHING = new byte[0];

    private final FrontServer server;
    private final Router router;
    private final EventLoop loop;
    /** Shadow connections with no copy out, the one used last at the end. */
    private final ArrayDeque<ShadowConnection> idle = new ArrayDeque<>(2);
    private boolean clientGone;

    MirrorLane(FrontServer server, EventLoop loop) {
        this.server = server;
        this.router = server.router();
        this.loop = loop;
    }

    /** Sends a copy, counted as sent, in the mirror-queue slot its maker reserved; {@code wait} holds its mirror deadline. */
    void send(ByteBuf bytes, Exchange primary, boolean head, Upstream target, AnswerDeadlines.Wait wait) {
        ShadowConnection connection = idle.pollLast();
        if (connection == null) {
            connection = new ShadowConnection();
        }
        connection.send(bytes, primary, head, target, wait);
    }

    /** The client connection closed: idle shadow connections close now, the others once their copy is answered. */
    void clientGone() {
        clientGone = true;
        for (ShadowConnection connection : idle.toArray(ShadowConnection[]::new)) {
            connection.close();
        }
        idle.clear();
    }

    /** One shadow connection and the copy out on it. */
    private final class ShadowConnection implements UpstreamLink.Owner {
        private UpstreamLink link;
        private Exchange primary;
        private boolean head;
        private AnswerDeadlines.Wait wait;
        private Upstream target;
        /** The copy sent on a reused connection, until its answer starts or it fails. */
        private ByteBuf resend;
        private long sentNanos;
        private long sentAt;

        void send(ByteBuf bytes, Exchange primary, boolean head, Upstream target, AnswerDeadlines.Wait wait) {
            this.primary = primary;
            this.head = head;
            this.wait = wait;
            this.target = target;
            sentNanos = System.nanoTime();
            sentAt = System.currentTimeMillis();
            if (link != null && link.reusable(target)) {
                // Kept until the first byte of the answer: see failed().
                resend = bytes.retainedDuplicate();
                wait.sent(link);
                link.send(bytes);
                return;
            }
            open(bytes);
        }

        /** Sends the copy on a new connection. */
        private void open(ByteBuf bytes) {
            if (link != null) {
                link.close();
            }
            UpstreamLink connecting = new UpstreamLink(this, RouterConfig.MIRROR_VARIANT, target);
            link = connecting;
            wait.sent(connecting);
            // Handed over before the connect: a connect that fails at once fails this copy.
            connecting.send(bytes);
            connecting.connect(loop, server.channels(), server.resolver());
        }

        void close() {
            if (link != null) {
                link.close();
            }
        }

        /** The copy is answered (status 0: it failed): recorded, its slot freed, and the connection free for the next. */
        private void finish(int status, byte[] body, long length) {
            dropResend();
            Exchange copied = primary;
            primary = null;
            wait.done();
            router.mirrored(copied, sentAt, status, System.nanoTime() - sentNanos, body, length);
            if (clientGone || link == null) {
                close();
            } else {
                idle.addLast(this);
            }
        }

        private void dropResend() {
            if (resend != null) {
                resend.release();
                resend = null;
            }
        }

        @Override
        public UpstreamTls upstreamTls() {
            return router.upstreamTls();
        }

        private boolean mine(UpstreamLink from) {
            return from == link && primary != null;
        }

        @Override
        public boolean headRequest() {
            return head;
        }

        @Override
        public void answered(UpstreamLink from, HeadLines answer, int status, ByteBuf bytes, int bodyIndex, int bodyLength) {
            if (mine(from)) {
                byte[] body = new byte[bodyLength];
                bytes.getBytes(bodyIndex, body);
                finish(status, body, bodyLength);
            }
        }

        @Override
        public void answerStarted(UpstreamLink from, HeadLines answer, int status, int framing, long length) {
            // Read on and dropped: the link keeps the first bytes for the record.
            if (mine(from)) {
                dropResend();
            }
        }

        @Override
        public void relay(UpstreamLink from, ByteBuf bytes) {
            bytes.release();
        }

        @Override
        public void flush() {
            // Nothing goes to the client.
        }

        @Override
        public void answerEnded(UpstreamLink from, boolean whole, int status, BodyCapture kept) {
            if (mine(from)) {
                finish(whole ? status : 0, kept.bytes(), kept.length());
            }
        }

        @Override
        public void failed(UpstreamLink from, Throwable cause, boolean beforeAnswer) {
            if (!mine(from)) {
                return;
            }
            if (beforeAnswer && resend != null && !wait.expired()) {
                // A kept-alive connection closed with no byte of an answer: the server closed it idle
                // (its keep-alive ran out) as the copy went out, so no model saw the copy. The primary
                // goes to its fallback then; the copy goes once more on a fresh connection, as HTTP
                // clients resend a request that a stale pooled connection never answered.
                ByteBuf again = resend;
                resend = null;
                open(again);
                return;
            }
            finish(0, NOTHING, 0);
        }

        @Override
        public void abort(RuntimeException failure) {
            LOG.log(Level.WARNING, "router: giving up a mirrored copy after an internal failure", failure);
            UpstreamLink broken = link;
            link = null;
            idle.remove(this);
            if (broken != null) {
                broken.close();
            }
            if (primary != null) {
                finish(0, NOTHING, 0);
            }
        }

        @Override
        public void linkClosed(UpstreamLink closed) {
            if (closed == link) {
                link = null;
                idle.remove(this);
            }
        }
    }
}
