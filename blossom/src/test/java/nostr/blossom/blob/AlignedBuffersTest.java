package nostr.blossom.blob;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

/** Every buffer {@link AlignedBuffers} hands out is exactly {@value AlignedBuffers#SIZE} bytes, aligned, and goes back. */
class AlignedBuffersTest {

    @Test
    void anAllocationThatStartsAlignedStillYieldsABufferOfExactlyOneSize() {
        // an allocation whose address is aligned already: the case a fresh allocateDirect hits now and then
        ByteBuffer raw = ByteBuffer.allocateDirect(2 * AlignedBuffers.SIZE).alignedSlice(4096);
        assertEquals(0, raw.alignmentOffset(0, 4096));
        ByteBuffer b = AlignedBuffers.alignedPiece(raw, 4096);
        assertEquals(AlignedBuffers.SIZE, b.capacity());
        assertEquals(0, b.alignmentOffset(0, 4096));
        AlignedBuffers.give(b); // refused before: its capacity was SIZE + 4096
    }

    @Test
    void takenBuffersAreAlignedAndFullSizedAndGoBack() {
        for (int align : new int[] {512, 4096, 65536}) {
            for (int i = 0; i < 8; i++) {
                ByteBuffer b = AlignedBuffers.take(align);
                assertEquals(AlignedBuffers.SIZE, b.capacity());
                assertEquals(AlignedBuffers.SIZE, b.remaining());
                assertEquals(0, b.alignmentOffset(0, align));
                AlignedBuffers.give(b);
            }
        }
    }

    @Test
    void refusesAlignmentsThatAreNoPowerOfTwoAndBuffersNotItsOwn() {
        assertThrows(IllegalArgumentException.class, () -> AlignedBuffers.take(3000));
        assertThrows(IllegalArgumentException.class, () -> AlignedBuffers.give(ByteBuffer.allocateDirect(4096)));
    }
}
