package io.keel.cli.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Columns as fleetctl prints them through Go's tabwriter (tab width 8, padding 1, tabs). */
class TableTest {

    private static String print(Table table) {
        StringWriter out = new StringWriter();
        table.print(new PrintWriter(out));
        return out.toString();
    }

    @Test
    void cellsArePaddedWithTabsToTheColumnWidthRoundedUpToEight() {
        Table table = new Table();
        table.add(List.of("UNIT", "MACHINE", "ACTIVE", "SUB"));
        table.add(List.of("hello.service", "148a18ff.../10.10.1.1", "active", "running"));
        assertThat(print(table)).isEqualTo("UNIT\t\tMACHINE\t\t\tACTIVE\tSUB\n"
                + "hello.service\t148a18ff.../10.10.1.1\tactive\trunning\n");
    }

    @Test
    void aCellFillingItsWidthStillGetsOneTab() {
        Table table = new Table();
        table.add(List.of("1234567", "x"));
        table.add(List.of("12345678", "y"));
        assertThat(print(table)).isEqualTo("1234567\t\tx\n12345678\ty\n");
    }

    @Test
    void unitNamesAreMangledAsFleetctlDoes() {
        assertThat(FleetVerb.mangle("hello")).isEqualTo("hello.service");
        assertThat(FleetVerb.mangle("units/hello.service")).isEqualTo("hello.service");
        assertThat(FleetVerb.mangle("web@1.socket")).isEqualTo("web@1.socket");
        assertThat(FleetVerb.mangle("a.b")).isEqualTo("a.b.service");
        assertThat(FleetVerb.withType("units/hello")).isEqualTo("units/hello.service");
        assertThat(FleetVerb.idLegend("148a18ff1234", false)).isEqualTo("148a18ff...");
        assertThat(FleetVerb.idLegend("148a18ff1234", true)).isEqualTo("148a18ff1234");
    }

    @Test
    void capacityIsShownInTheUnitsItWasGivenIn() {
        assertThat(ListMachinesCommand.capacity(new io.keel.api.Schema.Capacity(2000, 4L << 30))).isEqualTo("cpu=2,memory=4G");
        assertThat(ListMachinesCommand.capacity(new io.keel.api.Schema.Capacity(1500, 0))).isEqualTo("cpu=1500m");
        assertThat(ListMachinesCommand.capacity(null)).isEqualTo("-");
    }
}
