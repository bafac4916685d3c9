package dev.plumb.coworker.demo;

import dev.plumb.rpc.RawJson;
import dev.plumb.rpc.RpcCall;
import dev.plumb.rpc.RpcError;
import dev.plumb.rpc.RpcErrorException;
import dev.plumb.rpc.RpcRouter;
import dev.plumb.rpc.openrpc.OpenRpcExample;
import dev.plumb.rpc.openrpc.OpenRpcInfo;
import dev.plumb.rpc.openrpc.OpenRpcMethodDoc;
import dev.plumb.rpc.openrpc.OpenRpcMethodDoc.ParamStructure;
import dev.plumb.rpc.openrpc.OpenRpcParam;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;
import tools.jackson.databind.JsonNode;

/**
 * The demo queue's JSON-RPC methods for one session (one pipe process, or the HTTP endpoint): {@code echo},
 * {@code options}, {@code login} and {@code api4} with {@code Queue.getFields/get/claimItems/runItems}, in the
 * shapes of CiviCRM's {@code Civi::pipe()}.
 *
 * <p>A pipe session enforces {@code run_as}: {@code runItems} refuses items whose run_as contact is not the one
 * logged in. An HTTP session is trusted to run every item as its own run_as (like a runner with the permission
 * to switch users), because HTTP requests carry no login state. API errors answer {@code -32099}. {@code rpc.discover}
 * answers the methods' OpenRPC document.
 */
public final class DemoQueueService implements AutoCloseable {

    /** CiviCRM's code for API errors. */
    public static final int API_ERROR = -32099;

    private static final Logger LOG = LoggerFactory.getLogger(DemoQueueService.class);

    private final DemoQueueStore store;
    private final boolean perItemRunAs;
    private final String worker;
    private final ExecutorService dbThread;
    private final Scheduler dbScheduler;
    private final ExecutorService taskThreads;
    private final Scheduler taskScheduler;
    private volatile Long loggedInContact;
    private volatile java.util.Set<Long> refusedLogins = java.util.Set.of();
    private final Map<String, Object> options = new LinkedHashMap<>();

    private DemoQueueService(DemoQueueStore store, boolean perItemRunAs) {
        this.store = Objects.requireNonNull(store, "store");
        this.perItemRunAs = perItemRunAs;
        this.worker = Long.toString(ProcessHandle.current().pid());
        this.dbThread = Executors.newSingleThreadExecutor(r -> daemon(r, "demo-queue-db"));
        this.dbScheduler = Schedulers.fromExecutorService(dbThread, "demo-queue-db");
        this.taskThreads = Executors.newCachedThreadPool(r -> daemon(r, "demo-queue-task"));
        this.taskScheduler = Schedulers.fromExecutorService(taskThreads, "demo-queue-task");
        options.put("apiCheckPermissions", true);
        options.put("apiError", "exception");
        options.put("bufferSize", 524288);
        options.put("responsePrefix", null);
    }

    /** A session for one pipe process: run_as is enforced against {@code login}. */
    public static DemoQueueService forPipe(DemoQueueStore store) {
        return new DemoQueueService(store, false);
    }

