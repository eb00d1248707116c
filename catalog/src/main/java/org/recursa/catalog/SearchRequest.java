package org.recursa.catalog;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A validated {@code /api/search} request: free text (possibly empty: every plugin), an optional kind and a 1-based
 * page. Anything else is a {@link BadRequestException} naming what is wrong and what would be right.
 */
record SearchRequest(String text, Optional<String> kind, int page) {

    static final Set<String> KINDS = Set.of("architecture", "task", "sampler", "compressor");
    static final int MAX_TEXT = 200;
    static final int MAX_PAGE = 1000;
    private static final Set<String> PARAMETERS = Set.of("q", "kind", "page");

    /** From the query parameters, each name with the values it was given. */
    static SearchRequest of(Map<String, List<String>> parameters) {
        for (Map.Entry<String, List<String>> parameter : parameters.entrySet()) {
            if (!PARAMETERS.contains(parameter.getKey())) {
                throw new BadRequestException("unknown parameter '" + parameter.getKey()
                        + "'; /api/search takes q, kind and page");
            }
            if (parameter.getValue().size() > 1) {
                throw new BadRequestException("parameter '" + parameter.getKey() + "' is given "
                        + parameter.getValue().size() + " times; give it once");
            }
        }
        String text = single(parameters, "q").orElse("").strip();
        if (text.length() > MAX_TEXT) {
            throw new BadRequestException("q is " + text.length() + " characters long; at most " + MAX_TEXT);
        }
        if (text.chars().anyMatch(Character::isISOControl)) {
            throw new BadRequestException("q contains a control character; give plain words");
        }
        Optional<String> kind = single(parameters, "kind").filter(k -> !k.isEmpty());
        if (kind.isPresent() && !KINDS.contains(kind.get())) {
            throw new BadRequestException("unknown kind '" + kind.get()
                    + "'; expected architecture, task, sampler or compressor");
        }
        return new SearchRequest(text, kind, page(single(parameters, "page").orElse("1")));
    }

    private static int page(String value) {
        int page;
        try {
            page = Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new BadRequestException("page '" + value + "' is not a number; expected 1 to " + MAX_PAGE);
        }
        if (page < 1 || page > MAX_PAGE) {
            throw new BadRequestException("page " + page + " is out of range; expected 1 to " + MAX_PAGE);
        }
        return page;
    }

    private static Optional<String> single(Map<String, List<String>> parameters, String name) {
        List<String> values = parameters.get(name);
        return values == null || values.isEmpty() ? Optional.empty() : Optional.ofNullable(values.get(0));
    }
}
