package org.varec.server;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.varec.io.ModelFile;
import org.varec.model.FactorModel;
import org.varec.model.Predictive;
import org.varec.model.ProbabilisticModel;
import org.varec.model.RatingModel;
import org.varec.model.TrainedModel;
import org.varec.model.UserState;
import org.varec.recommend.ItemFactors;
import org.varec.recommend.Recommendation;
import org.varec.recommend.TopN;
import org.varec.stats.Normal;
import org.varec.stats.Rng;

/**
 * {@code varec serve}: trained models over HTTP (Javalin on Jetty), JSON in and out, and a small
 * web page for new users. Every answer to a bad request is a 4xx with a JSON body
 * {@code {"error": "...", "status": N}}; nothing ever answers with a stack trace. The server binds
 * to loopback unless told otherwise. docs/server.md lists every endpoint with examples.
 *
 * <p>Concurrency: each model sits in a {@link ConcurrentHashMap} slot holding an immutable
 * {@link ServedModel}; a request reads its slot once, so a reload (which swaps the slot) never
 * changes a model under a running request, and in-flight requests finish on the old one. Models
 * are read-only and thread-safe for reading ({@link RatingModel}).
 */
public final class VarecServer implements AutoCloseable {
    /** Largest request body accepted (bytes); larger bodies get 413. */
    public static final long MAX_BODY_BYTES = 1 << 20;
    /** Most items a list may ask for ({@code k}, {@code n}). */
    public static final int MAX_K = 1000;
    /** Most pairs of one {@code /v1/predict} call, and most ratings of one fold-in. */
    public static final int MAX_BATCH = 10_000;
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * @param host     interface to bind ({@code 127.0.0.1} unless told otherwise)
     * @param port     port (0: any free one)
     * @param models   model files; the first is the default model
     * @param token    bearer token of the mutating endpoints, or null (then reload is refused and
     *                 feedback is open)
     * @param feedback the feedback log, or null for none (feedback then answers 404)
     */
    public record Options(String host, int port, List<Path> models, String token, Path feedback) {
        public Options {
            models = List.copyOf(models);
            if (models.isEmpty()) {
                throw new IllegalArgumentException("serve needs at least one --model");
            }
        }
    }

    private final Options options;
    private final Map<String, ServedModel> models = new ConcurrentHashMap<>();
    private final List<String> order = new ArrayList<>();
    private final AtomicBoolean ready = new AtomicBoolean();
    private final PrometheusMeterRegistry metrics = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final Path modelDir;
    private FeedbackLog feedbackLog;
    private Javalin app;

    private VarecServer(Options options) {
        this.options = options;
        // heap, GC, threads and CPU beside the request figures
        new io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics().bindTo(metrics);
        new io.micrometer.core.instrument.binder.jvm.JvmGcMetrics().bindTo(metrics);
        new io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics().bindTo(metrics);
        new io.micrometer.core.instrument.binder.system.ProcessorMetrics().bindTo(metrics);
        this.modelDir = options.models().get(0).toAbsolutePath().normalize().getParent();
    }

    /** Starts listening at once (so /health and /ready answer), then loads the models; returns when they are loaded. */
    public static VarecServer start(Options options) throws IOException {
        VarecServer s = new VarecServer(options);
        s.app = Javalin.create(config -> {
            config.jetty.host = options.host();
            config.jetty.port = options.port();
            config.http.maxRequestSize = MAX_BODY_BYTES;
            config.startup.showJavalinBanner = false;
            s.routes(config.routes);
        }).start();
        try {
            s.load();
        } catch (IOException | RuntimeException e) {
            s.close();
            throw e;
        }
        return s;
    }

    /** The port listened on. */
    public int port() {
        return app.port();
    }

    /** The names of the served models, the default first. */
    public List<String> modelNames() {
        return List.copyOf(order);
    }

