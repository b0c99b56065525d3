package org.varec.server;

import java.nio.file.Path;
import java.util.List;

/** A server in its own process, for the kill -9 test: {@code ServeMain MODEL FEEDBACK_LOG TOKEN}; prints its port. */
public final class ServeMain {
    private ServeMain() {
    }

    public static void main(String[] args) throws Exception {
        VarecServer s = VarecServer.start(new VarecServer.Options("127.0.0.1", 0, List.of(Path.of(args[0])), args[2],
                Path.of(args[1])));
        System.out.println("port " + s.port());
        System.out.flush();
        Thread.currentThread().join();
    }
}
