package org.recursa.index.filter;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class LikePatternsTest {

    @ParameterizedTest(name = "[{index}] {0} -> {1}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
        "%carry%      | *carry*",
        "x_y          | x?y",
        "uni*versal   | uni\\*versal",
        "a?b          | a\\?b",
        "back\\\\slash | back\\\\slash",
        "100\\%       | 100%",
        "x\\_y        | x_y",
        "a\\b         | ab",
        "%            | *",
        "\"\"         | \"\"",
    })
    void translatesToLuceneWildcards(String like, String wildcard) {
        assertThat(LikePatterns.problem(like)).isNull();
        assertThat(LikePatterns.toWildcard(like)).isEqualTo(wildcard);
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '|', value = {"abc\\", "\\", "a\\\\\\"})
    void aTrailingEscapeIsAProblem(String like) {
        assertThat(LikePatterns.problem(like)).isEqualTo(
                "LIKE pattern ends with the escape character \\; write \\\\ for a backslash");
    }

    @ParameterizedTest(name = "[{index}] {0} -> {1}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
        "mor          | mor",
        "x\\_y        | x_y",
        "100\\%       | 100%",
        "a\\\\b        | a\\b",
        "uni*versal   | uni*versal",
        "\"\"         | \"\"",
        "x_y          | ",
        "%            | ",
    })
    void patternsWithoutWildcardsAreLiterals(String like, String literal) {
        assertThat(LikePatterns.literal(like)).isEqualTo(literal);
    }
}
