package org.recursa.plugins.copy;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.recursa.tck.TaskConformance;

/** The copy task passes the task TCK with its defaults and with a smaller alphabet and longer inputs. */
class TaskConformanceTest {

    @Test
    void defaults() {
        TaskConformance.verify(new CopyTask(), Map.of());
    }

    @Test
    void fewSymbolsLongInputs() {
        TaskConformance.verify(new CopyTask(), Map.of("symbols", "4", "max_length", "12", "ood_length", "20"));
    }
}
