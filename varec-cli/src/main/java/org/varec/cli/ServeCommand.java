package org.varec.cli;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.varec.server.VarecServer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code varec serve}: trained models over HTTP with a web page (docs/server.md). */
@Command(name = "serve", mixinStandardHelpOptions = true,
        description = {"Serve trained models over HTTP (JSON API under /v1, a web page at /), until stopped (Ctrl-C).",
                "Binds to 127.0.0.1 unless --host says otherwise. See docs/server.md."})
final class ServeCommand implements Callable<Integer> {
    @Option(names = "--model", required = true, paramLabel = "FILE",
            description = "A model file (repeatable); the first is the default. Its name is the file name without .varec.")
    List<Path> models;

    @Option(names = "--port", defaultValue = "8080", paramLabel = "PORT", description = "Port (default: ${DEFAULT-VALUE}; 0: any free port).")
    int port;

    @Option(names = "--host", defaultValue = "127.0.0.1", paramLabel = "HOST",
            description = "Interface to bind (default: ${DEFAULT-VALUE}, loopback only; 0.0.0.0 for every interface).")
    String host;

    @Option(names = "--token-file", paramLabel = "FILE",
            description = "File holding the bearer token required by reload (and by feedback when set).")
    Path tokenFile;

    @Option(names = "--feedback", paramLabel = "LOG",
            description = "Append-only log of POST /v1/feedback ratings (fsync'ed, replayed at start); off without it.")
    Path feedback;

    @Override
    public Integer call() throws Exception {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("--port must be in [0, 65535], got " + port);
        }
        String token = null;
        if (tokenFile != null) {
            token = Files.readString(tokenFile, StandardCharsets.UTF_8).strip();
            if (token.length() < 16) {
                throw new IllegalArgumentException(tokenFile + ": the token must be at least 16 characters");
            }
        }
        VarecServer server = VarecServer.start(new VarecServer.Options(host, port, models, token, feedback));
        Runtime.getRuntime().addShutdownHook(new Thread(server::close));
        System.err.printf("varec serving %s at http://%s:%d/ (Ctrl-C to stop)%n", String.join(", ", server.modelNames()),
                host.contains(":") ? "[" + host + "]" : host, server.port());
        new CountDownLatch(1).await();
        return 0;
    }
}
