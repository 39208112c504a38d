package nostr.core.json;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@link Json#write}: plain value trees as compact JSON (the writer behind result lines and state files). */
class JsonWriteTest {

    @Test
    void writesNestedMapsAndListsCompactlyInIterationOrder() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("b", 1);
        m.put("a", List.of(true, false));
        m.put("n", null);
        m.put("x", Map.of("y", 2.5));
        m.put("s", "q\"\\\n\u0001");
        assertEquals("{\"b\":1,\"a\":[true,false],\"n\":null,\"x\":{\"y\":2.5},\"s\":\"q\\\"\\\\\\n\\u0001\"}", Json.write(m));
    }

    @Test
    void nonFiniteDoublesAreNullBecauseJsonHasNoSpellingForThem() {
        assertEquals("[null,null,null,1.0,0.5]",
                Json.write(Arrays.asList(Double.NaN, Double.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, 1.0, 0.5f)));
        assertEquals("[1.5,null]", Json.write(new double[] {1.5, Double.NaN}));
    }

    @Test
    void bytesAreLowercaseHexAndMapKeysAreTheirStringValue() {
        Map<Object, Object> m = new LinkedHashMap<>();
        m.put(7, new byte[] {(byte) 0xAB, 0x01});
        assertEquals("{\"7\":\"ab01\"}", Json.write(m));
    }

    @Test
    void stringsAreEscapedAsJsonStringifyDoesAndLongsKeepTheirDigits() {
        List<Object> l = new ArrayList<>(List.of("emoji \uD83D\uDE00", "lone \uD800", 123456789012L));
        assertEquals("[\"emoji \uD83D\uDE00\",\"lone \\ud800\",123456789012]", Json.write(l));
    }

    @Test
    void otherTypesAreRefusedByName() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Json.write(List.of(new Object())));
        assertTrue(e.getMessage().contains("java.lang.Object"), e.getMessage());
    }
}
