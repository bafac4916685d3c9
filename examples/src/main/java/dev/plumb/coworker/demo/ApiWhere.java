package dev.plumb.coworker.demo;

import java.util.Map;
import java.util.Objects;
import tools.jackson.databind.JsonNode;

/**
 * Evaluates an APIv4 {@code where} clause ({@code [["status","=","active"],["runner","IS NOT EMPTY"]]}) on one
 * row: all conditions must hold. Operators: {@code =}, {@code !=}, {@code <>}, {@code IS EMPTY},
 * {@code IS NOT EMPTY}, {@code IS NULL}, {@code IS NOT NULL}, {@code CONTAINS}, {@code IN}, {@code NOT IN}.
 */
final class ApiWhere {

    private ApiWhere() {
    }

    /** Whether {@code row} satisfies every condition of {@code where}. */
    static boolean matches(JsonNode where, Map<String, Object> row) {
        if (!where.isArray()) {
            throw new DemoQueueException("where must be a list of conditions");
        }
        for (JsonNode cond : where) {
            if (!cond.isArray() || cond.size() < 2) {
                throw new DemoQueueException("each where condition is [field, operator, value?]");
            }
            String field = cond.get(0).asString("");
            String op = cond.get(1).asString("").toUpperCase(java.util.Locale.ROOT);
            Object actual = row.get(field);
            JsonNode expected = cond.size() > 2 ? cond.get(2) : null;
            if (!holds(op, actual, expected)) {
                return false;
            }
        }
        return true;
    }

    private static boolean holds(String op, Object actual, JsonNode expected) {
        String a = actual == null ? null : actual.toString();
        switch (op) {
            case "=":
                return expected != null && Objects.equals(a, expected.asString());
            case "!=":
            case "<>":
                return expected != null && !Objects.equals(a, expected.asString());
            case "IS EMPTY":
                return a == null || a.isEmpty() || "0".equals(a);
            case "IS NOT EMPTY":
                return !(a == null || a.isEmpty() || "0".equals(a));
            case "IS NULL":
                return a == null;
            case "IS NOT NULL":
                return a != null;
            case "CONTAINS":
                return a != null && expected != null && java.util.Arrays.asList(a.split(","))
                        .contains(expected.asString());
            case "IN":
            case "NOT IN":
                boolean in = false;
                if (expected != null && expected.isArray()) {
                    for (JsonNode e : expected) {
                        in |= Objects.equals(a, e.asString());
                    }
                }
                return "IN".equals(op) == in;
            default:
                throw new DemoQueueException("unsupported where operator: " + op);
        }
    }
}
