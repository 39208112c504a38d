package nostr.core.negentropy;

import java.util.Arrays;

/**
 * Sorts items held in parallel primitive arrays (timestamps, packed 32-byte ids) without boxing:
 * a bottom-up merge sort of an index permutation, O(n log n) compares and no per-item objects, so a
 * million items sort in a fraction of a second.
 */
final class ItemSort {
    private ItemSort() {}

    /** Compares items {@code a} and {@code b}: timestamp unsigned, then id bytes. */
    static int compare(long[] ts, byte[] ids, int a, int b) {
        int c = Long.compareUnsigned(ts[a], ts[b]);
        if (c != 0) {
            return c;
        }
        int n = Negentropy.ID_SIZE;
        return Arrays.compareUnsigned(ids, a * n, a * n + n, ids, b * n, b * n + n);
    }

    /** The permutation that lists items {@code [0, n)} in ascending order. */
    static int[] sortedOrder(long[] ts, byte[] ids, int n) {
        int[] src = new int[n];
        for (int i = 0; i < n; i++) {
            src[i] = i;
        }
        // Short runs by insertion sort, then merge passes.
        final int run = 32;
        for (int start = 0; start < n; start += run) {
            int end = Math.min(start + run, n);
            for (int i = start + 1; i < end; i++) {
                int v = src[i];
                int j = i - 1;
                while (j >= start && compare(ts, ids, src[j], v) > 0) {
                    src[j + 1] = src[j];
                    j--;
                }
                src[j + 1] = v;
            }
        }
        int[] dst = new int[n];
        for (int width = run; width < n; width *= 2) {
            for (int lo = 0; lo < n; lo += 2 * width) {
                int mid = Math.min(lo + width, n);
                int hi = Math.min(lo + 2 * width, n);
                int i = lo;
                int j = mid;
                int k = lo;
                while (i < mid && j < hi) {
                    dst[k++] = compare(ts, ids, src[i], src[j]) <= 0 ? src[i++] : src[j++];
                }
                while (i < mid) {
                    dst[k++] = src[i++];
                }
                while (j < hi) {
                    dst[k++] = src[j++];
                }
            }
            int[] t = src;
            src = dst;
            dst = t;
        }
        return src;
    }
}
