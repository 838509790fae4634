package org.kernelrig.crash;

import java.math.BigInteger;

/**
 * Turns the mangled names of stack frames back into source names, as syzkaller does before it
 * titles a report: Rust's v0 scheme ({@code _RNvCs1a_7mycrate3foo} is {@code mycrate::foo}), Rust's
 * legacy scheme ({@code _ZN7mycrate3foo17h0123456789abcdefE} is {@code mycrate::foo}, the hash left
 * out) and plain C++ names ({@code _Z8fakeNameiii} is {@code fakeName}, without parameters). A name
 * that is not mangled, or not in a form this knows, comes back unchanged.
 *
 * <p>The v0 grammar is the one of Rust RFC 2603 (symbol name mangling v0). Output follows
 * rustc-demangle's short form: crate disambiguators and hashes are left out, closures read
 * {@code {closure#0}}. Punycode identifiers are not decoded (the name comes back unchanged).
 */
public final class Demangler {

    /** Bounds for names a board sends: backreferences can make a short name expand without end. */
    private static final int MAX_OUTPUT = 1024;
    private static final int MAX_DEPTH = 100;

    private Demangler() {
    }

    /** The source name of a symbol, a suffix such as {@code .cold} kept; the symbol itself when it is not mangled. */
    public static String demangle(String symbol) {
        if (symbol.length() < 3 || symbol.charAt(0) != '_' || symbol.charAt(1) != 'R' && symbol.charAt(1) != 'Z') {
            return symbol;
        }
        try {
            if (symbol.charAt(1) == 'Z') {
                return itanium(symbol.substring(2));
            }
            // a v0 name holds no dot: one starts a suffix
            int dot = symbol.indexOf('.');
            String name = dot < 0 ? symbol : symbol.substring(0, dot);
            return new V0(name.substring(2)).symbol() + symbol.substring(name.length());
        } catch (Invalid e) {
            return symbol;
        }
    }