    /** A session for an HTTP endpoint: each item runs as its own run_as. */
    public static DemoQueueService forHttp(DemoQueueStore store) {
        return new DemoQueueService(store, true);
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    /** Makes {@code login} fail for these contacts (to show how coworker copes with a pipe that cannot log in). */
    public DemoQueueService refuseLogins(java.util.Collection<Long> contacts) {
        this.refusedLogins = java.util.Set.copyOf(contacts);
        return this;
    }

    /** The session's current options (a pipe's {@code responsePrefix} is read from here). */
    public Map<String, Object> options() {
        synchronized (options) {
            return new LinkedHashMap<>(options);
        }
    }

    /** The router serving this session's methods. */
    public RpcRouter router() {
        return RpcRouter.builder()
                .handler("echo", call -> Mono.just(call.params().isAbsent() ? RawJson.of("[]") : call.params().raw()))
                .handler("options", this::options)
                .handler("login", this::login)
                .handler("api4", this::api4)
                .discovery(OpenRpcInfo.of("coworker demo queue", "5.80.0").withDescription(
                        "The Civi::pipe methods coworker uses, served by the embedded demo queue."))
                .describe("echo", OpenRpcMethodDoc.builder()
                        .summary("Answers its params unchanged ([] without params)")
                        .params(OpenRpcParam.variadic("value", Object.class))
                        .result(Object.class)
                        .build())
                .describe("options", OpenRpcMethodDoc.builder()
                        .summary("Reads or sets session options")
                        .description("Without params: all options. With an object: sets those options and answers "
                                + "them.")
                        .params(OpenRpcParam.optional("apiCheckPermissions", Boolean.class),
                                OpenRpcParam.optional("apiError", String.class),
                                OpenRpcParam.optional("bufferSize", Long.class),
                                OpenRpcParam.optional("responsePrefix", String.class))
                        .paramStructure(ParamStructure.BY_NAME)
                        .result(Map.class, "option name to value")
                        .error(API_ERROR, "Unknown option")
                        .build())
                .describe("login", OpenRpcMethodDoc.builder()
                        .summary("Logs the session in as a contact")
                        .description("Give one of contactId, userId (contactId + 1000) or user (\"demoN\").")
                        .params(OpenRpcParam.optional("contactId", Long.class),
                                OpenRpcParam.optional("userId", Long.class),
                                OpenRpcParam.optional("user", String.class))
                        .paramStructure(ParamStructure.BY_NAME)
                        .result(Map.class, "contactId and userId")
                        .error(API_ERROR, "No such contact")
                        .example(OpenRpcExample.named("contact 2").param("contactId", 2)
                                .result(RawJson.of("{\"contactId\":2,\"userId\":1002}")).build())
                        .build())
                .describe("api4", OpenRpcMethodDoc.builder()
                        .summary("CiviCRM API v4: Queue.getFields, get, claimItems, runItems")
                        .params(OpenRpcParam.required("entity", String.class),
                                OpenRpcParam.required("action", String.class),
                                OpenRpcParam.optional("params", Map.class).withDescription(
                                        "where/select for get, queue for claimItems, items for runItems"))
                        .paramStructure(ParamStructure.BY_POSITION)
                        .result(List.class, "the rows: queues, claimed items or run outcomes")
                        .error(API_ERROR, "API error (message says which)")
                        .example(OpenRpcExample.named("claim").param("entity", "Queue").param("action", "claimItems")
                                .param("params", Map.of("queue", "demo-1"))
                                .result(RawJson.of("[{\"id\":7,\"queue\":\"demo-1\",\"run_as\":{\"contactId\":2,"
                                        + "\"domainId\":1}}]"))
                                .build())
                        .build())
                .build();
    }

    private Mono<Object> options(RpcCall call) {
        JsonNode p = call.params().isAbsent() ? null : call.params().asNode();
        synchronized (options) {
            if (p == null || p.isEmpty()) {
                return Mono.just(new LinkedHashMap<>(options));
            }
            if (!p.isObject()) {
                return Mono.error(new RpcErrorException(RpcError.invalidParams("options takes an object")));
            }
            Map<String, Object> changed = new LinkedHashMap<>();
            for (Map.Entry<String, JsonNode> e : p.properties()) {
                if (!options.containsKey(e.getKey())) {
                    return Mono.error(new RpcErrorException(API_ERROR, "Unknown option: " + e.getKey()));
                }
                Object v = toPlain(e.getValue());
                options.put(e.getKey(), v);
                changed.put(e.getKey(), v);
            }
            return Mono.just(changed);
        }
    }

    private static Object toPlain(JsonNode v) {
        if (v.isNull()) {
            return null;
        }
        if (v.isBoolean()) {
            return v.booleanValue();
        }
        if (v.isIntegralNumber()) {
            return v.longValue();
        }
        if (v.isNumber()) {
            return v.doubleValue();
        }
        return v.asString();
    }

    private Mono<Object> login(RpcCall call) {
        JsonNode p = call.params().isAbsent() ? null : call.params().asNode();
        if (p == null || !p.isObject()) {
            return Mono.error(new RpcErrorException(RpcError.invalidParams("login takes {\"contactId\":N}")));
        }
        long contact;
        if (p.has("contactId")) {
            contact = p.get("contactId").asLong(-1);
        } else if (p.has("userId")) {
            contact = p.get("userId").asLong(-1) - 1000;
        } else if (p.has("user")) {
            String user = p.get("user").asString("");
            contact = user.startsWith("demo") ? parseLong(user.substring(4), -1) : -1;
        } else {
            return Mono.error(new RpcErrorException(API_ERROR, "login needs contactId, userId or user"));
        }
        if (contact <= 0 || refusedLogins.contains(contact)) {
            return Mono.error(new RpcErrorException(API_ERROR, "No such contact"));
        }
        loggedInContact = contact;
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("contactId", contact);
        out.put("userId", contact + 1000);
        return Mono.just(out);
    }

    private static long parseLong(String s, long dflt) {
        try {
            return Long.parseLong(s);
        } catch (NumberFormatException e) {
            return dflt;
        }
    }

    private Mono<Object> api4(RpcCall call) {
        JsonNode p = call.params().isAbsent() ? null : call.params().asNode();
        if (p == null || !p.isArray() || p.size() < 2 || p.size() > 3 || !p.get(0).isString()
                || !p.get(1).isString()) {
            return Mono.error(new RpcErrorException(RpcError.invalidParams("api4 takes [entity, action, params?]")));
        }
        String entity = p.get(0).asString();
        String action = p.get(1).asString();
        JsonNode params = p.size() == 3 ? p.get(2) : null;
        if (!"Queue".equals(entity)) {
            return Mono.error(new RpcErrorException(API_ERROR, "API (" + entity + ", " + action + ") does not exist"));
        }
        switch (action) {
            case "getFields":
                return Mono.just(fields());
            case "get":
                return onDb(() -> queueGet(params));
            case "claimItems":
                return onDb(() -> claimItems(params));
            case "runItems":
                return runItems(params);
            default:
                return Mono.error(new RpcErrorException(API_ERROR, "API (Queue, " + action + ") does not exist"));
        }
    }

    private <T> Mono<Object> onDb(java.util.concurrent.Callable<T> work) {
        return Mono.fromCallable(work).<Object>map(x -> x).subscribeOn(dbScheduler)
                .onErrorMap(DemoQueueException.class, e -> new RpcErrorException(API_ERROR, e.getMessage()));
    }

    private static List<Map<String, Object>> fields() {
        List<Map<String, Object>> out = new ArrayList<>();
        for (String f : List.of("id", "name", "type", "runner", "agent", "batch_limit", "lease_time", "retry_limit",
                "retry_interval", "error", "status", "is_template")) {
            out.add(Map.of("name", f));
        }
        return out;
    }

    private List<Map<String, Object>> queueGet(JsonNode params) {
        JsonNode where = params == null ? null : params.get("where");
        List<Map<String, Object>> out = new ArrayList<>();
        for (DemoQueueStore.QueueRow q : store.queues()) {
            Map<String, Object> row = q.toMap();
            if (where == null || ApiWhere.matches(where, row)) {
                out.add(select(params, row));
            }
        }
        return out;
    }

    private static Map<String, Object> select(JsonNode params, Map<String, Object> row) {
        JsonNode select = params == null ? null : params.get("select");
        if (select == null || !select.isArray() || select.isEmpty()) {
            return row;
        }
        Map<String, Object> out = new LinkedHashMap<>();
        for (JsonNode f : select) {
            String name = f.asString("");
            if (row.containsKey(name)) {
                out.put(name, row.get(name));
            }
        }
        return out;
    }

    private List<Map<String, Object>> claimItems(JsonNode params) {
        String queue = params == null ? null : params.path("queue").asString(null);
        if (queue == null) {
            throw new DemoQueueException("Queue.claimItems needs a queue");
        }
        List<Map<String, Object>> out = new ArrayList<>();
        for (DemoQueueStore.ClaimedItem it : store.claim(queue, System.currentTimeMillis())) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("id", it.id());
            row.put("queue", it.queue());
            if (it.runAsContact() == null) {
                row.put("run_as", null);
            } else {
                Map<String, Object> runAs = new LinkedHashMap<>();
                runAs.put("contactId", it.runAsContact());
                runAs.put("domainId", it.runAsDomain() == null ? 1 : it.runAsDomain());
                row.put("run_as", runAs);
            }
            out.add(select(params, row));
        }
        return out;
    }

