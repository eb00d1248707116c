package org.recursa.client;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.recursa.repository.Catalog;
import org.recursa.repository.CatalogException;

/**
 * What installing an extension id or bundle name from the catalogs takes: the bundle and the closure of its
 * {@code requires} that is not installed yet, in dependency order (a bundle after everything it requires).
 * A required bundle is taken from the same catalog first, then from any other, highest version first.
 *
 * @param steps the bundles to install, dependencies first; the last is the one asked for
 */
public record InstallPlan(List<Step> steps) {

    /**
     * One bundle to install.
     *
     * @param from   the catalog offering it
     * @param plugin its entry
     */
    public record Step(VerifiedCatalog from, Catalog.Plugin plugin) {
    }

    /**
     * The plan for {@code target} (an extension id or bundle name) at {@code version} (or the highest).
     *
     * @param installed the symbolic names and versions installed now
     * @throws PluginNotFoundException if no catalog or several bundles offer {@code target}, or it is installed
     * @throws CatalogException        if a requirement has no provider, or the requirements form a cycle
     */
    public static InstallPlan of(List<VerifiedCatalog> catalogs, String target, String version,
            Map<String, String> installed) {
        List<Step> offering = new ArrayList<>();
        for (VerifiedCatalog catalog : catalogs) {
            for (Catalog.Plugin plugin : catalog.catalog().plugins()) {
                boolean named = target.equals(plugin.bundle())
                        || plugin.extensions().stream().anyMatch(e -> target.equals(e.id()));
                if (named && (version == null || sameVersion(version, plugin.version()))) {
                    offering.add(new Step(catalog, plugin));
                }
            }
        }
        if (offering.isEmpty()) {
            throw new PluginNotFoundException("no configured catalog offers an extension or bundle '" + target + "'"
                    + (version == null ? "" : " at version " + version) + "; try 'recursa plugin search " + target
                    + "'");
        }
        Set<String> bundles = offering.stream().map(s -> s.plugin().bundle()).collect(Collectors.toSet());
        if (bundles.size() > 1) {
            throw new PluginNotFoundException("'" + target + "' is offered by several bundles ("
                    + String.join(", ", bundles.stream().sorted().toList()) + "); install by bundle name instead");
        }
        Step chosen = offering.stream().max(Comparator.comparing(s -> s.plugin().version(), VERSIONS)).orElseThrow();
        String bundle = chosen.plugin().bundle();
        if (installed.containsKey(bundle)) {
            throw new PluginNotFoundException("bundle " + bundle + " is already installed (version "
                    + installed.get(bundle) + "); use 'recursa plugin update' or uninstall it first");
        }
        LinkedHashSet<String> done = new LinkedHashSet<>();
        List<Step> steps = new ArrayList<>();
        visit(chosen, catalogs, installed, new LinkedHashSet<>(), done, steps);
        return new InstallPlan(List.copyOf(steps));
    }

    private static void visit(Step step, List<VerifiedCatalog> catalogs, Map<String, String> installed,
            LinkedHashSet<String> path, Set<String> done, List<Step> steps) {
        String bundle = step.plugin().bundle();
        if (done.contains(bundle)) {
            return;
        }
        if (!path.add(bundle)) {
            throw new CatalogException("the requirements of " + bundle + " form a cycle (" + String.join(" -> ", path)
                    + " -> " + bundle + "); the catalog is inconsistent");
        }
        for (String required : step.plugin().requires()) {
            if (installed.containsKey(required)) {
                continue;
            }
            Step provider = provider(required, step.from(), catalogs).orElseThrow(() -> new CatalogException(
                    "bundle " + bundle + " requires bundle " + required + ", which is neither installed nor offered "
                            + "by any configured catalog; nothing was installed"));
            visit(provider, catalogs, installed, path, done, steps);
        }
        path.remove(bundle);
        done.add(bundle);
        steps.add(step);
    }

    private static Optional<Step> provider(String bundle, VerifiedCatalog preferred, List<VerifiedCatalog> catalogs) {
        List<VerifiedCatalog> order = new ArrayList<>(List.of(preferred));
        catalogs.stream().filter(c -> c != preferred).forEach(order::add);
        for (VerifiedCatalog catalog : order) {
            Optional<Catalog.Plugin> best = catalog.catalog().plugins().stream()
                    .filter(p -> bundle.equals(p.bundle()))
                    .max(Comparator.comparing(Catalog.Plugin::version, VERSIONS));
            if (best.isPresent()) {
                return Optional.of(new Step(catalog, best.get()));
            }
        }
        return Optional.empty();
    }

    /** 0.1.0-SNAPSHOT and 0.1.0.SNAPSHOT (Maven's and OSGi's spelling) are one version. */
    static boolean sameVersion(String asked, String offered) {
        return asked.replace('-', '.').equals(offered.replace('-', '.'));
    }

    /** OSGi version order: numeric major.minor.micro, then the qualifier as text. */
    static final Comparator<String> VERSIONS = (a, b) -> {
        String[] x = a.replace('-', '.').split("\\.", 4);
        String[] y = b.replace('-', '.').split("\\.", 4);
        for (int i = 0; i < 3; i++) {
            int c = Long.compare(number(x, i), number(y, i));
            if (c != 0) {
                return c;
            }
        }
        return (x.length > 3 ? x[3] : "").compareTo(y.length > 3 ? y[3] : "");
    };

    private static long number(String[] parts, int i) {
        try {
            return i < parts.length ? Long.parseLong(parts[i]) : 0;
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
