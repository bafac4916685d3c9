#!/usr/bin/env python3
"""Writes the fuzz targets' seed inputs (the seed-* files in src/test/resources/.../*Inputs/<method>/) from the
JSON-RPC specification examples (rpc-test/src/main/resources/dev/plumb/rpc/test/jsonrpc-spec.txt, the copy SpecVectors reads) and the
Civi::pipe protocol notes. Run from the repository root: python3 fuzz/seeds.py. Idempotent."""
import os
import re

BASE = "fuzz/src/test/resources/dev/plumb/rpc/fuzz"

def spec_requests():
    requests, cur = [], None
    for line in open("rpc-test/src/main/resources/dev/plumb/rpc/test/jsonrpc-spec.txt", encoding="utf-8"):
        line = line.rstrip("\n")
        if line.startswith("--> "):
            if cur is not None:
                requests.append("\n".join(cur))
            cur = [line[4:]]
        elif cur is not None and (line.startswith("<--") or line.startswith("=====") or line.startswith("#")
                                  or not line.strip()):
            requests.append("\n".join(cur))
            cur = None
        elif cur is not None:
            cur.append(line)
    if cur is not None:
        requests.append("\n".join(cur))
    return requests

EXTRA = [
    '{"jsonrpc":"2.0","method":"echo","params":["caf\u00e9 \\ud83d\\ude00 \\u0000"],"id":"\u00e9"}',
    '{"jsonrpc":"2.0","method":"echo","params":{"deep":[[[[[[[[[[{}]]]]]]]]]]},"id":1e400}',
    '{"jsonrpc":"2.0","method":"echo","params":[123456789012345678901234567890e-9999],"id":-0}',
    '{"jsonrpc":"2.0","method":"throws","params":[],"id":7}',
    '{"jsonrpc":"2.0","method":"fails","id":8}',
    '{"jsonrpc":"2.0","method":"refuses","id":9}',
    '{"jsonrpc":"2.0","method":"count","id":10}',
    '{"jsonrpc":"2.0","method":"$/stream/open","params":{"method":"count","params":[],"credit":1},"id":11}',
    '{"jsonrpc":"2.0","method":"$/cancelRequest","params":{"id":11}}',
    '{"jsonrpc":"2.0","method":"sum","params":{"a":1,"b":2,"c":3},"id":12,"id":13}',
    '{"jsonrpc":"2.0","result":19,"id":1}',
    '{"jsonrpc":"2.0","error":{"code":-32000,"message":"x"},"id":null}',
    '\ufeff{"jsonrpc":"2.0","method":"get_data","id":14}',
    '{"jsonrpc":"2.0","method":"echo","params":["\\ud800"],"id":15}',
]

# what a Civi::pipe child writes (docs/civi-pipe-protocol.md); ZZ is the response prefix the target sets
CIVI = [
    '{"Civi::pipe":{"v":"5.80.alpha1","t":"trusted","l":["login"]}}',
    '{"jsonrpc":"2.0","result":[1],"id":1}',
    'ZZ{"jsonrpc":"2.0","result":[1],"id":1}',
    'ZZ{"jsonrpc":"2.0","error":{"code":-32700,"message":"Parse error"}}',
    '{"jsonrpc":"2.0","error":{"code":-32600,"message":"Invalid Request"}}',
    'ZZ{"jsonrpc":"2.0","error":{"code":-32099,"message":"API error","data":null},"id":1}',
    'ZZ{"jsonrpc":"2.0","result":{"contactId":2,"userId":1},"id":1}',
    'ZZ{"jsonrpc":"2.0","result":[],"id":1}',
    'ZZ{"jsonrpc":"2.0","result":{"is_error":0,"version":3,"count":0,"values":[]},"id":1}',
    'ZZ[{"jsonrpc":"2.0","result":"x","id":1},{"jsonrpc":"2.0","result":"y"}]',
    'ZZ{"jsonrpc":"2.0","result":"\\/path\\u00e9","id":1}',
    'PHP Warning:  Undefined variable $x in /srv/civi/Pipe.php on line 12',
    '0',
    'ZZ{"jsonrpc":"2.0","method":"echo","params":[1],"id":"c1"}',
    'ZZ{"jsonrpc":"2.0","method":"echo","params":[1]}',
]

def write(target, method, name, data):
    d = os.path.join(BASE, target + "Inputs", method)
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, "seed-" + name), "wb") as f:
        f.write(data)

def main():
    reqs = [r.encode("utf-8") for r in spec_requests()] + [e.encode("utf-8") for e in EXTRA]
    civi = [c.encode("utf-8") for c in CIVI]
    lines = b"\n".join(r.replace(b"\n", b" ") for r in reqs) + b"\n"
    for i, r in enumerate(reqs):
        n = "%02d" % i
        write("CodecFuzzTest", "decodedMessagesRoundTripAndRefusalsAreSpecificationErrors", n, r)
        write("RouterFuzzTest", "everyFrameGetsAValidReplyOrNone", n, r)
        write("HttpBodyFuzzTest", "everyBodyGetsAValidReplyOrNoContent", n, r)
        write("StrictPeerFuzzTest", "everyFrameGetsAtMostOneValidReply", n, r.replace(b"\n", b" ") + b"\n")
    write("StrictPeerFuzzTest", "everyFrameGetsAtMostOneValidReply", "all", lines)
    for i, c in enumerate(civi):
        write("CiviPipePeerFuzzTest", "theCallInFlightEndsTypedAndRepliesAreValid", "%02d" % i, c + b"\n")
    write("CiviPipePeerFuzzTest", "theCallInFlightEndsTypedAndRepliesAreValid", "all", b"\n".join(civi) + b"\n")
    results = [
        '{"id":101,"queue":"default","status":"claimed","tags":["a",null],"extra":{"k":[1,2.5,"x"]},"n":null,'
        '"flag":true,"ratio":0.5,"any":{"deep":[{}]}}',
        ' { "any" : -0 , "ratio" : -1e-3 , "flag" : false , "n" : 7 , "extra" : { } , "tags" : [ ] ,'
        ' "status" : "x\\u00e9" , "queue" : "caf\u00e9" , "id" : -9223372036854775808 } ',
        '{"id":1,"queue":"q","status":"s","tags":[],"extra":{},"n":1,"flag":true,"ratio":1.5,"any":1,"more":2}',
        '{"id":7,"raw":[1,{"r":{"deep":[{}]},"r":null}]}',
        '{"id":1,"id":2,"queue":"q","status":"s","tags":[],"extra":{"a":1,"a":2},"n":1,"flag":true,"ratio":1.5,'
        '"any":1}',
    ]
    for i, r in enumerate(results):
        write("ResultBindingFuzzTest", "recordResultsBindAsJacksonBindsThem", "%02d" % i, r.encode("utf-8"))
    # FuzzedDataProvider targets take their numbers from the end of the input: a tail of read sizes and limit
    tail = bytes([3, 1, 7, 64, 2, 5, 4, 60])
    write("LineFramingFuzzTest", "framesMatchTheModelInAnyReadSizes", "spec", lines + b"\r\n  \n" + tail)
    write("LineFramingFuzzTest", "framesMatchTheModelInAnyReadSizes", "civi", b"\r\n".join(civi) + tail)
    lsp = b"".join(b"Content-Length: %d\r\n\r\n%s" % (len(r), r) for r in reqs[:12])
    write("ContentLengthFramingFuzzTest", "sameFramesInAnyReadSizesAndWrittenFramesReadBack", "spec",
          lsp + b"content-length:  7 \r\nContent-Type: x\r\n\r\n{\"a\":1}" + bytes([1]) + tail)

main()
