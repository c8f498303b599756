package io.jenkins.plugins.mlops.deploy.router;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFactory;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.resolver.AddressResolverGroup;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;

/**
 * One upstream connection, bound to one client connection and one variant ({@link FrontConnection},
 * or the shadow's copies of its requests, {@link MirrorLane}): no pool to lease from per request.
 * It writes the request bytes it is given and reads the answer with a light parse of its head and
 * framing (length, chunked, or until close); the bytes go to its {@link Owner} unchanged but for
 * the head. Used only on its event loop.
 */
final class UpstreamLink extends ChannelInboundHandlerAdapter implements Runnable {
    /** Whoever sent the request: gets its answer, or its failure. Called on the link's event loop. */
    interface Owner {
        /** Whether the request in flight is a HEAD, whose answer has no body. */
        boolean headRequest();

        /** A whole answer (small, or without a body); {@code bytes} is released after the call. */
        void answered(UpstreamLink from, HeadLines answer, int status, ByteBuf bytes, int bodyIndex, int bodyLength);

        /** A streamed answer's head; its body follows through {@link #relay} and ends with {@link #answerEnded}. */
        void answerStarted(UpstreamLink from, HeadLines answer, int status, int framing, long length);

        /** Body bytes of a streamed answer, the owner's to release. */
        void relay(UpstreamLink from, ByteBuf bytes);

        /** The end of a read of streamed bytes. */
        void flush();

        /** A streamed answer ended: whole, or cut off ({@code whole} false). */
        void answerEnded(UpstreamLink from, boolean whole, int status, BodyCapture kept);

        /** The request failed; {@code beforeAnswer}: nothing of an answer came. */
        void failed(UpstreamLink from, Throwable cause, boolean beforeAnswer);

        /** The owner's own handling of an answer threw. */
        void abort(RuntimeException failure);

        /** The connection is closed; nothing more comes from it. */
        void linkClosed(UpstreamLink closed);

        /** The trust for an https upstream: the router's, the same for the primary and the shadow. */
        UpstreamTls upstreamTls();
    }

    private static final int CONNECTING = 0;
    private static final int IDLE = 1;
    private static final int HEAD = 2;
    private static final int WHOLE = 3;
    private static final int LENGTH = 4;
    private static final int CHUNKED = 5;
    private static final int UNTIL_CLOSE = 6;
    private static final int CLOSED = 7;
    /** The longest answer head taken (Vert.x's client allowed 8 KiB of headers). */
    private static final int MAX_HEAD = 16 * 1024;

    private final Owner owner;
    private final String variant;
    private final Upstream upstream;
    private final HeadLines head = new HeadLines();
    private Channel channel;
    private int state = CONNECTING;
    private boolean busy;
    private ByteBuf pending;
    private ByteBuf in;
    private int status;
    private long remaining;
    private boolean keepAlive;
    private ChunkScanner chunks;
    private BodyCapture kept;
    private long lastReadNanos;
    private boolean paused;
    private Throwable broken;

    UpstreamLink(Owner owner, String variant, Upstream upstream) {
        this.owner = owner;
        this.variant = variant;
        this.upstream = upstream;
    }

    Upstream upstream() {
        return upstream;
    }

    String variantName() {
        return variant;
    }

    /** Open, idle, and still pointing where the variant points: fit for the next request. */
    boolean reusable(Upstream now) {
        return (state == IDLE || state == CONNECTING) && !busy && upstream.equals(now);
    }