    /** The name does not follow the grammar. */
    private static final class Invalid extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Invalid() {
            super(null, null, false, false);
        }
    }

    // ---- Itanium C++ names, and Rust's legacy names that use them ----

    /**
     * {@code <source-name>} or {@code N <source-name>... E}, then parameters that are left out, then a
     * suffix from a dot on that is kept. Legacy Rust names are nested names whose last part is
     * {@code h} and 16 hex digits; their parts may hold dots.
     */
    private static String itanium(String s) {
        int[] pos = {0};
        if (s.startsWith("L")) {
            pos[0] = 1; // internal linkage
        }
        if (pos[0] >= s.length()) {
            throw new Invalid();
        }
        if (s.charAt(pos[0]) != 'N') {
            String name = sourceName(s, pos);
            return name + suffix(s, pos[0]);
        }
        pos[0]++;
        StringBuilder out = new StringBuilder();
        java.util.List<String> parts = new java.util.ArrayList<>();
        while (pos[0] < s.length() && s.charAt(pos[0]) != 'E') {
            parts.add(sourceName(s, pos));
        }
        if (pos[0] >= s.length() || parts.isEmpty()) {
            throw new Invalid();
        }
        pos[0]++;
        boolean legacyRust = parts.size() > 1 && (pos[0] == s.length() || s.charAt(pos[0]) == '.')
                && isRustHash(parts.get(parts.size() - 1));
        if (legacyRust) {
            parts.remove(parts.size() - 1);
        }
        for (String part : parts) {
            if (out.length() > 0) {
                out.append("::");
            }
            out.append(legacyRust ? unescapeLegacy(part) : part);
        }
        return out.append(suffix(s, pos[0])).toString();
    }

    /** From the first dot after the parameters on: {@code .cold}, {@code .isra.0}, {@code .llvm.123}. */
    private static String suffix(String s, int from) {
        int dot = s.indexOf('.', from);
        return dot < 0 ? "" : s.substring(dot);
    }

    private static String sourceName(String s, int[] pos) {
        int i = pos[0];
        int length = 0;
        int digits = i;
        while (i < s.length() && Character.isDigit(s.charAt(i)) && i - digits < 6) {
            length = length * 10 + s.charAt(i) - '0';
            i++;
        }
        if (i == digits || length == 0 || i + length > s.length()) {
            throw new Invalid();
        }
        pos[0] = i + length;
        return s.substring(i, i + length);
    }

    private static boolean isRustHash(String part) {
        if (part.length() != 17 || part.charAt(0) != 'h') {
            return false;
        }
        for (int i = 1; i < 17; i++) {
            if (Character.digit(part.charAt(i), 16) < 0 || Character.isUpperCase(part.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    /** {@code $LT$} is {@code <}, {@code $u20$} a space, {@code ..} is {@code ::}, and so on. */
    private static String unescapeLegacy(String part) {
        String s = part.startsWith("_$") ? part.substring(1) : part;
        StringBuilder out = new StringBuilder(s.length());
        int i = 0;
        while (i < s.length()) {
            char c = s.charAt(i);
            if (c == '.' && s.startsWith("..", i)) {
                out.append("::");
                i += 2;
            } else if (c == '$') {
                int end = s.indexOf('$', i + 1);
                if (end < 0) {
                    throw new Invalid();
                }
                out.append(legacyEscape(s.substring(i + 1, end)));
                i = end + 1;
            } else {
                out.append(c);
                i++;
            }
        }
        return out.toString();
    }

    private static String legacyEscape(String code) {
        switch (code) {
            case "SP": return "@";
            case "BP": return "*";
            case "RF": return "&";
            case "LT": return "<";
            case "GT": return ">";
            case "LP": return "(";
            case "RP": return ")";
            case "C": return ",";
            default:
                if (code.length() > 1 && code.charAt(0) == 'u') {
                    try {
                        int codePoint = Integer.parseInt(code.substring(1), 16);
                        if (Character.isValidCodePoint(codePoint) && !Character.isISOControl(codePoint)) {
                            return new String(Character.toChars(codePoint));
                        }
                    } catch (NumberFormatException e) {
                        // not an escape
                    }
                }
                throw new Invalid();
        }
    }

    // ---- Rust v0 ----

    /** A parser of one v0 name (after {@code _R}) that writes the source name as it goes. */
    private static final class V0 {
        private final String s;
        private int pos;
        private final StringBuilder out = new StringBuilder();
        /** While true nothing is written: parts that the short form leaves out. */
        private boolean quiet;
        private int depth;
        /** Lifetimes bound by the {@code for<...>} binders around the current position. */
        private int boundLifetimes;

        V0(String s) {
            this.s = s;
        }

        /** {@code [<decimal-number>] <path> [<instantiating-crate>]}, all of the name. */
        String symbol() {
            if (pos < s.length() && Character.isDigit(s.charAt(pos))) {
                decimal(); // the encoding version
            }
            path(true);
            if (pos < s.length()) {
                boolean was = quiet;
                quiet = true;
                path(false);
                quiet = was;
            }
            if (pos != s.length()) {
                throw new Invalid();
            }
            return out.toString();
        }

        private char peek() {
            if (pos >= s.length()) {
                throw new Invalid();
            }
            return s.charAt(pos);
        }

        private char next() {
            char c = peek();
            pos++;
            return c;
        }

        private boolean eat(char c) {
            if (pos < s.length() && s.charAt(pos) == c) {
                pos++;
                return true;
            }
            return false;
        }

        private void write(String text) {
            if (!quiet) {
                out.append(text);
                if (out.length() > MAX_OUTPUT) {
                    throw new Invalid();
                }
            }
        }

        private void enter() {
            if (++depth > MAX_DEPTH) {
                throw new Invalid();
            }
        }

        /** {@code <path>}; a path in value position writes its generic arguments as {@code ::<...>}. */
        private void path(boolean value) {
            enter();
            char tag = next();
            switch (tag) {
                case 'C' -> write(identifier().name);
                case 'M', 'X' -> {
                    implPath();
                    write("<");
                    type();
                    if (tag == 'X') {
                        write(" as ");
                        path(false);
                    }
                    write(">");
                }
                case 'Y' -> {
                    write("<");
                    type();
                    write(" as ");
                    path(false);
                    write(">");
                }
                case 'N' -> {
                    char namespace = next();
                    if (!(namespace >= 'a' && namespace <= 'z' || namespace >= 'A' && namespace <= 'Z')) {
                        throw new Invalid();
                    }
                    path(value);
                    Identifier id = identifier();
                    if (namespace <= 'Z') {
                        String kind = namespace == 'C' ? "closure" : namespace == 'S' ? "shim" : String.valueOf(namespace);
                        write("::{" + kind + (id.name.isEmpty() ? "" : ":" + id.name) + "#" + id.disambiguator + "}");
                    } else {
                        write("::" + id.name);
                    }
                }
                case 'I' -> {
                    path(value);
                    write(value ? "::<" : "<");
                    genericArgs();
                    write(">");
                }
                case 'B' -> backref(() -> path(value));
                default -> throw new Invalid();
            }
            depth--;
        }

        /** {@code [<disambiguator>] <path>}: where the impl is, which the short form leaves out. */
        private void implPath() {
            disambiguator();
            boolean was = quiet;
            quiet = true;
            path(false);
            quiet = was;
        }

        private record Identifier(long disambiguator, String name) {
        }

        /** {@code [<disambiguator>] ["u"] <decimal-number> ["_"] <bytes>}. */
        private Identifier identifier() {
            long disambiguator = disambiguator();
            if (eat('u')) {
                throw new Invalid(); // punycode
            }
            int length = decimal();
            eat('_');
            if (pos + length > s.length()) {
                throw new Invalid();
            }
            String name = s.substring(pos, pos + length);
            pos += length;
            return new Identifier(disambiguator, name);
        }

        /** {@code "s" <base-62-number>}, counted from 1; 0 when absent. */
        private long disambiguator() {
            return eat('s') ? base62() + 1 : 0;
        }

        /** Digits, no leading zero. */
        private int decimal() {
            int start = pos;
            long value = 0;
            while (pos < s.length() && Character.isDigit(s.charAt(pos))) {
                value = value * 10 + s.charAt(pos++) - '0';
                if (value > s.length()) {
                    throw new Invalid();
                }
            }
            if (pos == start || s.charAt(start) == '0' && pos - start > 1) {
                throw new Invalid();
            }
            return (int) value;
        }

        /** {@code "_"} is 0; otherwise digits 0-9a-zA-Z ended by {@code _}, their value plus one. */
        private long base62() {
            if (eat('_')) {
                return 0;
            }
            long value = 0;
            int start = pos;
            while (true) {
                char c = next();
                if (c == '_') {
                    break;
                }
                int digit = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'z' ? c - 'a' + 10
                        : c >= 'A' && c <= 'Z' ? c - 'A' + 36 : -1;
                // a crate's disambiguator is a 64-bit hash: eleven digits, which may wrap around (it is not written)
                if (digit < 0 || pos - start > 12) {
                    throw new Invalid();
                }
                value = value * 62 + digit;
            }
            return value + 1;
        }

        /** {@code "B" <base-62-number>}: the same production again, from an earlier position. */
        private void backref(Runnable production) {
            int at = pos - 1;
            long target = base62();
            if (target < 0 || target >= at) {
                throw new Invalid();
            }
            int resume = pos;
            pos = (int) target;
            production.run();
            pos = resume;
        }

        /** {@code {<generic-arg>} "E"}, written separated by commas. */
        private void genericArgs() {
            boolean first = true;
            while (!eat('E')) {
                if (!first) {
                    write(", ");
                }
                first = false;
                if (eat('L')) {
                    lifetime(base62());
                } else if (eat('K')) {
                    constant();
                } else {
                    type();
                }
            }
        }

        private void lifetime(long index) {
            if (index == 0) {
                write("'_");
            } else if (index <= boundLifetimes) {
                long depthFromOutermost = boundLifetimes - index;
                write(depthFromOutermost < 26 ? "'" + (char) ('a' + depthFromOutermost) : "'_" + depthFromOutermost);
            } else {
                throw new Invalid();
            }
        }

        /** {@code "G" <base-62-number>}: lifetimes bound for what follows; writes {@code for<'a, ...> }. */
        private int binder() {
            if (!eat('G')) {
                return 0;
            }
            long count = base62() + 1;
            if (count > 26) {
                throw new Invalid();
            }
            write("for<");
            for (int i = 0; i < count; i++) {
                write((i > 0 ? ", '" : "'") + (char) ('a' + boundLifetimes + i));
            }
            write("> ");
            boundLifetimes += (int) count;
            return (int) count;
        }

        private static final String BASIC = "abcdefhijlmnostuvxyzp";
        private static final String[] BASIC_NAMES = {"i8", "bool", "char", "f64", "str", "f32", "u8", "isize", "usize",
            "i32", "u32", "i128", "u128", "i16", "u16", "()", "...", "i64", "u64", "!", "_"};

        private void type() {
            enter();
            char tag = peek();
            int basic = BASIC.indexOf(tag);
            if (basic >= 0) {
                pos++;
                write(BASIC_NAMES[basic]);
                depth--;
                return;
            }
            switch (tag) {
                case 'A', 'S' -> {
                    pos++;
                    write("[");
                    type();
                    if (tag == 'A') {
                        write("; ");
                        constant();
                    }
                    write("]");
                }
                case 'R', 'Q' -> {
                    pos++;
                    write("&");
                    if (eat('L')) {
                        long index = base62();
                        if (index != 0) {
                            lifetime(index);
                            write(" ");
                        }
                    }
                    if (tag == 'Q') {
                        write("mut ");
                    }
                    type();
                }
                case 'P', 'O' -> {
                    pos++;
                    write(tag == 'P' ? "*const " : "*mut ");
                    type();
                }
                case 'T' -> {
                    pos++;
                    write("(");
                    write(typeList() == 1 ? ",)" : ")");
                }
                case 'F' -> {
                    pos++;
                    functionSignature();
                }
                case 'D' -> {
                    pos++;
                    dynBounds();
                }
                case 'B' -> {
                    pos++;
                    backref(this::type);
                }
                default -> path(false);
            }
            depth--;
        }

        /** {@code {<type>} "E"}, written separated by commas; returns how many types there were. */
        private int typeList() {
            int count = 0;
            while (!eat('E')) {
                if (count++ > 0) {
                    write(", ");
                }
                type();
            }
            return count;
        }

        /** {@code [<binder>] ["U"] ["K" <abi>] {<type>} "E" <type>}. */
        private void functionSignature() {
            int bound = binder();
            if (eat('U')) {
                write("unsafe ");
            }
            if (eat('K')) {
                String abi;
                if (eat('C')) {
                    abi = "C";
                } else {
                    int length = decimal();
                    eat('_');
                    if (pos + length > s.length()) {
                        throw new Invalid();
                    }
                    abi = s.substring(pos, pos + length).replace('_', '-');
                    pos += length;
                }
                write("extern \"" + abi + "\" ");
            }
            write("fn(");
            typeList();
            write(")");
            if (eat('u')) {
                // returns ()
            } else {
                write(" -> ");
                type();
            }
            boundLifetimes -= bound;
        }

        /** {@code [<binder>] {<dyn-trait>} "E" <lifetime>}. */
        private void dynBounds() {
            write("dyn ");
            int bound = binder();
            int count = 0;
            while (!eat('E')) {
                if (count++ > 0) {
                    write(" + ");
                }
                path(false);
                boolean open = false;
                while (eat('p')) {
                    write(open ? ", " : "<");
                    open = true;
                    Identifier name = identifier();
                    write(name.name + " = ");
                    type();
                }
                if (open) {
                    write(">");
                }
            }
            boundLifetimes -= bound;
            if (!eat('L')) {
                throw new Invalid();
            }
            long index = base62();
            if (index != 0) {
                write(" + ");
                lifetime(index);
            }
        }

        /** {@code <type> <const-data> | "p" | <backref>}: integers, booleans and chars are written as values. */
        private void constant() {
            enter();
            if (eat('p')) {
                write("_");
            } else if (eat('B')) {
                backref(this::constant);
            } else {
                char type = next();
                boolean negative = eat('n');
                int start = pos;
                while (Character.digit(peek(), 16) >= 0 && !Character.isUpperCase(peek())) {
                    pos++;
                }
                String hex = s.substring(start, pos);
                if (!eat('_')) {
                    throw new Invalid();
                }
                BigInteger value = hex.isEmpty() ? BigInteger.ZERO : new BigInteger(hex, 16);
                if ("hmjytoaslxin".indexOf(type) >= 0) {
                    write((negative ? "-" : "") + value);
                } else if (type == 'b' && !negative && value.intValue() <= 1 && value.bitLength() <= 1) {
                    write(value.signum() == 0 ? "false" : "true");
                } else if (type == 'c' && !negative && value.bitLength() <= 21
                        && Character.isValidCodePoint(value.intValue())) {
                    write("'" + new String(Character.toChars(value.intValue())) + "'");
                } else {
                    throw new Invalid();
                }
            }
            depth--;
        }
    }
}