    private Mono<Object> runItems(JsonNode params) {
        JsonNode items = params == null ? null : params.get("items");
        if (items == null || !items.isArray() || items.isEmpty()) {
            return Mono.error(new RpcErrorException(API_ERROR, "Queue.runItems needs items"));
        }
        List<Long> ids = new ArrayList<>();
        String queue = null;
        for (JsonNode it : items) {
            long id = it.path("id").asLong(-1);
            String q = it.path("queue").asString(null);
            if (id < 0 || q == null) {
                return Mono.error(new RpcErrorException(API_ERROR, "Each item needs an id and a queue"));
            }
            if (queue != null && !queue.equals(q)) {
                return Mono.error(new RpcErrorException(API_ERROR, "Queue.runItems takes items of one queue"));
            }
            queue = q;
            ids.add(id);
        }
        String queueName = queue;
        return onDb(() -> store.items(ids))
                .flatMap(loaded -> Mono.fromCallable(() -> execute(queueName, ids, castItems(loaded)))
                        .subscribeOn(taskScheduler))
                .flatMap(runs -> onDb(() -> {
                    store.recordRuns(runs.records());
                    return runs.results();
                }))
                .onErrorMap(DemoQueueException.class, e -> new RpcErrorException(API_ERROR, e.getMessage()));
    }

