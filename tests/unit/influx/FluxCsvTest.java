package influx;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

/** Flux's CSV answers as influxd writes them: CRLF lines, a header per table, quoted cells. */
class FluxCsvTest {

    @Test
    void readsEveryTableByItsOwnHeaderAndUnquotesCells() {
        String csv = ",result,table,cluster,_value\r\n"
                + ",_result,0,alpha,404\r\n"
                + ",_result,0,\"a,\"\"b\"\"\",200\r\n"
                + "\r\n"
                + ",result,table,_value\r\n"
                + ",_result,1,x\r\n"
                + "\r\n";
        List<Map<String, String>> rows = FluxCsv.rows(csv);
        assertEquals(3, rows.size(), rows.toString());
        assertEquals("alpha", rows.get(0).get("cluster"));
        assertEquals("a,\"b\"", rows.get(1).get("cluster"));
        assertEquals("200", rows.get(1).get("_value"));
        assertEquals(Map.of("", "", "result", "_result", "table", "1", "_value", "x"), rows.get(2));
    }

    @Test
    void anEmptyAnswerHasNoRows() {
        assertEquals(List.of(), FluxCsv.rows(""));
        assertEquals(List.of(), FluxCsv.rows("\r\n"));
    }
}
