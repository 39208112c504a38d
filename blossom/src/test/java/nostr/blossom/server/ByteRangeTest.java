package nostr.blossom.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** BUD-01 "Range requests" (RFC 9110 section 14): the single ranges we serve, and what we ignore. */
class ByteRangeTest {
    private static ByteRange.Parsed p(String h) {
        return ByteRange.parse(h, 1000);
    }

    private static ByteRange.Parsed partial(long a, long b) {
        return new ByteRange.Partial(new ByteRange(a, b));
    }

    @Test
    void bud01SingleRangesAreServed() {
        assertEquals(partial(0, 0), p("bytes=0-0"));
        assertEquals(partial(10, 19), p("bytes=10-19"));
        assertEquals(partial(990, 999), p("bytes=990-"));
        assertEquals(partial(900, 999), p("bytes=-100"));
        assertEquals(partial(0, 999), p("bytes=-5000"));
        assertEquals(partial(500, 999), p("bytes=500-99999"));
        assertEquals(partial(1, 2), p("  Bytes=1-2 "));
        assertEquals("bytes 10-19/1000", new ByteRange(10, 19).contentRange(1000));
        assertEquals(10, new ByteRange(10, 19).length());
    }

    @Test
    void bud01RangesOutsideTheBlobAreUnsatisfiable() {
        assertEquals(new ByteRange.Unsatisfiable(), p("bytes=1000-"));
        assertEquals(new ByteRange.Unsatisfiable(), p("bytes=1000-2000"));
        assertEquals(new ByteRange.Unsatisfiable(), p("bytes=-0"));
        assertEquals(new ByteRange.Unsatisfiable(), ByteRange.parse("bytes=0-", 0));
    }

    @Test
    void bud01HeadersWeDoNotServeGiveTheWholeBlob() {
        for (String h : new String[] {null, "", "items=0-1", "bytes=0-1,4-5", "bytes=5-1", "bytes=a-b", "bytes=1",
                "bytes=-", "bytes=1-x", "bytes=99999999999999999999-"}) {
            assertEquals(new ByteRange.Whole(), p(h), String.valueOf(h));
        }
    }
}
