package nostr.relay.store.sql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Migration scripts split into statements, keeping trigger and dollar-quoted bodies whole. */
class SqlScriptTest {

    @Test
    void splitsOnLineFinalSemicolonsAndDropsComments() {
        String script = "-- a comment\nCREATE TABLE a (x INTEGER);\n\nCREATE INDEX a_x\n    ON a (x);\n";
        assertEquals(List.of("CREATE TABLE a (x INTEGER)", "CREATE INDEX a_x\n    ON a (x)"), SqlScript.split(script));
    }

    @Test
    void keepsSqliteTriggerBodiesWhole() {
        String script = "CREATE TRIGGER t AFTER DELETE ON a BEGIN\n    DELETE FROM b WHERE x = old.x;\n"
                + "    DELETE FROM c WHERE x = old.x;\nEND;\nSELECT 1;\n";
        assertEquals(List.of("CREATE TRIGGER t AFTER DELETE ON a BEGIN\n    DELETE FROM b WHERE x = old.x;\n"
                + "    DELETE FROM c WHERE x = old.x;\nEND", "SELECT 1"), SqlScript.split(script));
    }

    @Test
    void keepsPostgresDollarQuotedBodiesWhole() {
        String script = "CREATE FUNCTION f() RETURNS int AS $$\nBEGIN\n  RETURN 1;\nEND;\n$$ LANGUAGE plpgsql;\nSELECT 2;\n";
        assertEquals(List.of("CREATE FUNCTION f() RETURNS int AS $$\nBEGIN\n  RETURN 1;\nEND;\n$$ LANGUAGE plpgsql",
                "SELECT 2"), SqlScript.split(script));
    }

    @Test
    void refusesAScriptThatEndsInsideAStatement() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SqlScript.split("SELECT 1\n"));
        assertEquals("script ends inside a statement: SELECT 1", e.getMessage());
    }
}
