package io.jenkins.plugins.mlops.deploy.router;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFactory;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.resolver.AddressResolverGroup;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.EventExecutor;
import io.vertx.core.impl.VertxInternal;
import io.vertx.core.spi.transport.Transport;
import java.net.InetSocketAddress;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The router's listening socket: a netty server of its own on the transport Vert.x chose (epoll
 * where there is one), with its own event loops, serving the proxied path ({@link FrontConnection}).
 * Connections it does not serve itself are spliced, byte for byte, to the Vert.x server listening
 * on loopback behind it, which keeps the admin API, /metrics, /feedback and every request the
 * light parse does not take.
 */
final class FrontServer implements AutoCloseable {
    private final Router router;
    private final Transport transport;
    private final EventLoopGroup acceptor;
    private final EventLoopGroup loops;
    private final ChannelFactory<? extends Channel> channels;
    private final Map<EventExecutor, FrontLoop> perLoop = new IdentityHashMap<>();
    private final InetSocketAddress behind;
    private final AddressResolverGroup<InetSocketAddress> resolver;
    private Channel server;

    FrontServer(Router router, VertxInternal vertx, int eventLoops, InetSocketAddress behind) {
        this.router = router;
        this.behind = behind;
        this.transport = vertx.transport();
        this.acceptor = transport.eventLoopGroup(Transport.ACCEPTOR_EVENT_LOOP_GROUP, 1,
                new DefaultThreadFactory("mlops-router-accept", true), 100);
        this.loops = transport.eventLoopGroup(Transport.IO_EVENT_LOOP_GROUP, eventLoops,
                new DefaultThreadFactory("mlops-router-loop", true), 50);
        this.channels = transport.channelFactory(false);
        // Vert.x's asynchronous DNS: a model server's name is never looked up on an event loop's thread.
        this.resolver = vertx.nettyAddressResolverGroup();
        RouterConfig config = router.config();
        ConnectionLimits limits = config.limits();
        // Waiting for a slow model moves no byte on the client's connection: that is not idleness.
        long idleNanos = TimeUnit.MILLISECONDS.toNanos(Math.max(limits.idleTimeout().toMillis(),
                config.upstreamTimeout().toMillis() + 1_000));
        long sweepMillis = Math.max(50, Math.min(1_000, Math.min(Math.min(limits.headerTimeout().toMillis(),
                limits.bodyTimeout().toMillis()) / 4, idleNanos / 4_000_000)));
        for (EventExecutor loop : loops) {
            FrontLoop state = new FrontLoop(config.upstreamTimeout().toMillis(), config.mirrorTimeout().toMillis());
            perLoop.put(loop, state);
            for (AnswerDeadlines deadlines : new AnswerDeadlines[] {state.deadlines(), state.mirrorDeadlines()}) {
                long deadlineMillis = deadlines.sweepMillis();
                loop.scheduleAtFixedRate(() -> deadlines.sweep(System.nanoTime()), deadlineMillis, deadlineMillis,
                        TimeUnit.MILLISECONDS);
            }
            loop.scheduleAtFixedRate(() -> state.sweep(limits, idleNanos), sweepMillis, sweepMillis, TimeUnit.MILLISECONDS);
        }
    }

    /** Listens; the port it got. */
    int bind(String host, int port) {
        ServerBootstrap bootstrap = new ServerBootstrap().group(acceptor, loops).channelFactory(transport.serverChannelFactory(false))
                .option(ChannelOption.SO_REUSEADDR, true).childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<>() {
                    @Override
                    protected void initChannel(Channel channel) {
                        channel.pipeline().addLast(new FrontConnection(FrontServer.this, perLoop.get(channel.eventLoop())));
                    }
                });
        server = bootstrap.bind(host, port).syncUninterruptibly().channel();
        return ((InetSocketAddress) server.localAddress()).getPort();
    }

    Router router() {
        return router;
    }

    ChannelFactory<? extends Channel> channels() {
        return channels;
    }

    AddressResolverGroup<InetSocketAddress> resolver() {
        return resolver;
    }

    EventLoopGroup acceptors() {
        return acceptor;
    }

    EventLoopGroup loops() {
        return loops;
    }

    /**
     * Connects {@code client} to the Vert.x server behind; {@code connected} gets the new channel, or
     * the client is closed. The connection is bound to a loopback port first and that port told to
     * the server ({@link Handovers}) before it connects, so the server knows it as the front's.
     */
    void splice(FrontConnection connection, Channel client, Consumer<Channel> connected) {
        Handovers handovers = router.handovers();
        new Bootstrap().group(client.eventLoop()).channelFactory(channels).option(ChannelOption.TCP_NODELAY, true)
                .handler(new SpliceBack(client)).bind(Handovers.HOST, 0).addListener((ChannelFuture bound) -> {
                    if (!bound.isSuccess()) {
                        bound.channel().close();
                        client.close();
                        return;
                    }
                    int port = ((InetSocketAddress) bound.channel().localAddress()).getPort();
                    handovers.expect(port);
                    bound.channel().connect(behind).addListener((ChannelFuture done) -> {
                        if (done.isSuccess() && client.isActive()) {
                            connected.accept(done.channel());
                        } else {
                            handovers.cancel(port);
                            done.channel().close();
                            client.close();
                        }
                    });
                });
    }

    /** Stops accepting; the connections stay until {@link #close()}. */
    void stopListening() {
        if (server != null) {
            server.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
        }
    }

    /** Closes every connection and ends the threads; after Vert.x's close, whose DNS resolvers live on these loops. */
    @Override
    public void close() {
        stopListening();
        acceptor.shutdownGracefully(0, 1, TimeUnit.SECONDS);
        loops.shutdownGracefully(0, 1, TimeUnit.SECONDS);
        acceptor.terminationFuture().awaitUninterruptibly(5, TimeUnit.SECONDS);
        loops.terminationFuture().awaitUninterruptibly(5, TimeUnit.SECONDS);
    }

    /** The Vert.x side of a spliced connection: its bytes go to the client, with backpressure both ways. */
    private static final class SpliceBack extends ChannelInboundHandlerAdapter {
        private final Channel client;

        SpliceBack(Channel client) {
            this.client = client;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            client.writeAndFlush((ByteBuf) msg, client.voidPromise());
            if (!client.isWritable()) {
                ctx.channel().config().setAutoRead(false);
            }
        }

        @Override
        public void channelWritabilityChanged(ChannelHandlerContext ctx) {
            client.config().setAutoRead(ctx.channel().isWritable());
            ctx.fireChannelWritabilityChanged();
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            client.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }
}