    @SuppressWarnings("unchecked")
    private static List<DemoQueueStore.TaskItem> castItems(Object o) {
        return (List<DemoQueueStore.TaskItem>) o;
    }

    private record BatchRuns(List<DemoQueueStore.RunRecord> records, List<Map<String, Object>> results) {
    }

    private BatchRuns execute(String queueName, List<Long> ids, List<DemoQueueStore.TaskItem> loaded)
            throws InterruptedException {
        DemoQueueStore.QueueRow queue = store.queue(queueName);
        if (queue == null) {
            throw new RpcErrorException(API_ERROR, "Unknown queue: " + queueName);
        }
        Map<Long, DemoQueueStore.TaskItem> byId = new HashMap<>();
        for (DemoQueueStore.TaskItem t : loaded) {
            byId.put(t.id(), t);
        }
        if (!perItemRunAs) {
            for (DemoQueueStore.TaskItem t : loaded) {
                if (t.runAsContact() != null && !t.runAsContact().equals(loggedInContact)) {
                    throw new RpcErrorException(API_ERROR, "Item " + t.id() + " must run as contact "
                            + t.runAsContact() + ", but this pipe is logged in as "
                            + (loggedInContact == null ? "nobody" : "contact " + loggedInContact));
                }
            }
        }
        List<DemoQueueStore.RunRecord> records = new ArrayList<>();
        List<Map<String, Object>> results = new ArrayList<>();
        for (long id : ids) {
            DemoQueueStore.TaskItem t = byId.get(id);
            String outcome;
            if (t == null || !"ready".equals(t.state()) || !t.queue().equals(queueName)) {
                outcome = "delete"; // gone, or finished by someone else after our lease expired
            } else {
                long started = System.currentTimeMillis();
                boolean ok;
                try {
                    ok = DemoTask.of(t.task()).run(t.args(), t.attempts() + 1);
                } catch (IllegalArgumentException e) {
                    LOG.warn("item {} has an unknown task kind '{}'", id, t.task());
                    ok = false;
                }
                if (ok) {
                    outcome = "ok";
                } else if (t.attempts() + 1 <= queue.retryLimit()) {
                    outcome = "retry";
                } else {
                    outcome = "abort".equals(queue.error()) ? "abort" : "fail";
                }
                records.add(new DemoQueueStore.RunRecord(id, outcome, worker, started, System.currentTimeMillis()));
            }
            Map<String, Object> item = new LinkedHashMap<>();
            item.put("id", id);
            item.put("queue", queueName);
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("outcome", outcome);
            row.put("item", item);
            results.add(row);
        }
        return new BatchRuns(records, results);
    }

    @Override
    public void close() {
        dbThread.shutdown();
        taskThreads.shutdownNow();
    }
}
