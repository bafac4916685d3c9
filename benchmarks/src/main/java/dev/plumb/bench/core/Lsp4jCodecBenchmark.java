package dev.plumb.bench.core;

import dev.plumb.bench.core.SampleMessages.ClaimParams;
import dev.plumb.bench.core.SampleMessages.ClaimResult;
import java.io.ByteArrayInputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.eclipse.lsp4j.jsonrpc.json.JsonRpcMethod;
import org.eclipse.lsp4j.jsonrpc.json.MessageJsonHandler;
import org.eclipse.lsp4j.jsonrpc.messages.Message;
import org.eclipse.lsp4j.jsonrpc.messages.RequestMessage;
import org.eclipse.lsp4j.jsonrpc.messages.ResponseMessage;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * LSP4J's {@link MessageJsonHandler} (org.eclipse.lsp4j.jsonrpc 1.0.0, Gson) on the same {@link SampleMessages}.
 *
 * <p>Bytes in, bytes out, as LSP4J's own stream classes do it: {@code StreamMessageProducer} parses from an
 * {@code InputStreamReader} over the frame's bytes, and {@code StreamMessageConsumer} serialises to a
 * {@code String} and calls {@code getBytes}. The {@code …FromString} variants give LSP4J a ready-made
 * {@code String} (its best case, and not what its transport does). The method is registered with its param and
 * result types, and a method provider maps the response id to it, so params and result are bound to the same
 * records Plumb's "typed" variants use.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class Lsp4jCodecBenchmark {

    private MessageJsonHandler handler;
    private String requestText;

    /** Registers {@code Queue.claimItems} with its types and resolves every response id to it. */
    @Setup
    public void setUp() {
        JsonRpcMethod method = JsonRpcMethod.request(SampleMessages.METHOD, ClaimResult.class, ClaimParams.class);
        handler = new MessageJsonHandler(Map.of(SampleMessages.METHOD, method));
        handler.setMethodProvider(id -> SampleMessages.METHOD);
        requestText = new String(SampleMessages.REQUEST, StandardCharsets.UTF_8);
        check();
    }

    private void check() {
        RequestMessage request = (RequestMessage) decodeRequest();
        if (!(request.getParams() instanceof ClaimParams p) || !p.equals(SampleMessages.PARAMS)) {
            throw new IllegalStateException("params not bound: " + request.getParams());
        }
        ResponseMessage response = (ResponseMessage) decodeResponse();
        if (!(response.getResult() instanceof ClaimResult r) || !r.equals(SampleMessages.RESULT)) {
            throw new IllegalStateException("result not bound: " + response.getResult());
        }
    }

    private static Reader reader(byte[] frame) {
        return new InputStreamReader(new ByteArrayInputStream(frame), StandardCharsets.UTF_8);
    }

    /** Decodes the request from its bytes (params bound to the record). */
    @Benchmark
    public Message decodeRequest() {
        return handler.parseMessage(reader(SampleMessages.REQUEST));
    }

    /** Decodes the request from a ready-made String (LSP4J's best case). */
    @Benchmark
    public Message decodeRequestFromString() {
        return handler.parseMessage(requestText);
    }

    /** Encodes a request with record params to UTF-8 bytes. */
    @Benchmark
    public byte[] encodeRequest() {
        RequestMessage request = new RequestMessage();
        request.setJsonrpc("2.0");
        request.setId(SampleMessages.ID);
        request.setMethod(SampleMessages.METHOD);
        request.setParams(SampleMessages.PARAMS);
        return handler.serialize(request).getBytes(StandardCharsets.UTF_8);
    }

    /** Decodes the response from its bytes (result bound to the record through the method provider). */
    @Benchmark
    public Message decodeResponse() {
        return handler.parseMessage(reader(SampleMessages.RESPONSE));
    }

    /** Encodes a response with a record result to UTF-8 bytes. */
    @Benchmark
    public byte[] encodeResponse() {
        ResponseMessage response = new ResponseMessage();
        response.setJsonrpc("2.0");
        response.setId(SampleMessages.ID);
        response.setResult(SampleMessages.RESULT);
        return handler.serialize(response).getBytes(StandardCharsets.UTF_8);
    }

    /** Headline: decode the request from bytes, encode a record result under its id to bytes. */
    @Benchmark
    public byte[] decodeEncode() {
        return answer((RequestMessage) handler.parseMessage(reader(SampleMessages.REQUEST)));
    }

    /** As {@link #decodeEncode()} but decoding from a ready-made String. */
    @Benchmark
    public byte[] decodeEncodeFromString() {
        return answer((RequestMessage) handler.parseMessage(requestText));
    }

    private byte[] answer(RequestMessage request) {
        if (((ClaimParams) request.getParams()).limit() < 0) {
            throw new IllegalStateException(); // keeps the binding live
        }
        ResponseMessage response = new ResponseMessage();
        response.setJsonrpc("2.0");
        response.setRawId(request.getRawId());
        response.setResult(SampleMessages.RESULT);
        return handler.serialize(response).getBytes(StandardCharsets.UTF_8);
    }
}
