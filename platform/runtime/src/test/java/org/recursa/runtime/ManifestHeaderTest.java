package org.recursa.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class ManifestHeaderTest {

    @Test
    void splitsClausesOutsideQuotesAndSeparatesAttributesFromDirectives() {
        List<ManifestHeader.Clause> clauses = ManifestHeader.parse(
                "a.b;version=\"1.4\";uses:=\"x.y,z\",c.d;e.f;version=2.0.0,g");
        assertThat(clauses).hasSize(3);
        assertThat(clauses.get(0).names()).containsExactly("a.b");
        assertThat(clauses.get(0).attribute("version")).hasValue("1.4");
        assertThat(clauses.get(0).directives()).containsEntry("uses", "x.y,z");
        assertThat(clauses.get(1).names()).containsExactly("c.d", "e.f");
        assertThat(clauses.get(1).attribute("version")).hasValue("2.0.0");
        assertThat(clauses.get(2).names()).containsExactly("g");
        assertThat(clauses.get(2).attribute("version")).isEmpty();
    }
}
