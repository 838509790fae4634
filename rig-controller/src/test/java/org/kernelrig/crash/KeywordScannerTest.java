package org.kernelrig.crash;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;

class KeywordScannerTest {

    private static final List<String> KEYWORDS = List.of("BUG:", "BUG kmalloc-", "+0x", "Kernel panic",
            "Kernel panic - not syncing", "---[ end ", "int3:", "Oops: ");
    private static final List<Integer> BITS = List.of(0, 1, 2, 3, 4, 5, 6, 3);
    private static final KeywordScanner SCANNER = new KeywordScanner(KEYWORDS, BITS);

    /** What the scanner must find, the slow way. */
    private static long expected(String text) {
        long found = 0;
        for (int k = 0; k < KEYWORDS.size(); k++) {
            if (text.contains(KEYWORDS.get(k))) {
                found |= 1L << BITS.get(k);
            }
        }
        for (char c : text.toCharArray()) {
            if (c < 0x20 && c != '\t' || c >= 0x7f) {
                found |= KeywordScanner.CONTROL;
            }
        }
        return found;
    }

    private static long scanBytes(String text) {
        byte[] bytes = text.getBytes(StandardCharsets.ISO_8859_1);
        // the line sits inside a larger buffer, as it does in the reader's
        byte[] buffer = new byte[bytes.length + 20];
        java.util.Arrays.fill(buffer, (byte) 'B');
        System.arraycopy(bytes, 0, buffer, 7, bytes.length);
        return SCANNER.scan(buffer, 7, 7 + bytes.length);
    }

    @Test
    void findsEveryKeywordWhereverItIs() {
        for (String text : List.of("", "BUG", "BUG:", "xBUG:", "[  1.0] BUG: KASAN", "foo+0x", "foo+0x1/0x2",
                "+0", "Kernel panic - not syncing: x", "Kernel panic", "Kernel pani", "---[ end trace ]---",
                "int3: 0000", "Oops: 0002", "BUG kmalloc-64 (Tainted)", "BUG kmalloc-", "BUG kmalloc")) {
            assertEquals(expected(text), scanBytes(text), text);
            assertEquals(expected(text), SCANNER.scan(text, new byte[text.length()]), text);
        }
    }

    @Test
    void findsControlCharactersAndNonAsciiButNotTabs() {
        assertEquals(0, scanBytes("a\tb"));
        assertEquals(KeywordScanner.CONTROL, scanBytes("a\rb"));
        assertEquals(KeywordScanner.CONTROL, scanBytes("abcdefghijklmnop\u007f"));
        assertEquals(KeywordScanner.CONTROL, scanBytes("\u001b[0m"));
        assertEquals(KeywordScanner.CONTROL | 1, scanBytes("caf\u00e9 BUG:"));
    }

    @Test
    void agreesWithSubstringSearchOnRandomText() {
        Random random = new Random(16);
        String alphabet = "BUG: kmalloc-+0x1Kernelpaic-notsyng[]end\t\r\u00e9Oops3";
        for (int n = 0; n < 20_000; n++) {
            StringBuilder text = new StringBuilder();
            int length = random.nextInt(40);
            while (text.length() < length) {
                if (random.nextInt(8) == 0) {
                    text.append(KEYWORDS.get(random.nextInt(KEYWORDS.size())));
                } else {
                    text.append(alphabet.charAt(random.nextInt(alphabet.length())));
                }
            }
            String s = text.toString();
            assertEquals(expected(s), scanBytes(s), s);
            byte[] buffer = new byte[s.length() + 3];
            int from = s.isEmpty() ? 0 : random.nextInt(s.length());
            assertEquals(expected(s.substring(from)), SCANNER.scan(s, from, buffer), s + " from " + from);
        }
    }

    @Test
    void keywordsMustBePrintableAsciiOfThreeCharacters() {
        assertThrows(IllegalArgumentException.class, () -> new KeywordScanner(List.of("[#"), List.of(0)));
        assertThrows(IllegalArgumentException.class, () -> new KeywordScanner(List.of("caf\u00e9"), List.of(0)));
        assertThrows(IllegalArgumentException.class, () -> new KeywordScanner(List.of("BUG:"), List.of(63)));
    }
}
