package org.recursa.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import org.recursa.runtime.RecursaException;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.xml.sax.SAXException;
import org.xml.sax.SAXParseException;
import org.xml.sax.helpers.DefaultHandler;

/**
 * Where Maven keeps a user's local repository: {@code <localRepository>} of {@code ~/.m2/settings.xml} when set
 * (with the {@code ${user.home}}, {@code ${env.NAME}} and system-property expressions Maven expands there), else
 * {@code ~/.m2/repository}.
 */
final class MavenLocalRepository {

    private static final Pattern EXPRESSION = Pattern.compile("\\$\\{([^}]+)}");

    private MavenLocalRepository() {
    }

    /** The local repository of the user whose home is {@code userHome}. */
    static Path ofUser(Path userHome, Map<String, String> environment) {
        Path settings = userHome.resolve(".m2").resolve("settings.xml");
        String configured = Files.isRegularFile(settings) ? localRepository(settings) : null;
        if (configured == null || configured.isBlank()) {
            return userHome.resolve(".m2").resolve("repository");
        }
        return Path.of(expand(configured.strip(), userHome, environment, settings)).toAbsolutePath();
    }

    /** The text of the top-level {@code <localRepository>} element, or null. */
    private static String localRepository(Path settings) {
        try {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setNamespaceAware(true);
            factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            DocumentBuilder builder = factory.newDocumentBuilder();
            builder.setErrorHandler(new DefaultHandler()); // errors become exceptions, not text on stderr
            Element root = builder.parse(settings.toFile()).getDocumentElement();
            for (Node child = root.getFirstChild(); child != null; child = child.getNextSibling()) {
                if (child instanceof Element element && "localRepository".equals(element.getLocalName())) {
                    return element.getTextContent();
                }
            }
            return null;
        } catch (SAXParseException e) {
            throw new RecursaException(settings + " line " + e.getLineNumber() + ": " + e.getMessage()
                    + "; fix it or give the repository with --local-repo DIR", e);
        } catch (SAXException | ParserConfigurationException e) {
            throw new RecursaException(settings + ": " + e.getMessage() + "; fix it or give the repository with "
                    + "--local-repo DIR", e);
        } catch (IOException e) {
            throw new RecursaException(settings + ": " + IoMessages.reason(e) + "; give the repository with "
                    + "--local-repo DIR", e);
        }
    }

    private static String expand(String value, Path userHome, Map<String, String> environment, Path settings) {
        Matcher matcher = EXPRESSION.matcher(value);
        StringBuilder expanded = new StringBuilder();
        while (matcher.find()) {
            String name = matcher.group(1);
            String replacement = name.equals("user.home") ? userHome.toString()
                    : name.startsWith("env.") ? environment.get(name.substring("env.".length()))
                    : System.getProperty(name);
            if (replacement == null) {
                throw new RecursaException(settings + ": <localRepository> uses ${" + name + "}, which is not set; "
                        + "set it or give the repository with --local-repo DIR");
            }
            matcher.appendReplacement(expanded, Matcher.quoteReplacement(replacement));
        }
        matcher.appendTail(expanded);
        return expanded.toString();
    }
}
