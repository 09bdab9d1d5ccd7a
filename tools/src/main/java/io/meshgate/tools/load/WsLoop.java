package io.meshgate.tools.load;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * One selector thread driving many {@link WsConn}s. Everything a connection does happens on its loop's thread;
 * other threads hand work over with {@link #execute}. Output is flushed once per loop turn, so the frames produced
 * while handling one read go out in one write.
 */
public final class WsLoop implements Runnable {

    static final int MAX_FRAME = 1 << 20;

    final Selector selector;
    /** Shared by every connection of this loop: reads happen one connection at a time. */
    final ByteBuffer readBuffer = ByteBuffer.allocate(MAX_FRAME + 64 * 1024);
    private final Queue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    private final List<WsConn> dirty = new ArrayList<>();
    private final Thread thread;
    private volatile boolean running = true;

    public WsLoop(String name) throws IOException {
        selector = Selector.open();
        thread = new Thread(this, name);
        thread.setDaemon(true);
        thread.start();
    }

    public void execute(Runnable task) {
        tasks.add(task);
        selector.wakeup();
    }

    void markDirty(WsConn conn) {
        dirty.add(conn);
    }

    @Override
    public void run() {
        while (running) {
            try {
                selector.select(100);
                Runnable task;
                while ((task = tasks.poll()) != null) {
                    task.run();
                }
                for (SelectionKey key : selector.selectedKeys()) {
                    WsConn conn = (WsConn) key.attachment();
                    conn.ready(key);
                }
                selector.selectedKeys().clear();
                flushDirty();
            } catch (Throwable t) {
                System.err.println(thread.getName() + ": " + t);
            }
        }
        // Work handed over just before stop() (the clients' closes) still runs: a loop that stopped between its
        // check and the hand-over would leave those sockets open, and the server would wait out its ping timeout.
        Runnable task;
        while ((task = tasks.poll()) != null) {
            task.run();
        }
        flushDirty();
    }

    private void flushDirty() {
        // the list may grow while flushing (a close reply); the index loop picks those up too
        for (int i = 0; i < dirty.size(); i++) {
            dirty.get(i).flush();
        }
        dirty.clear();
    }

    public void stop() {
        running = false;
        selector.wakeup();
        try {
            thread.join(2_000);
            selector.close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException ignored) {
            // closing anyway
        }
    }
}
