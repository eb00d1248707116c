package org.recursa.index;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.DoubleDocValuesField;
import org.apache.lucene.document.DoublePoint;
import org.apache.lucene.index.IndexableField;
import org.junit.jupiter.api.Test;

class IndexFieldsTest {

    @Test
    void keywordsGoToExactAndLowerCasedFieldsAndHasOnce() {
        Document doc = new Document();
        IndexFields.addKeyword(doc, "tags.note", "Long Carry");
        IndexFields.addKeyword(doc, "tags.note", "short");

        assertThat(doc.getValues("s:tags.note")).containsExactly("Long Carry", "short");
        assertThat(doc.getValues("l:tags.note")).containsExactly("long carry", "short");
        assertThat(doc.getValues(IndexFields.HAS)).containsExactly("tags.note");
    }

    @Test
    void numbersArePointsAndDocValuesOfOneField() {
        Document doc = new Document();
        IndexFields.addNumber(doc, "metrics.acc", 0.25);

        assertThat(doc.getFields("n:metrics.acc")).hasSize(2)
                .hasAtLeastOneElementOfType(DoublePoint.class)
                .hasAtLeastOneElementOfType(DoubleDocValuesField.class)
                .allSatisfy(f -> assertThat(f.numericValue().doubleValue() == 0.25
                        || Double.longBitsToDouble(f.numericValue().longValue()) == 0.25).isTrue());
        assertThat(doc.getValues(IndexFields.HAS)).containsExactly("metrics.acc");
    }

    @Test
    void fieldNamesFollowTheConvention() {
        assertThat(IndexFields.keywordField("params.arch")).isEqualTo("s:params.arch");
        assertThat(IndexFields.lowercaseField("params.arch")).isEqualTo("l:params.arch");
        assertThat(IndexFields.numberField("run.metrics.acc")).isEqualTo("n:run.metrics.acc");
        assertThatThrownBy(() -> IndexFields.keywordField("")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void normalisesSignedZeroAndInfinities() {
        assertThat(Double.doubleToRawLongBits(IndexFields.normalise(-0.0))).isEqualTo(Double.doubleToRawLongBits(0.0));
        assertThat(IndexFields.normalise(Double.POSITIVE_INFINITY)).isEqualTo(Double.MAX_VALUE);
        assertThat(IndexFields.normalise(Double.NEGATIVE_INFINITY)).isEqualTo(-Double.MAX_VALUE);
        assertThat(IndexFields.normalise(-3.5)).isEqualTo(-3.5);

        Document doc = new Document();
        IndexFields.addNumber(doc, "metrics.loss", Double.POSITIVE_INFINITY);
        IndexableField point = Arrays.stream(doc.getFields("n:metrics.loss"))
                .filter(f -> f instanceof DoublePoint).findFirst().orElseThrow();
        assertThat(point.numericValue().doubleValue()).isEqualTo(Double.MAX_VALUE);
    }

    @Test
    void rejectsWhatTheQueriesCouldNotAnswer() {
        Document doc = new Document();
        assertThatThrownBy(() -> IndexFields.addNumber(doc, "metrics.loss", Double.NaN))
                .hasMessage("NaN cannot be indexed for key 'metrics.loss': leave the key out of the document");

        IndexFields.addNumber(doc, "metrics.acc", 1);
        assertThatThrownBy(() -> IndexFields.addNumber(doc, "metrics.acc", 2))
                .hasMessageContaining("one number per key");
        assertThatThrownBy(() -> IndexFields.addKeyword(doc, "metrics.acc", "x"))
                .hasMessageContaining("keywords or a number, not both");

        IndexFields.addKeyword(doc, "task", "copy");
        assertThatThrownBy(() -> IndexFields.addNumber(doc, "task", 1))
                .hasMessageContaining("keywords or a number, not both");
    }
}
