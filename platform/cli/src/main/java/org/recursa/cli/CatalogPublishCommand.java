package org.recursa.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.recursa.runtime.RecursaException;
import org.recursa.runtime.UsageException;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code recursa catalog publish JAR --to URL --token T}: uploads a bundle to a catalog server's repository. */
@Command(name = "publish", mixinStandardHelpOptions = true,
        description = "Publish a plugin bundle to a catalog server started with --publish-token-file: the server "
                + "checks it with the SDK's bundle check, adds it to the repository and signs the catalog again.")
final class CatalogPublishCommand implements Callable<Integer> {

    /** {@code .../repo/<name>[/]} or {@code .../api/publish/<name>}. */
    private static final Pattern TARGET = Pattern.compile("(.*/)(?:repo|api/publish)/([A-Za-z0-9][A-Za-z0-9._-]*)/?");
    private static final ObjectMapper JSON = new ObjectMapper();

    @Parameters(paramLabel = "JAR", description = "The plugin bundle jar.")
    private Path jar;

    @Option(names = "--to", required = true, paramLabel = "URL",
            description = "The repository on the server, e.g. http://127.0.0.1:8417/repo/my-catalog/")
    private String to;

    @ArgGroup(exclusive = true, multiplicity = "1")
    private Token token;

    static final class Token {
        @Option(names = "--token", paramLabel = "T", description = "The server's publish token.")
        String value;

        @Option(names = "--token-file", paramLabel = "F", description = "A file whose first line is the token.")
        Path file;
    }

    @Spec
    private CommandSpec spec;

    @Override
    public Integer call() throws InterruptedException {
        if (!Files.isRegularFile(jar)) {
            throw new UsageException(jar + ": no such file; JAR is a plugin bundle .jar");
        }
        URI endpoint = endpoint(to);
        HttpResponse<String> response;
        try {
            HttpRequest request = HttpRequest.newBuilder(endpoint)
                    .timeout(Duration.ofMinutes(5))
                    .header("Authorization", "Bearer " + token())
                    .header("Content-Type", "application/java-archive")
                    .POST(HttpRequest.BodyPublishers.ofFile(jar))
                    .build();
            response = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build()
                    .send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new RecursaException("cannot publish to " + endpoint + ": " + e.getMessage(), e);
        }
        JsonNode body = parse(response.body());
        if (response.statusCode() != 200) {
            String why = body != null && body.hasNonNull("error") ? body.get("error").asText()
                    : "HTTP " + response.statusCode();
            throw new RecursaException("publish refused (" + response.statusCode() + "): " + why);
        }
        if (body == null || !body.hasNonNull("bundle")) {
            throw new RecursaException(endpoint + " answered 200 without a publish result; is it a catalog server?");
        }
        PrintWriter out = spec.commandLine().getOut();
        out.println("Published " + body.get("bundle").asText() + " " + body.get("version").asText() + " to "
                + body.path("repository").asText() + "; catalog version " + body.path("catalogVersion").asLong());
        out.flush();
        return 0;
    }

    static URI endpoint(String url) {
        URI uri;
        try {
            uri = URI.create(url);
        } catch (IllegalArgumentException e) {
            throw new UsageException("--to " + url + " is not a URL; expected http://HOST:PORT/repo/<name>/");
        }
        Matcher matcher = uri.getPath() == null ? null : TARGET.matcher(uri.getPath());
        if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null
                || matcher == null || !matcher.matches()) {
            throw new UsageException("--to " + url + " does not name a repository on a catalog server; expected "
                    + "http(s)://HOST:PORT/repo/<name>/");
        }
        return uri.resolve(matcher.group(1) + "api/publish/" + matcher.group(2));
    }

    private String token() {
        String value = token.value;
        if (token.file != null) {
            try {
                value = Files.readString(token.file, StandardCharsets.UTF_8).lines().findFirst().orElse("");
            } catch (IOException e) {
                throw new UsageException("cannot read --token-file " + token.file + ": " + e.getMessage());
            }
        }
        value = value.strip();
        if (value.isEmpty() || value.chars().anyMatch(c -> c < 0x21 || c > 0x7e)) {
            throw new UsageException("the token is empty or has spaces or control characters; give the server's "
                    + "publish token");
        }
        return value;
    }

    private static JsonNode parse(String body) {
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            return null;
        }
    }
}
