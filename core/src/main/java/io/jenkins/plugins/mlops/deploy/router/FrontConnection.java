package io.jenkins.plugins.mlops.deploy.router;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.cookie.Cookie;
import io.netty.handler.codec.http.cookie.ServerCookieDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * One client connection on the proxied path, in netty without an HTTP codec: the request head is
 * parsed lightly ({@link HeadLines}) and forwarded as bytes, less its hop-by-hop headers, on an
 * upstream connection bound to this one ({@link UpstreamLink}); the answer comes back as bytes
 * with a rewritten head. A request this path does not take (the router's own endpoints, chunked
 * or oversized bodies, HTTP/1.0, anything malformed, an Expect or Upgrade) hands the connection,
 * bytes and all, to the Vert.x server behind it ({@link FrontServer#splice}) for the rest of its
 * life. The header, body and idle deadlines are kept by its loop's sweep. Used only on its event loop.
 */
final class FrontConnection extends ChannelInboundHandlerAdapter implements UpstreamLink.Owner {
    private static final int HEAD = 0;
    private static final int BODY = 1;
    private static final int ANSWERING = 2;
    private static final int SPLICED = 3;
    /** Vert.x's server took heads up to 8 KiB of headers and a 4 KiB request line. */
    private static final int MAX_HEAD = 8 * 1024;
    private static final byte[] NOTHING = new byte[0];
    private static final byte[] CRLF = {'\r', '\n'};
    private static final java.util.logging.Logger LOG = java.util.logging.Logger.getLogger(FrontConnection.class.getName());

    private final FrontServer server;
    private final Router router;
    private final FrontLoop loop;
    private final HeadLines head = new HeadLines();
    private final Map<String, UpstreamLink> links = new HashMap<>(4);
    private ChannelHandlerContext ctx;
    private Channel channel;
    private ByteBuf in;
    private int phase = HEAD;
    private long since;
    private boolean counted;
    private boolean inFlight;
    private boolean closeAfter;
    private String method;
    private String target;
    private long contentLength;
    private int requestEnd;
    private String requestId;
    private String variant;
    private long startNanos;
    private long receivedAt;
    private byte[] requestBody;
    private UpstreamLink link;
    /** Whether the request in flight went out on a kept-alive connection, and whether it was sent again after one failed. */
    private boolean onKeptAlive;
    private boolean resent;
    private MirrorLane mirrorLane;
    private AnswerDeadlines.Wait wait;
    private boolean streaming;
    private long unwritableSince;
    private Channel spliced;

    FrontConnection(FrontServer server, FrontLoop loop) {
        this.server = server;
        this.router = server.router();
        this.loop = loop;
    }

    @Override
    public void channelActive(ChannelHandlerContext context) {
        ctx = context;
        channel = context.channel();
        since = System.nanoTime();
        if (!router.connectionOpened()) {
            context.close();
            return;
        }
        counted = true;
        loop.add(this);
    }

    @Override
    public void channelRead(ChannelHandlerContext context, Object msg) {
        ByteBuf bytes = (ByteBuf) msg;
        if (phase == SPLICED) {
            toSplice(bytes);
            return;
        }
        if (in == null) {
            in = context.alloc().buffer(Math.max(1024, bytes.readableBytes()));
        } else if (in.writableBytes() < bytes.readableBytes() && phase == HEAD) {
            in.discardReadBytes();
        }
        in.writeBytes(bytes);
        bytes.release();
        if (phase == ANSWERING && in.readableBytes() > 1 << 20) {
            // Pipelined far ahead of its answers: read more once they are out.
            channel.config().setAutoRead(false);
        }
        process();
    }

    private void process() {
        if (phase == HEAD) {
            if (in == null || !in.isReadable()) {
                return;
            }
            int parsed = head.parse(in, MAX_HEAD);
            if (parsed == 0) {
                return;
            }
            if (parsed < 0 || !takes()) {
                splice();
                return;
            }
            phase = BODY;
            since = System.nanoTime();
            receivedAt = System.currentTimeMillis();
            inFlight = true;
            router.inFlight().incrementAndGet();
        }
        if (phase == BODY && in.writerIndex() - head.end >= contentLength) {
            phase = ANSWERING;
            requestEnd = head.end + (int) contentLength;
            dispatch();
        }
    }

    /** Whether this path takes the request whose head was parsed; else Vert.x gets the connection. */
    private boolean takes() {
        ByteBuf b = in;
        int s = head.lineStart[0];
        int lineEnd = head.startLineEnd;
        int space = b.indexOf(s, lineEnd, (byte) ' ');
        int second = space < 0 ? -1 : b.indexOf(space + 1, lineEnd, (byte) ' ');
        if (space <= s || second < 0 || lineEnd - second != 9 || b.getByte(space + 1) != '/'
                || !"HTTP/1.1".equals(b.toString(second + 1, 8, StandardCharsets.US_ASCII))) {
            return false;
        }
        method = b.toString(s, space - s, StandardCharsets.US_ASCII);
        target = b.toString(space + 1, second - space - 1, StandardCharsets.ISO_8859_1);
        if ("CONNECT".equals(method) || !HttpTokens.isToken(method) || ownEndpoint(target)) {
            return false;
        }
        int host = head.find("host", 0);
        if (host < 0 || head.find("host", host) >= 0 || head.find("transfer-encoding", 0) >= 0 || head.find("expect", 0) >= 0
                || head.find("upgrade", 0) >= 0) {
            return false;
        }
        int length = head.find("content-length", 0);
        if (length >= 0) {
            contentLength = head.number(length);
            if (contentLength < 0 || contentLength > router.config().maxBodyBytes() || head.find("content-length", length) >= 0) {
                return false;
            }
        } else {
            contentLength = 0;
        }
        int connection = head.find("connection", 0);
        closeAfter = connection >= 0 && head.valueHas(connection, "close");
        return true;
    }

    private static boolean ownEndpoint(String target) {
        int query = target.indexOf('?');
        String path = query < 0 ? target : target.substring(0, query);
        return path.equals("/metrics") || path.equals("/feedback") || path.startsWith("/admin/");
    }

    private void dispatch() {
        // The latency clock starts with the request whole, as a mirrored copy's does when it is
        // handed to the shadow's connection: the client's upload time is not the model's.
        startNanos = System.nanoTime();
        requestBody = new byte[(int) contentLength];
        in.getBytes(head.end, requestBody);
        if (router.draining()) {
            // Stopping: served within the grace period, then the connection closes so the client moves elsewhere.
            closeAfter = true;
        }
        requestId = ProxyVerticle.requestId(head.value("x-request-id"));
        variant = router.selector().choose(this::header, this::cookie, router.currentWeights());
        resent = false;
        send(variant);
    }

    private String header(String name) {
        return head.value(name.toLowerCase(Locale.ROOT));
    }

    /** The value of cookie {@code name}, as Vert.x's request read it (netty's strict decoder). */
    String cookie(String name) {
        String header = head.value("cookie");
        if (header == null) {
            return null;
        }
        for (Cookie cookie : ServerCookieDecoder.STRICT.decode(header)) {
            if (cookie.name().equals(name)) {
                return cookie.value();
            }
        }
        return null;
    }

    private void send(String to) {
        Upstream upstream = router.upstream(to);
        UpstreamLink next = links.get(to);
        onKeptAlive = next != null && next.reusable(upstream);
        if (!onKeptAlive) {
            if (next != null) {
                next.close();
            }
            next = new UpstreamLink(this, to, upstream);
            links.put(to, next);
            next.connect(channel.eventLoop(), server.channels(), server.resolver());
        }
        link = next;
        streaming = false;
        wait = loop.deadlines().start();
        wait.sent(next);
        next.send(request(upstream));
    }

    /** The request as the upstream gets it: its head less the hop-by-hop headers, with the id, and its body. */
    private ByteBuf request(Upstream upstream) {
        ByteBuf out = ctx.alloc().buffer(head.end - head.lineStart[0] + (int) contentLength + 128);
        out.writeCharSequence(method, StandardCharsets.US_ASCII);
        out.writeByte(' ');
        out.writeCharSequence(upstream.basePath(), StandardCharsets.ISO_8859_1);
        out.writeCharSequence(target, StandardCharsets.ISO_8859_1);
        out.writeCharSequence(" HTTP/1.1\r\nHost: ", StandardCharsets.US_ASCII);
        out.writeCharSequence(upstream.authority(), StandardCharsets.US_ASCII);
        out.writeBytes(CRLF);
        for (int line = 1; line <= head.headers; line++) {
            if (!HttpTokens.hopByHop(head, line) && !head.nameIs(line, "x-request-id")) {
                out.writeBytes(in, head.lineStart[line], head.lineLength(line));
            }
        }
        out.writeCharSequence("X-Request-Id: ", StandardCharsets.US_ASCII);
        out.writeCharSequence(requestId, StandardCharsets.US_ASCII);
        out.writeCharSequence("\r\ncontent-length: ", StandardCharsets.US_ASCII);
        out.writeCharSequence(Long.toString(contentLength), StandardCharsets.US_ASCII);
        out.writeBytes(CRLF).writeBytes(CRLF);
        out.writeBytes(in, head.end, (int) contentLength);
        return out;
    }

    @Override
    public boolean headRequest() {
        return "HEAD".equals(method);
    }

    // --- the answer, from the link ---

    /** A whole answer (small, or without a body): one write to the client. */
    @Override
    public void answered(UpstreamLink from, HeadLines answer, int status, ByteBuf bytes, int bodyIndex, int bodyLength) {
        if (from != link) {
            return;
        }
        wait.done();
        byte[] body = new byte[bodyLength];
        bytes.getBytes(bodyIndex, body);
        // Recorded, and the copy queued for the mirror, before the client has the answer: whoever
        // reads the windows or waits for a quiet router after it returned sees both.
        Exchange primary = served(variant, status, body, bodyLength);
        boolean mirroring = router.reserveMirrorSlot();
        ByteBuf out = answerHead(answer, status, HttpTokens.bodiless(status, headRequest()) ? -2 : bodyLength, bodyLength);
        out.writeBytes(bytes, bodyIndex, bodyLength);
        write(out, true);
        mirror(primary, mirroring);
        answerDone();
    }

    @Override
    public void answerStarted(UpstreamLink from, HeadLines answer, int status, int framing, long length) {
        if (from != link) {
            return;
        }
        wait.done();
        streaming = true;
        ctx.write(answerHead(answer, status, framing == 1 ? -1 : framing == 0 ? length : -3, 0), ctx.voidPromise());
    }

    @Override
    public void relay(UpstreamLink from, ByteBuf bytes) {
        if (from != link || !channel.isActive()) {
            bytes.release();
            return;
        }
        ctx.write(bytes, ctx.voidPromise());
        if (!channel.isWritable()) {
            from.pause();
        }
    }

    @Override
    public void flush() {
        ctx.flush();
    }

    @Override
    public void answerEnded(UpstreamLink from, boolean whole, int status, BodyCapture kept) {
        if (from != link) {
            return;
        }
        Exchange primary = served(variant, whole ? status : 0, kept.bytes(), kept.length());
        mirror(primary, router.reserveMirrorSlot());
        if (whole) {
            write(Unpooled.EMPTY_BUFFER, true);
            answerDone();
        } else {
            link = null;
            ctx.close();
        }
    }

    /** The request failed; {@code beforeAnswer}: nothing of an answer came, so it may go to the fallback. */
    @Override
    public void failed(UpstreamLink from, Throwable cause, boolean beforeAnswer) {
        if (from != link) {
            return;
        }
        wait.done();
        boolean timeout = wait.expired();
        if (beforeAnswer && !timeout && onKeptAlive && !resent && channel.isActive()) {
            // A kept-alive connection closed with no byte of an answer: the model server closed it
            // idle as the request went out (MLflow's uvicorn after 5 s). Sent once more on a fresh
            // connection, as HTTP clients resend what a stale pooled connection never answered, and
            // as the mirror does for its copies; not counted against the variant.
            resent = true;
            links.remove(variant, from);
            from.close();
            send(variant);
            return;
        }
        String fallback = router.config().fallbackVariant();
        if (beforeAnswer && !timeout && !variant.equals(fallback) && channel.isActive()) {
            // The request never reached a model, so it is safe to send to the fallback; the
            // failure still counts against the variant, so a judge sees it.
            served(variant, 0, NOTHING, 0);
            variant = fallback;
            send(fallback);
            return;
        }
        Exchange primary = served(variant, 0, NOTHING, 0);
        boolean mirroring = router.reserveMirrorSlot();
        if (beforeAnswer) {
            String message = "variant " + variant + (timeout ? " did not answer in time" : " failed: " + cause.getMessage());
            write(error(timeout ? 504 : 502, message), true);
            mirror(primary, mirroring);
            answerDone();
        } else {
            mirror(primary, mirroring);
            link = null;
            ctx.close();
        }
    }

    /** Closes the client's connection after a failure in the router itself, logged. */
    @Override
    public void abort(RuntimeException failure) {
        LOG.log(java.util.logging.Level.WARNING, "router: closing a client connection after an internal failure", failure);
        link = null;
        ctx.close();
    }

    @Override
    public UpstreamTls upstreamTls() {
        return router.upstreamTls();
    }

    @Override
    public void linkClosed(UpstreamLink closed) {
        links.remove(closed.variantName(), closed);
    }

    /** The head the client gets: the upstream's status line and end-to-end headers, the id and variant, and framing. */
    private ByteBuf answerHead(HeadLines answer, int status, long length, int bodyLength) {
        ByteBuf b = answer.buffer;
        int statusLine = answer.lineStart[0] + 8;
        ByteBuf out = ctx.alloc().buffer(answer.end - answer.lineStart[0] + bodyLength + 160);
        out.writeCharSequence("HTTP/1.1", StandardCharsets.US_ASCII);
        out.writeBytes(b, statusLine, answer.startLineEnd - statusLine);
        out.writeBytes(CRLF);
        for (int line = 1; line <= answer.headers; line++) {
            if (!HttpTokens.hopByHop(answer, line) && !answer.nameIs(line, "x-request-id") && !answer.nameIs(line, "x-mlops-variant")) {
                out.writeBytes(b, answer.lineStart[line], answer.lineLength(line));
            }
        }
        out.writeCharSequence("X-Request-Id: ", StandardCharsets.US_ASCII);
        out.writeCharSequence(requestId, StandardCharsets.US_ASCII);
        out.writeCharSequence("\r\nX-Mlops-Variant: ", StandardCharsets.US_ASCII);
        out.writeCharSequence(variant, StandardCharsets.US_ASCII);
        out.writeBytes(CRLF);
        if (length >= 0) {
            out.writeCharSequence("content-length: " + length + "\r\n", StandardCharsets.US_ASCII);
        } else if (length == -1) {
            out.writeCharSequence("transfer-encoding: chunked\r\n", StandardCharsets.US_ASCII);
        } else if (length == -2) {
            // HEAD, 204, 304: the length the upstream declared, if any, and no body.
            int declared = answer.find("content-length", 0);
            if (declared >= 0 && status != 204) {
                out.writeBytes(b, answer.lineStart[declared], answer.lineLength(declared));
            }
        } else {
            // Until the upstream closes: so the client's connection ends with it.
            closeAfter = true;
        }
        if (closeAfter) {
            out.writeCharSequence("connection: close\r\n", StandardCharsets.US_ASCII);
        }
        out.writeBytes(CRLF);
        return out;
    }

    private ByteBuf error(int status, String message) {
        byte[] body;
        try {
            body = (Replies.JSON.writeValueAsString(Map.of("error", message)) + "\n").getBytes(StandardCharsets.UTF_8);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            body = "{\"error\":\"cannot render the answer\"}\n".getBytes(StandardCharsets.UTF_8);
        }
        String reason = io.netty.handler.codec.http.HttpResponseStatus.valueOf(status).reasonPhrase();
        StringBuilder text = new StringBuilder(256).append("HTTP/1.1 ").append(status).append(' ').append(reason)
                .append("\r\nX-Request-Id: ").append(requestId).append("\r\nX-Mlops-Variant: ").append(variant)
                .append("\r\nContent-Type: application/json\r\ncontent-length: ").append(body.length).append("\r\n");
        if (closeAfter) {
            text.append("connection: close\r\n");
        }
        text.append("\r\n");
        ByteBuf out = ctx.alloc().buffer(text.length() + body.length);
        out.writeCharSequence(text, StandardCharsets.US_ASCII);
        out.writeBytes(body);
        return out;
    }

    private void write(ByteBuf out, boolean last) {
        if (last && closeAfter) {
            ctx.writeAndFlush(out).addListener(ChannelFutureListener.CLOSE);
        } else {
            ctx.writeAndFlush(out, ctx.voidPromise());
        }
    }

    /** The answer is out: the connection waits for its next request head from now. */
    private void answerDone() {
        link = null;
        streaming = false;
        requestBody = null;
        if (inFlight) {
            inFlight = false;
            router.inFlight().decrementAndGet();
        }
        phase = HEAD;
        since = System.nanoTime();
        if (!channel.isActive()) {
            release();
            return;
        }
        if (closeAfter) {
            // Requests pipelined behind the last answer are dropped, not served.
            return;
        }
        in.readerIndex(requestEnd);
        if (!in.isReadable()) {
            in.clear();
        }
        if (!channel.config().isAutoRead()) {
            channel.config().setAutoRead(true);
        }
        process();
    }

    private Exchange served(String servedBy, int status, byte[] response, long responseLength) {
        return router.served(requestId, servedBy, receivedAt, startNanos, status, requestBody, response, responseLength);
    }

    /** Sends the shadow a copy of the request as its upstream got it, in the mirror-queue slot reserved for it. */
    private void mirror(Exchange primary, boolean reserved) {
        if (!reserved) {
            return;
        }
        Upstream target = router.sendMirrorCopy();
        if (target == null) {
            return;
        }
        if (mirrorLane == null) {
            mirrorLane = new MirrorLane(server, channel.eventLoop());
        }
        mirrorLane.send(request(target), primary, "HEAD".equals(method), target, loop.mirrorDeadlines().start());
    }

    // --- deadlines ---

    /** Closes the connection past its header, body or idle deadline. */
    void sweep(long now, long headNanos, long bodyNanos, long idleNanos, long upstreamNanos) {
        if (phase == HEAD && now - since > headNanos || phase == BODY && now - since > bodyNanos) {
            ctx.close();
        } else if (phase == ANSWERING && streaming) {
            if (!channel.isWritable() && now - unwritableSince > idleNanos) {
                // The client stopped reading its answer.
                ctx.close();
            } else if (link != null && link.stalled(now, upstreamNanos)) {
                link.close();
            }
        }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext context) {
        boolean writable = channel.isWritable();
        if (phase == SPLICED) {
            if (spliced != null) {
                spliced.config().setAutoRead(writable);
            }
        } else if (!writable) {
            unwritableSince = System.nanoTime();
        } else if (link != null) {
            link.resume();
        }
        context.fireChannelWritabilityChanged();
    }

    @Override
    public void channelInactive(ChannelHandlerContext context) {
        if (counted) {
            counted = false;
            router.connectionClosed();
            loop.remove(this);
        }
        if (link != null && streaming) {
            // The client went away mid-answer: counted as not served, and the upstream connection cannot be reused.
            link.abandon();
        }
        if (inFlight) {
            inFlight = false;
            router.inFlight().decrementAndGet();
        }
        if (spliced != null) {
            spliced.close();
        }
        if (link == null) {
            release();
        }
        // else the answer still comes, is recorded as before, and release() follows in answerDone.
    }

    /** The connection is gone and nothing is in progress: its buffer and upstream connections go too. */
    private void release() {
        for (UpstreamLink open : links.values().toArray(UpstreamLink[]::new)) {
            open.close();
        }
        if (mirrorLane != null) {
            mirrorLane.clientGone();
            mirrorLane = null;
        }
        if (in != null) {
            in.release();
            in = null;
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext context, Throwable cause) {
        context.close();
    }

    // --- the hand-over to Vert.x ---

    private void splice() {
        phase = SPLICED;
        channel.config().setAutoRead(false);
        for (UpstreamLink open : links.values().toArray(UpstreamLink[]::new)) {
            open.close();
        }
        server.splice(this, channel, spliced -> {
            this.spliced = spliced;
            ByteBuf held = in;
            in = null;
            spliced.writeAndFlush(held, spliced.voidPromise());
            channel.config().setAutoRead(true);
        });
    }

    private void toSplice(ByteBuf bytes) {
        if (spliced == null) {
            in.writeBytes(bytes);
            bytes.release();
            return;
        }
        spliced.writeAndFlush(bytes, spliced.voidPromise());
        if (!spliced.isWritable()) {
            channel.config().setAutoRead(false);
        }
    }
}
