package org.recursa.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.recursa.index.DamagedRunException;
import org.recursa.index.RunReader;
import org.recursa.index.RunSummary;
import org.recursa.runtime.RecursaException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code recursa runs show RUN}: everything recorded about one run, read from its directory. */
@Command(name = "show", mixinStandardHelpOptions = true,
        description = "Show a run: status, provenance (bundles, versions, settings, platform), metrics and files.")
final class RunsShowCommand implements Runnable {

    @ParentCommand
    private RunsCommand parent;

    @Spec
    private CommandSpec spec;

    @Parameters(paramLabel = "RUN", description = "Run id or a unique prefix of one.")
    private String run;

    @Override
    public void run() {
        Path dir = IndexSession.runDir(IndexSession.home(parent.root), run);
        RunSummary summary;
        JsonNode config;
        try {
            summary = RunReader.read(dir);
            config = Formats.JSON.readTree(Files.readString(dir.resolve("config.json")));
        } catch (DamagedRunException | IOException e) {
            throw new RecursaException(e.getMessage(), e);
        }
        PrintWriter out = spec.commandLine().getOut();
        out.printf("run       %s%nstatus    %s%ndirectory %s%n", summary.id(), summary.status(), dir);
        out.printf("task      %s (%s %s), mode %s%n", summary.task(), config.at("/task/bundle").asText(),
                config.at("/task/version").asText(), config.path("mode").asText("io"));
        out.printf("arch      %s (%s %s)%n", summary.arch(), config.at("/architecture/bundle").asText(),
                config.at("/architecture/version").asText());
        out.printf("sampler   %s (%s %s)%n", config.at("/sampler/id").asText(), config.at("/sampler/bundle").asText(),
                config.at("/sampler/version").asText());
        out.printf("seed      %s%nplatform  %s%n", config.path("seed").asText(), config.path("platform"));
        section(out, "params", summary.params());
        section(out, "metrics", summary.metrics());
        if (!summary.tags().isEmpty()) {
            section(out, "tags", summary.tags());
        }
        out.println("artifacts");
        RunReader.artifacts(dir).forEach((split, file) -> out.printf("  %-24s %s%n", split, file));
        out.flush();
    }

    private static void section(PrintWriter out, String title, Map<String, ?> values) {
        out.println(title);
        values.forEach((k, v) -> out.printf("  %-28s %s%n", k, v instanceof Double d ? Formats.number(
                Formats.JSON.getNodeFactory().numberNode(d)) : v));
    }
}
