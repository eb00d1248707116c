package org.recursa.catalog;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;

/**
 * A child JVM that publishes one bundle to a repository directory, as a second server would: {@code REPO JAR
 * TOKEN_FILE KEY_FILE}. It prints "ready" once loaded, waits for a line on its input so that its siblings start
 * together, then prints "published <catalog version>" or "refused <status> <line>".
 */
public final class PublishMain {

    private PublishMain() {
    }

    public static void main(String[] args) throws Exception {
        RepositoryPublisher publisher = new RepositoryPublisher(PublishSettings.read(Path.of(args[2]), Path.of(args[3]),
                PublishSettings.DEFAULT_MAX_UPLOAD, Duration.ofDays(30)));
        System.out.println("ready");
        System.out.flush();
        new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
        try {
            RepositoryPublisher.Published published = publisher.publish(Path.of(args[0]), Path.of(args[1]));
            System.out.println("published " + published.catalogVersion());
        } catch (PublishRejected e) {
            System.out.println("refused " + e.status() + " " + e.getMessage());
        }
        System.out.flush();
    }
}
