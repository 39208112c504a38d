package nostr.relay.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** NIP-86 relay settings changed at run time and the moderation queue; durable on return. */
public abstract class AdminStoreContract extends StorageContract {
    static final String A = "aa".repeat(32);
    static final String B = "bb".repeat(32);
    static final String C = "cc".repeat(32);

    protected AdminStore admin;

    @Override
    protected void opened() {
        admin = storage.admin();
    }

    @Test
    void nip86SettingsAreStoredAndOverwritten() throws Exception {
        assertEquals(Map.of(), admin.settings());
        admin.putSetting(AdminStore.NAME, "first");
        admin.putSetting(AdminStore.DESCRIPTION, "a relay \ud83c\udf89");
        admin.putSetting(AdminStore.NAME, "second");
        assertEquals(Map.of(AdminStore.NAME, "second", AdminStore.DESCRIPTION, "a relay \ud83c\udf89"), admin.settings());
        assertEquals(List.of(AdminStore.DESCRIPTION, AdminStore.NAME), List.copyOf(admin.settings().keySet()));
        assertThrows(IllegalArgumentException.class, () -> admin.putSetting("", "x"));
        assertThrows(IllegalArgumentException.class, () -> admin.putSetting(AdminStore.ICON, "\u0000"));
    }

    @Test
    void nip86ModerationQueueIsOldestFirstAndReflaggingKeepsThePlace() throws Exception {
        admin.flagEvent(C, "first report");
        admin.flagEvent(A, "second");
        admin.flagEvent(B, "third");
        admin.flagEvent(C, "reported again");
        assertEquals(List.of(new Listed(C, "reported again"), new Listed(A, "second"), new Listed(B, "third")),
                admin.eventsNeedingModeration());
        admin.unflagEvent(A);
        admin.unflagEvent(A);
        assertEquals(List.of(new Listed(C, "reported again"), new Listed(B, "third")), admin.eventsNeedingModeration());
        assertThrows(IllegalArgumentException.class, () -> admin.flagEvent("x", "bad id"));
    }

    @Test
    void adminStateIsDurable() throws Exception {
        admin.putSetting(AdminStore.ICON, "https://example.com/icon.png");
        admin.flagEvent(A, "r");
        closeAndReopen();
        assertEquals(Map.of(AdminStore.ICON, "https://example.com/icon.png"), admin.settings());
        assertEquals(List.of(new Listed(A, "r")), admin.eventsNeedingModeration());
    }
}
