package dev.plumb.rpc.pipe.internal;

/** Orders dotted version strings such as {@code 5.80.alpha1}: numbers numerically, a pre-release below a number. */
public final class VersionOrder {

    private VersionOrder() {
    }

    /** Negative, zero or positive as {@code a} is before, equal to or after {@code b}. */
    public static int compare(String a, String b) {
        String[] x = a.trim().split("[.-]");
        String[] y = b.trim().split("[.-]");
        int n = Math.max(x.length, y.length);
        for (int i = 0; i < n; i++) {
            String p = i < x.length ? x[i] : "0";
            String q = i < y.length ? y[i] : "0";
            int c = comparePart(p, q);
            if (c != 0) {
                return c;
            }
        }
        return 0;
    }

    private static int comparePart(String p, String q) {
        boolean pn = isNumber(p);
        boolean qn = isNumber(q);
        if (pn && qn) {
            return compareNumbers(p, q);
        }
        if (pn) {
            return 1; // a release part ranks above a pre-release part
        }
        if (qn) {
            return -1;
        }
        String pl = letters(p);
        String ql = letters(q);
        int c = pl.compareToIgnoreCase(ql);
        if (c != 0) {
            return c;
        }
        String pd = p.substring(pl.length());
        String qd = q.substring(ql.length());
        if (isNumber(pd) && isNumber(qd)) {
            return compareNumbers(pd, qd);
        }
        return pd.compareTo(qd);
    }

    private static int compareNumbers(String p, String q) {
        String a = p.replaceFirst("^0+(?=.)", "");
        String b = q.replaceFirst("^0+(?=.)", "");
        return a.length() != b.length() ? Integer.compare(a.length(), b.length()) : a.compareTo(b);
    }

    private static String letters(String s) {
        int i = 0;
        while (i < s.length() && !Character.isDigit(s.charAt(i))) {
            i++;
        }
        return s.substring(0, i);
    }

    private static boolean isNumber(String s) {
        if (s.isEmpty()) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            if (!Character.isDigit(s.charAt(i))) {
                return false;
            }
        }
        return true;
    }
}
