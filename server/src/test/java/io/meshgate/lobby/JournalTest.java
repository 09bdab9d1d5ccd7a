package io.meshgate.lobby;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The journal keeps a fixed number of entries, the newest, and cuts what a client could make long. */
class JournalTest {

    @Test
    void keepsTheNewestEntriesOldestFirst() {
        Journal journal = new Journal(3);
        for (int i = 1; i <= 5; i++) {
            journal.add("closed", "10.0.0." + i, "entry " + i);
        }
        List<Journal.Entry> entries = journal.entries();
        assertEquals(List.of("entry 3", "entry 4", "entry 5"), entries.stream().map(Journal.Entry::detail).toList());
        assertEquals(5, journal.total(), "those forgotten still counted");
    }

    @Test
    void cutsLongDetails() {
        Journal journal = new Journal(1);
        journal.add("lobby closed", null, "x".repeat(100_000));
        String kept = journal.entries().get(0).detail();
        assertEquals(Journal.MAX_DETAIL, kept.length());
        assertTrue(kept.endsWith("…"));
    }

    @Test
    void holdsAtLeastOneEntry() {
        assertThrows(IllegalArgumentException.class, () -> new Journal(0));
    }
}
