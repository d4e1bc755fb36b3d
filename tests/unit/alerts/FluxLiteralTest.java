package alerts;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Every value taskmaker puts into Flux is a string literal that cannot end early or interpolate. */
class FluxLiteralTest {

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', quoteCharacter = '\'', value = {
        "shop|\"shop\"",
        "a\"b|\"a\\\"b\"",
        "back\\slash|\"back\\\\slash\"",
        "${x}|\"\\${x}\"",
        "$x and $|\"$x and $\"",
        "end$|\"end$\"",
        "'tab\there'|\"tab\\there\""})
    void escapesQuotesBackslashesAndInterpolation(String value, String literal) {
        assertEquals(literal, FluxTemplates.stringLiteral(value));
    }

    @Test
    void keepsLineBreaksInsideTheLiteral() {
        assertEquals("\"a\\nb\\rc\"", FluxTemplates.stringLiteral("a\nb\rc"));
    }
}