    void connect(EventLoop loop, ChannelFactory<? extends Channel> channels, AddressResolverGroup<InetSocketAddress> resolver) {
        Bootstrap bootstrap = new Bootstrap().group(loop).channelFactory(channels).resolver(resolver)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 5_000).handler(new ChannelInitializer<>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        if (upstream.ssl()) {
                            ch.pipeline().addLast(owner.upstreamTls().handler(ch.alloc(), upstream));
                        }
                        ch.pipeline().addLast(UpstreamLink.this);
                    }
                });
        // The channel is known before the listener runs: a loopback connect may complete at once.
        io.netty.channel.ChannelFuture connecting = bootstrap.connect(upstream.host(), upstream.port());
        channel = connecting.channel();
        connecting.addListener(connected -> {
            if (!connected.isSuccess()) {
                state = CLOSED;
                release();
                fail(connected.cause() instanceof ConnectException c ? c : connectFailure(connected.cause()), true);
                owner.linkClosed(this);
            } else if (state == CONNECTING) {
                state = IDLE;
                if (pending != null) {
                    ByteBuf request = pending;
                    pending = null;
                    state = HEAD;
                    channel.writeAndFlush(request, channel.voidPromise());
                }
            }
        });
    }

    private static ConnectException connectFailure(Throwable cause) {
        ConnectException failure = new ConnectException(String.valueOf(cause.getMessage()));
        failure.initCause(cause);
        return failure;
    }

    /** Sends one request; its answer comes to the owner. */
    void send(ByteBuf request) {
        busy = true;
        status = 0;
        kept = null;
        chunks = null;
        if (state == CONNECTING) {
            pending = request;
            return;
        }
        state = HEAD;
        channel.writeAndFlush(request, channel.voidPromise());
    }

    /** The upstream deadline passed without an answer: the connection cannot be reused. */
    @Override
    public void run() {
        close();
    }

    /** Gives up the connection; an exchange in progress fails (the owner asked, or it timed out). */
    void close() {
        if (state != CLOSED && channel != null) {
            channel.close();
        }
    }

    /** The client went away: an answer being streamed ends now, as not served, and the connection cannot be reused. */
    void abandon() {
        if (busy && kept != null) {
            busy = false;
            close();
            owner.answerEnded(this, false, status, kept);
        } else {
            close();
        }
    }

    /** Stops reading the answer while the client's connection is full; see {@link #resume()}. */
    void pause() {
        if (!paused) {
            paused = true;
            channel.config().setAutoRead(false);
        }
    }

    void resume() {
        if (paused) {
            paused = false;
            lastReadNanos = System.nanoTime();
            channel.config().setAutoRead(true);
        }
    }

    /** A streamed answer that has sent nothing for {@code nanos} while the client was ready for more. */
    boolean stalled(long now, long nanos) {
        return busy && state >= LENGTH && state <= UNTIL_CLOSE && !paused && now - lastReadNanos > nanos;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ByteBuf bytes = (ByteBuf) msg;
        lastReadNanos = System.nanoTime();
        if (!busy || state == IDLE || state == CLOSED) {
            // An answer to nothing: the connection's framing is lost.
            bytes.release();
            ctx.close();
            return;
        }
        if (state == HEAD || state == WHOLE) {
            if (in == null) {
                in = bytes;
            } else {
                in = cumulate(ctx, in, bytes);
            }
            if (state == HEAD) {
                readHead(ctx);
            } else {
                whole();
            }
            return;
        }
        relay(bytes);
    }

    /** Appends in place: the buffer stays the same object, so the parsed head's offsets into it stay valid. */
    private static ByteBuf cumulate(ChannelHandlerContext ctx, ByteBuf into, ByteBuf more) {
        into.writeBytes(more);
        more.release();
        return into;
    }

    private void readHead(ChannelHandlerContext ctx) {
        while (true) {
            int parsed = head.parse(in, MAX_HEAD);
            if (parsed == 0) {
                return;
            }
            status = parsed < 0 ? -1 : status(head);
            if (status < 0) {
                brokeOff(new IOException("variant " + variant + " sent an answer that is not HTTP/1.x"), true);
                return;
            }
            if (status >= 100 && status < 200) {
                // An interim answer (100 Continue): the real one follows.
                in.readerIndex(head.end);
                continue;
            }
            break;
        }
        boolean http10 = head.buffer.getByte(head.lineStart[0] + 7) == '0';
        int connection = head.find("connection", 0);
        keepAlive = connection < 0 ? !http10 : http10 ? head.valueHas(connection, "keep-alive") : !head.valueHas(connection, "close");
        int coding = head.find("transfer-encoding", 0);
        int length = head.find("content-length", 0);
        long declared = length < 0 || head.find("content-length", length) >= 0 ? -1 : head.number(length);
        if (HttpTokens.bodiless(status, owner.headRequest())) {
            remaining = 0;
            state = WHOLE;
            whole();
        } else if (coding >= 0) {
            if (!head.valueIs(coding, "chunked")) {
                brokeOff(new IOException("variant " + variant + " sent a transfer coding the router does not relay"), true);
                return;
            }
            chunks = new ChunkScanner();
            stream(ctx, CHUNKED);
        } else if (length >= 0 && declared < 0) {
            brokeOff(new IOException("variant " + variant + " sent a bad Content-Length"), true);
        } else if (declared >= 0 && declared <= Exchange.KEPT_BYTES) {
            remaining = declared;
            state = WHOLE;
            whole();
        } else if (declared >= 0) {
            remaining = declared;
            stream(ctx, LENGTH);
        } else {
            keepAlive = false;
            stream(ctx, UNTIL_CLOSE);
        }
    }

    /** The status of an {@code HTTP/1.x NNN reason} line, or -1. */
    private static int status(HeadLines head) {
        ByteBuf b = head.buffer;
        int s = head.lineStart[0];
        if (head.startLineEnd - s < 12 || b.getByte(s) != 'H' || b.getByte(s + 1) != 'T' || b.getByte(s + 2) != 'T'
                || b.getByte(s + 3) != 'P' || b.getByte(s + 4) != '/' || b.getByte(s + 5) != '1' || b.getByte(s + 6) != '.'
                || b.getByte(s + 8) != ' ') {
            return -1;
        }
        int code = 0;
        for (int i = s + 9; i < s + 12; i++) {
            byte c = b.getByte(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            code = code * 10 + (c - '0');
        }
        return code >= 100 ? code : -1;
    }

    /** A small answer: held until its body is in, then written to the client at once. */
    private void whole() {
        if (in.writerIndex() - head.end < remaining) {
            return;
        }
        busy = false;
        state = keepAlive ? IDLE : CLOSED;
        ByteBuf answer = in;
        in = null;
        try {
            owner.answered(this, head, status, answer, head.end, (int) remaining);
        } catch (RuntimeException e) {
            // A bug must not leave the client waiting for ever.
            owner.abort(e);
        } finally {
            answer.release();
        }
        if (!keepAlive) {
            channel.close();
        }
    }

    private void stream(ChannelHandlerContext ctx, int framing) {
        state = framing;
        kept = new BodyCapture(Exchange.KEPT_BYTES);
        owner.answerStarted(this, head, status, framing == CHUNKED ? 1 : framing == LENGTH ? 0 : -1, remaining);
        ByteBuf rest = in;
        in = null;
        rest.readerIndex(head.end);
        if (rest.isReadable()) {
            relay(rest);
        } else {
            rest.release();
        }
        ctx.flush();
    }

    private void relay(ByteBuf bytes) {
        int body;
        if (state == LENGTH) {
            body = (int) Math.min(remaining, bytes.readableBytes());
            kept.add(bytes, bytes.readerIndex(), body);
            remaining -= body;
        } else if (state == CHUNKED) {
            body = chunks.scan(bytes, kept);
            if (chunks.malformed()) {
                bytes.release();
                brokeOff(new IOException("variant " + variant + " sent a malformed chunk"), false);
                return;
            }
        } else {
            body = bytes.readableBytes();
            kept.add(bytes, bytes.readerIndex(), body);
        }
        bytes.writerIndex(bytes.readerIndex() + body);
        owner.relay(this, bytes);
        boolean ended = state == LENGTH ? remaining == 0 : state == CHUNKED && chunks.done();
        if (ended) {
            busy = false;
            state = keepAlive ? IDLE : CLOSED;
            owner.answerEnded(this, true, status, kept);
            if (!keepAlive) {
                channel.close();
            }
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        if (state >= LENGTH && state <= UNTIL_CLOSE || !busy) {
            owner.flush();
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        int was = state;
        state = CLOSED;
        release();
        if (!busy) {
            owner.linkClosed(this);
            return;
        }
        if (was == UNTIL_CLOSE) {
            busy = false;
            owner.answerEnded(this, true, status, kept);
        } else {
            brokeOff(broken != null ? explained(broken) : new java.nio.channels.ClosedChannelException(), was == HEAD && status == 0);
        }
        owner.linkClosed(this);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (broken == null) {
            broken = cause;
        }
        ctx.close();
    }

    /** A failed TLS handshake closes the connection: why, for the 502 the client gets. */
    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
        if (event instanceof SslHandshakeCompletionEvent done && !done.isSuccess() && broken == null) {
            broken = done.cause();
        }
        ctx.fireUserEventTriggered(event);
    }

    /** What closed the connection, as the client's error says it. */
    private IOException explained(Throwable cause) {
        return new IOException(UpstreamTls.reason(cause, upstream), cause);
    }

    /** The exchange failed; {@code beforeAnswer}: nothing of an answer came, so the request may go elsewhere. */
    private void brokeOff(Throwable cause, boolean beforeAnswer) {
        if (state != CLOSED) {
            state = CLOSED;
            channel.close();
        }
        release();
        fail(cause, beforeAnswer);
    }

    private void fail(Throwable cause, boolean beforeAnswer) {
        if (!busy) {
            return;
        }
        busy = false;
        if (kept != null) {
            owner.answerEnded(this, false, status, kept);
        } else {
            owner.failed(this, cause, beforeAnswer);
        }
    }

    private void release() {
        if (in != null) {
            in.release();
            in = null;
        }
        if (pending != null) {
            pending.release();
            pending = null;
        }
    }
}