    private void load() throws IOException {
        for (Path f : options.models()) {
            long t0 = System.nanoTime();
            TrainedModel m = ModelFile.load(f);
            double seconds = (System.nanoTime() - t0) / 1e9;
            String name = name(f);
            if (models.containsKey(name)) {
                throw new IllegalArgumentException("two models named " + name + " (" + f + ")");
            }
            models.put(name, ServedModel.of(name, f, m, seconds));
            order.add(name);
            metrics.gauge("varec_model_load_seconds", List.of(io.micrometer.core.instrument.Tag.of("model", name)),
                    seconds);
        }
        if (options.feedback() != null) {
            for (org.varec.data.io.FeedbackRatings.Entry e : org.varec.data.io.FeedbackRatings.read(options.feedback())) {
                ServedModel m = models.get(e.model());
                int item = m == null ? -1 : m.model().items().indexOf(e.item());
                if (item >= 0) {
                    m.addFeedback(e.user(), item, e.rating());
                }
            }
            feedbackLog = new FeedbackLog(options.feedback());
        }
        ready.set(true);
    }

    static String name(Path f) {
        String n = f.getFileName().toString();
        return n.endsWith(".varec") ? n.substring(0, n.length() - ".varec".length()) : n;
    }

    @Override
    public void close() {
        if (app != null) {
            app.stop();
        }
        try {
            if (feedbackLog != null) {
                feedbackLog.close();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    // ---------------------------------------------------------------- routes

    private void routes(io.javalin.config.RoutesConfig r) {
        r.get("/health", timed("/health", ctx -> json(ctx, Map.of("status", "up"))));
        r.get("/ready", timed("/ready", ctx -> {
            if (!ready.get()) {
                throw new ApiException(503, "models are loading");
            }
            json(ctx, Map.of("status", "ready", "models", order));
        }));
        r.get("/metrics", ctx -> ctx.contentType("text/plain; version=0.0.4").result(metrics.scrape()));
        r.get("/v1/models", timed("/v1/models", this::listModels));
        r.get("/v1/users/{id}/recommendations", timed("/v1/users/{id}/recommendations", this::recommendations));
        r.post("/v1/recommendations/fold-in", timed("/v1/recommendations/fold-in", this::foldIn));
        r.post("/v1/predict", timed("/v1/predict", this::predict));
        r.get("/v1/items/polarizing", timed("/v1/items/polarizing", this::polarizing));
        r.get("/v1/items/{id}/similar", timed("/v1/items/{id}/similar", this::similar));
        r.post("/v1/elicit/next", timed("/v1/elicit/next", this::elicitNext));
        r.post("/v1/feedback", timed("/v1/feedback", this::feedback));
        r.post("/v1/models/{name}/reload", timed("/v1/models/{name}/reload", this::reload));
        r.get("/", ctx -> resource(ctx, "index.html", "text/html; charset=utf-8"));
        r.get("/app.js", ctx -> resource(ctx, "app.js", "text/javascript; charset=utf-8"));
        r.get("/style.css", ctx -> resource(ctx, "style.css", "text/css; charset=utf-8"));
        r.exception(ApiException.class, (e, ctx) -> error(ctx, e.status(), e.getMessage()));
        r.exception(Exception.class, (e, ctx) -> {
            System.err.println("varec serve: internal error on " + ctx.method() + " " + ctx.path() + ": " + e);
            error(ctx, 500, "internal error");
        });
        r.error(404, "*", ctx -> {
            if (ctx.result() == null || !ctx.result().startsWith("{")) {
                error(ctx, 404, "no such endpoint: " + ctx.method() + " " + ctx.path());
            }
        });
        r.error(405, "*", ctx -> error(ctx, 405, "method " + ctx.method() + " not allowed on " + ctx.path()));
        r.error(413, "*", ctx -> error(ctx, 413, "request body over " + MAX_BODY_BYTES + " bytes"));
    }

    /** Counts and times a route (Prometheus histogram {@code varec_http_requests_seconds}) by route and status. */
    private Handler timed(String route, Handler h) {
        return ctx -> {
            long t0 = System.nanoTime();
            int status = 500;
            try {
                h.handle(ctx);
                status = ctx.statusCode();
            } catch (ApiException e) {
                status = e.status();
                throw e;
            } finally {
                Timer.builder("varec_http_requests").tag("route", route).tag("method", ctx.method().name())
                        .tag("status", Integer.toString(status)).publishPercentileHistogram()
                        .register(metrics).record(System.nanoTime() - t0, java.util.concurrent.TimeUnit.NANOSECONDS);
            }
        };
    }

    private static void resource(Context ctx, String name, String type) throws IOException {
        try (InputStream in = VarecServer.class.getResourceAsStream("web/" + name)) {
            if (in == null) {
                throw ApiException.notFound("no page " + name);
            }
            ctx.contentType(type).result(in.readAllBytes());
        }
    }

    private static void json(Context ctx, Object body) throws JsonProcessingException {
        ctx.contentType("application/json").result(JSON.writeValueAsString(body));
    }

    private static void error(Context ctx, int status, String message) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("error", message);
        m.put("status", status);
        try {
            ctx.status(status).contentType("application/json").result(JSON.writeValueAsString(m));
        } catch (JsonProcessingException e) {
            ctx.status(status).result("{\"error\":\"internal error\",\"status\":" + status + "}");
        }
    }

    // ---------------------------------------------------------------- request parts

    private ServedModel model(Context ctx, JsonNode body) {
        String name = ctx.queryParam("model");
        if (name == null && body != null && body.hasNonNull("model")) {
            name = body.get("model").asText();
        }
        if (!ready.get()) {
            throw new ApiException(503, "models are loading");
        }
        if (name == null) {
            return models.get(order.get(0));
        }
        ServedModel m = models.get(name);
        if (m == null) {
            throw ApiException.notFound("unknown model '" + printable(name) + "'; served: " + String.join(", ", order));
        }
        return m;
    }

    private static JsonNode body(Context ctx) {
        byte[] b = ctx.bodyAsBytes();
        if (b.length == 0) {
            throw ApiException.badRequest("empty body: a JSON object is expected");
        }
        try {
            JsonNode n = JSON.readTree(b);
            if (n == null || !n.isObject()) {
                throw ApiException.badRequest("the body must be a JSON object");
            }
            return n;
        } catch (IOException e) {
            throw ApiException.badRequest("malformed JSON: " + firstLine(e.getMessage()));
        }
    }

    private static int intParam(Context ctx, JsonNode body, String name, int dflt, int min, int max) {
        String s = ctx.queryParam(name);
        if (s == null && body != null && body.has(name)) {
            JsonNode v = body.get(name);
            if (!v.isIntegralNumber()) {
                throw ApiException.badRequest(name + " must be an integer, got " + printable(v.toString()));
            }
            s = v.asText();
        }
        if (s == null) {
            return dflt;
        }
        long v;
        try {
            v = Long.parseLong(s.trim());
        } catch (NumberFormatException e) {
            throw ApiException.badRequest(name + " must be an integer, got '" + printable(s) + "'");
        }
        if (v < min || v > max) {
            throw ApiException.badRequest(name + " must be in [" + min + ", " + max + "], got " + v);
        }
        return (int) v;
    }

    private static double doubleParam(Context ctx, String name, double dflt, double min, double max) {
        String s = ctx.queryParam(name);
        if (s == null) {
            return dflt;
        }
        double v;
        try {
            v = Double.parseDouble(s.trim());
        } catch (NumberFormatException e) {
            throw ApiException.badRequest(name + " must be a number, got '" + printable(s) + "'");
        }
        if (!(v >= min && v <= max)) {
            throw ApiException.badRequest(name + " must be in [" + min + ", " + max + "], got " + s);
        }
        return v;
    }

    private static boolean boolParam(Context ctx, String name, boolean dflt) {
        String s = ctx.queryParam(name);
        if (s == null) {
            return dflt;
        }
        return switch (s.trim().toLowerCase(java.util.Locale.ROOT)) {
            case "true", "1", "yes" -> true;
            case "false", "0", "no" -> false;
            default -> throw ApiException.badRequest(name + " must be true or false, got '" + printable(s) + "'");
        };
    }

    private static String text(JsonNode node, String field, String what) {
        JsonNode v = node == null ? null : node.get(field);
        if (v == null || v.isNull()) {
            throw ApiException.badRequest(what + " needs \"" + field + "\"");
        }
        if (!v.isTextual() && !v.isNumber()) {
            throw ApiException.badRequest("\"" + field + "\" must be a string or a number, got " + printable(v.toString()));
        }
        String s = v.asText();
        if (s.isEmpty() || s.length() > 200 || s.chars().anyMatch(c -> c == '\t' || c == '\n' || c == '\r')) {
            throw ApiException.badRequest("\"" + field + "\" must be 1-200 characters without tabs or line breaks");
        }
        return s;
    }

    private static float rating(JsonNode node, String field) {
        JsonNode v = node.get(field);
        if (v == null || !v.isNumber() || !Double.isFinite(v.asDouble())) {
            throw ApiException.badRequest("\"" + field + "\" must be a finite number, got "
                    + (v == null ? "nothing" : printable(v.toString())));
        }
        return (float) v.asDouble();
    }

    private static JsonNode array(JsonNode body, String field, int max) {
        JsonNode a = body.get(field);
        if (a == null || !a.isArray()) {
            throw ApiException.badRequest("\"" + field + "\" must be an array");
        }
        if (a.size() > max) {
            throw ApiException.badRequest("\"" + field + "\" holds " + a.size() + " entries; at most " + max);
        }
        return a;
    }

    /** Non-printable characters of client input shown as \\uXXXX, and long input cut. */
    static String printable(String s) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < s.length() && i < 100; i++) {
            char c = s.charAt(i);
            if (c < 0x20 || c == 0x7f || Character.isISOControl(c)) {
                b.append(String.format("\\u%04x", (int) c));
            } else {
                b.append(c);
            }
        }
        return s.length() > 100 ? b + "..." : b.toString();
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "";
        }
        int i = s.indexOf('\n');
        return printable(i < 0 ? s : s.substring(0, i));
    }

    // ---------------------------------------------------------------- endpoints

    private void listModels(Context ctx) throws JsonProcessingException {
        List<Map<String, Object>> out = new ArrayList<>();
        for (String n : order) {
            ServedModel m = models.get(n);
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("name", n);
            row.put("default", n.equals(order.get(0)));
            row.put("algorithm", m.model().algorithm());
            row.put("config", m.model().config().toMap());
            row.put("users", m.model().users().size());
            row.put("items", m.model().items().size());
            row.put("bayesian", m.bayesian());
            row.put("item_vectors", m.model().model() instanceof FactorModel);
            double lo = m.model().scale().min();
            double hi = m.model().scale().max();
            // an unbounded scale (a delimited file read without --scale) is null: JSON has no infinity
            row.put("scale", Double.isFinite(lo) && Double.isFinite(hi) ? List.of(lo, hi) : null);
            row.put("provenance", JSON.valueToTree(m.model().provenance()));
            row.put("load_seconds", m.loadSeconds());
            out.add(row);
        }
        json(ctx, Map.of("models", out));
    }

    private void recommendations(Context ctx) throws JsonProcessingException {
        ServedModel m = model(ctx, null);
        String user = ctx.pathParam("id");
        int k = intParam(ctx, null, "k", 10, 1, MAX_K);
        double alpha = doubleParam(ctx, "alpha", org.varec.recommend.RankingScore.DEFAULT_ALPHA, 0, 1);
        boolean excludeSeen = boolParam(ctx, "exclude_seen", true);
        ServedModel.Feedback fb = m.feedback().get(user);
        int u = m.model().users().indexOf(user);
        if (u < 0 && fb == null) {
            throw ApiException.notFound("unknown user '" + printable(user) + "' in model " + m.name()
                    + "; fold in a new user with POST /v1/recommendations/fold-in");
        }
        UserState state = fb != null ? fb.state() : m.model().model().user(u);
        java.util.Set<Integer> exclude = new java.util.HashSet<>();
        if (excludeSeen) {
            if (u >= 0 && m.model().seen() != null) {
                for (int i : m.model().seen().of(u)) {
                    exclude.add(i);
                }
            }
            if (fb != null) {
                exclude.addAll(fb.ratings().keySet());
            }
        }
        json(ctx, Map.of("model", m.name(), "user", user, "items", list(m, state, k, alpha, exclude)));
    }

    private List<Map<String, Object>> list(ServedModel m, UserState state, int k, double alpha, Set<Integer> exclude) {
        int[] ex = exclude.stream().mapToInt(Integer::intValue).sorted().toArray();
        List<Recommendation> recs = TopN.recommend(m.model().model(), state, k, ex, alpha);
        List<Map<String, Object>> items = new ArrayList<>();
        for (Recommendation r : recs) {
            Map<String, Object> row = item(m, r.item());
            row.put("score", r.score());
            putPrediction(m, state, r.item(), row);
            items.add(row);
        }
        return items;
    }

    private static Map<String, Object> item(ServedModel m, int i) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("item", m.model().items().externalId(i));
        row.put("title", m.model().title(i));
        return row;
    }

    /** Predicted rating (clamped), and for Bayesian models the predictive sd and 90% interval. */
    private static void putPrediction(ServedModel m, UserState state, int item, Map<String, Object> row) {
        RatingModel model = m.model().model();
        row.put("rating", m.model().scale().clamp(model.predict(state, item)));
        if (model instanceof ProbabilisticModel pm) {
            Predictive p = pm.predictive(state, item);
            double z = Normal.quantile(0.95);
            row.put("sd", p.sd());
            row.put("lower", p.mean() - z * p.sd());
            row.put("upper", p.mean() + z * p.sd());
        }
    }

    private void foldIn(Context ctx) throws JsonProcessingException {
        JsonNode body = body(ctx);
        ServedModel m = model(ctx, body);
        int k = intParam(ctx, body, "k", 10, 1, MAX_K);
        JsonNode ratings = array(body, "ratings", MAX_BATCH);
        List<Integer> items = new ArrayList<>();
        List<Float> values = new ArrayList<>();
        List<String> unknown = new ArrayList<>();
        for (JsonNode r : ratings) {
            if (!r.isObject()) {
                throw ApiException.badRequest("each rating must be an object {\"item\": ..., \"rating\": ...}");
            }
            String id = text(r, "item", "a rating");
            float v = rating(r, "rating");
            int i = m.model().items().indexOf(id);
            if (i < 0) {
                unknown.add(id);
                continue;
            }
            items.add(i);
            values.add(v);
        }
        UserState s = foldIn(m, items, values);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("model", m.name());
        out.put("used", items.size());
        out.put("unknown_items", unknown);
        out.put("items", list(m, s, k, doubleParam(ctx, "alpha", org.varec.recommend.RankingScore.DEFAULT_ALPHA, 0, 1),
                new java.util.HashSet<>(items)));
        json(ctx, out);
    }

    private static UserState foldIn(ServedModel m, List<Integer> items, List<Float> values) {
        int[] it = new int[items.size()];
        float[] v = new float[items.size()];
        for (int j = 0; j < it.length; j++) {
            it[j] = items.get(j);
            v[j] = values.get(j);
        }
        try {
            return m.model().model().foldIn(it, v);
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest(firstLine(e.getMessage()));
        }
    }

    private void predict(Context ctx) throws JsonProcessingException {
        JsonNode body = body(ctx);
        ServedModel m = model(ctx, body);
        JsonNode pairs = array(body, "pairs", MAX_BATCH);
        List<Map<String, Object>> out = new ArrayList<>(pairs.size());
        for (JsonNode p : pairs) {
            if (!p.isObject()) {
                throw ApiException.badRequest("each pair must be an object {\"user\": ..., \"item\": ...}");
            }
            String user = text(p, "user", "a pair");
            String item = text(p, "item", "a pair");
            int u = m.model().users().indexOf(user);
            int i = m.model().items().indexOf(item);
            ServedModel.Feedback fb = m.feedback().get(user);
            UserState s = fb != null ? fb.state() : m.model().model().user(u);
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("user", user);
            row.put("item", item);
            row.put("known_user", u >= 0 || fb != null);
            row.put("known_item", i >= 0);
            putPrediction(m, s, i, row);
            out.add(row);
        }
        json(ctx, Map.of("model", m.name(), "predictions", out));
    }

    private FactorModel factors(ServedModel m) {
        if (!(m.model().model() instanceof FactorModel f)) {
            throw ApiException.badRequest("model " + m.name() + " (" + m.model().algorithm()
                    + ") has no item vectors; similar and polarizing items need a factor model (als, vbmf, bpmf, svd, ...)");
        }
        return f;
    }

    private void similar(Context ctx) throws JsonProcessingException {
        ServedModel m = model(ctx, null);
        int k = intParam(ctx, null, "k", 10, 1, MAX_K);
        String id = ctx.pathParam("id");
        int i = m.model().items().indexOf(id);
        if (i < 0) {
            throw ApiException.notFound("unknown item '" + printable(id) + "' in model " + m.name());
        }
        List<Map<String, Object>> items = new ArrayList<>();
        for (Recommendation r : ItemFactors.similar(factors(m), i, k)) {
            Map<String, Object> row = item(m, r.item());
            row.put("cosine", r.score());
            items.add(row);
        }
        json(ctx, Map.of("model", m.name(), "item", id, "title", m.model().title(i), "items", items));
    }

    private void polarizing(Context ctx) throws JsonProcessingException {
        ServedModel m = model(ctx, null);
        int k = intParam(ctx, null, "k", 10, 1, MAX_K);
        int minRatings = intParam(ctx, null, "min_ratings", 20, 0, Integer.MAX_VALUE);
        int[] counts = m.model().seen() == null ? new int[m.model().items().size()]
                : ItemFactors.counts(m.model().seen(), m.model().items().size());
        List<Map<String, Object>> items = new ArrayList<>();
        for (Recommendation r : ItemFactors.polarizing(factors(m), counts, minRatings, k, true)) {
            Map<String, Object> row = item(m, r.item());
            row.put("norm", r.score());
            row.put("ratings", counts[r.item()]);
            items.add(row);
        }
        json(ctx, Map.of("model", m.name(), "items", items));
    }

    /**
     * The next items to ask a visitor about, given their answers so far. For a Bayesian model the
     * choice is the elicitation library's ({@link org.varec.elicit.ElicitationSession}, the same
     * code as {@code varec elicit}): strategies {@code variance} (default), {@code mean},
     * {@code entropy} (classification models), {@code random} and {@code popular}, among the
     * {@code candidates} (200) most-rated items plus whatever the visitor answered. Any model can
     * use {@code popular} and {@code random}.
     */
    private void elicitNext(Context ctx) throws JsonProcessingException {
        JsonNode body = body(ctx);
        ServedModel m = model(ctx, body);
        int n = intParam(ctx, body, "n", 4, 1, MAX_K);
        int candidates = intParam(ctx, body, "candidates", 200, 1, Integer.MAX_VALUE);
        String name = body.hasNonNull("strategy") ? body.get("strategy").asText() : "variance";
        org.varec.elicit.Strategy strategy;
        try {
            strategy = org.varec.elicit.Strategy.parse(name);
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest(firstLine(e.getMessage()));
        }
        JsonNode answers = body.has("answers") ? array(body, "answers", MAX_BATCH) : JSON.createArrayNode();
        java.util.LinkedHashMap<Integer, Float> answered = new java.util.LinkedHashMap<>();
        for (JsonNode a : answers) {
            if (!a.isObject()) {
                throw ApiException.badRequest("each answer must be an object {\"item\": ..., \"rating\": ...}");
            }
            int i = m.model().items().indexOf(text(a, "item", "an answer"));
            float v = rating(a, a.has("rating") ? "rating" : "label");
            if (i >= 0) {
                answered.put(i, v);
            }
        }
        java.util.TreeSet<Integer> excluded = new java.util.TreeSet<>();
        if (body.has("exclude")) {
            for (JsonNode x : array(body, "exclude", MAX_BATCH)) {
                int i = m.model().items().indexOf(x.asText());
                if (i >= 0 && !answered.containsKey(i)) {
                    excluded.add(i);
                }
            }
        }
        int numItems = m.model().items().size();
        double[] popularity = org.varec.elicit.LiveElicitation.popularity(m.model().seen(), numItems);
        java.util.TreeSet<Integer> pool = new java.util.TreeSet<>();
        for (int i : TopN.select(popularity, Math.min(candidates, numItems), null)) {
            pool.add(i);
        }
        pool.addAll(answered.keySet());
        pool.addAll(excluded);
        int[] cand = pool.stream().mapToInt(Integer::intValue).toArray();
        int[] next;
        double[] keys;
        if (m.model().model() instanceof ProbabilisticModel pm) {
            boolean classification = org.varec.elicit.LiveElicitation.isClassification(m.model().config());
            if (strategy == org.varec.elicit.Strategy.ENTROPY && !classification) {
                throw ApiException.badRequest("strategy entropy needs a classification model (0/1 answers)");
            }
            var session = new org.varec.elicit.ElicitationSession(new org.varec.elicit.Beliefs(pm, classification), cand,
                    cand, strategy, popularity, answered.hashCode());
            try {
                if (!answered.isEmpty()) {
                    session.answer(answered.keySet().stream().mapToInt(Integer::intValue).toArray(),
                            toFloats(answered.values()));
                }
            } catch (IllegalArgumentException e) {
                throw ApiException.badRequest(firstLine(e.getMessage()));
            }
            excluded.forEach(session::skip);
            next = session.next(n);
            keys = session.scores(next);
        } else {
            if (strategy != org.varec.elicit.Strategy.POPULAR && strategy != org.varec.elicit.Strategy.RANDOM) {
                throw ApiException.badRequest("strategy " + name + " needs a Bayesian model; " + m.name() + " ("
                        + m.model().algorithm() + ") is not: use popular or random");
            }
            double[] key = new double[numItems];
            Rng rng = new Rng(answered.hashCode());
            java.util.Arrays.fill(key, Double.NaN);
            for (int i : cand) {
                key[i] = strategy == org.varec.elicit.Strategy.POPULAR ? popularity[i] : rng.nextDouble();
            }
            java.util.TreeSet<Integer> skip = new java.util.TreeSet<>(answered.keySet());
            skip.addAll(excluded);
            next = TopN.select(key, Math.min(n, cand.length - skip.size()), skip.stream().mapToInt(Integer::intValue).toArray());
            keys = new double[next.length];
            for (int k = 0; k < next.length; k++) {
                keys[k] = key[next[k]];
            }
        }
        List<Map<String, Object>> out = new ArrayList<>();
        for (int k = 0; k < next.length; k++) {
            Map<String, Object> row = item(m, next[k]);
            row.put("key", keys[k]);
            out.add(row);
        }
        json(ctx, Map.of("model", m.name(), "strategy", strategy.label(), "items", out));
    }

    private static float[] toFloats(java.util.Collection<Float> values) {
        float[] out = new float[values.size()];
        int k = 0;
        for (float v : values) {
            out[k++] = v;
        }
        return out;
    }

    private void requireToken(Context ctx, boolean always) {
        String token = options.token();
        if (token == null) {
            if (always) {
                throw new ApiException(403, "this server has no token: start it with --token-file to allow this");
            }
            return;
        }
        String h = ctx.header("Authorization");
        if (h == null || !java.security.MessageDigest.isEqual(("Bearer " + token).getBytes(StandardCharsets.UTF_8),
                h.getBytes(StandardCharsets.UTF_8))) {
            throw new ApiException(401, "missing or wrong token (Authorization: Bearer TOKEN)");
        }
    }

    private void feedback(Context ctx) throws IOException {
        requireToken(ctx, false);
        if (feedbackLog == null) {
            throw ApiException.notFound("feedback is off: start the server with --feedback LOG");
        }
        JsonNode body = body(ctx);
        ServedModel m = model(ctx, body);
        String user = text(body, "user", "feedback");
        String item = text(body, "item", "feedback");
        float r = rating(body, "rating");
        int i = m.model().items().indexOf(item);
        if (i < 0) {
            throw ApiException.notFound("unknown item '" + printable(item) + "' in model " + m.name());
        }
        try {
            m.addFeedback(user, i, r);
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest(firstLine(e.getMessage()));
        }
        feedbackLog.append(new org.varec.data.io.FeedbackRatings.Entry(m.name(), user, item, r));
        json(ctx, Map.of("model", m.name(), "user", user, "item", item, "rating", r, "logged", true));
    }

    private void reload(Context ctx) throws JsonProcessingException {
        requireToken(ctx, true);
        String name = ctx.pathParam("name");
        ServedModel old = models.get(name);
        if (old == null) {
            throw ApiException.notFound("unknown model '" + printable(name) + "'; served: " + String.join(", ", order));
        }
        byte[] raw = ctx.bodyAsBytes();
        JsonNode body = raw.length == 0 ? null : body(ctx);
        String fileName = body != null && body.hasNonNull("file") ? body.get("file").asText() : old.file().getFileName().toString();
        Path file = modelDir.resolve(fileName).normalize();
        if (!file.startsWith(modelDir) || !file.getParent().equals(modelDir)) {
            throw new ApiException(403, "a model file must be in the model directory " + modelDir + ", got '"
                    + printable(fileName) + "'");
        }
        if (!Files.isRegularFile(file)) {
            throw ApiException.notFound("no model file " + fileName + " in " + modelDir);
        }
        long t0 = System.nanoTime();
        TrainedModel m;
        try {
            m = ModelFile.load(file);
        } catch (IOException | RuntimeException e) {
            throw new ApiException(422, "refused " + fileName + ", still serving the old model: " + firstLine(e.getMessage()));
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        models.put(name, ServedModel.of(name, file, m, seconds));
        json(ctx, Map.of("model", name, "file", fileName, "algorithm", m.algorithm(), "load_seconds", seconds));
    }
}
