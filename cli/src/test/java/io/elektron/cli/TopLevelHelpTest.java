package io.elektron.cli;

import org.junit.jupiter.api.Test;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** `elektron --help` is where a script writer looks up exit codes and the environment a run reads. */
class TopLevelHelpTest {
    @Test
    void helpListsEveryExitCodeAndTheEnvironment() throws Exception {
        CliTestSupport.Run help = CliTestSupport.run("--help");
        assertEquals(ExitCode.OK, help.exitCode(), help.err());
        String text = help.out();
        assertTrue(text.contains("Exit codes:"), text);
        // Every code the CLI can return, read from ExitCode itself, appears as a line of the list.
        for (Field f : ExitCode.class.getDeclaredFields()) {
            if (!Modifier.isStatic(f.getModifiers()) || f.getType() != int.class) continue;
            int code = f.getInt(null);
            assertTrue(text.matches("(?s).*\\n\\s+" + code + "\\s+\\S.*"), "exit code " + code + " (" + f.getName()
                    + ") is not listed:\n" + text);
        }
        assertTrue(text.contains("Environment:"), text);
        for (String variable : new String[]{"ELEKTRON_CACHE", "ELEKTRON_MAVEN_REPOSITORY", "ELEKTRON_JAVA_OPTS", "HF_HOME"}) {
            assertTrue(text.contains(variable), variable + " is not listed:\n" + text);
        }
    }
}
