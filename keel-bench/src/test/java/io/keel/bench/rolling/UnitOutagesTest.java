package io.keel.bench.rolling;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class UnitOutagesTest {

  @Test
  void anOutageRunsFromTheMachineLeavingUntilAnotherMachineReportsTheUnitLaunched() {
    UnitOutages o = new UnitOutages();
    o.unit("a.service");
    assertThat(o.unavailable()).isEqualTo(1);
    o.state("a.service", "m1", "loaded", 0);
    o.state("a.service", "m1", "launched", 5);
    assertThat(o.unavailable()).isZero();

    o.machineLeaving("m1", 100);
    o.state("a.service", "m1", null, 110);
    o.scheduled("a.service", "m2", 130);
    o.state("a.service", "m2", "loaded", 140);
    assertThat(o.openOutages()).isEqualTo(1);
    o.state("a.service", "m2", "launched", 160);

    assertThat(o.openOutages()).isZero();
    assertThat(o.outages()).containsExactly(new UnitOutages.Outage("a.service", "m1", 60, 30));
  }

  @Test
  void aUnitRunningElsewhereIsNotDownAndALostReportOpensAnOutage() {
    UnitOutages o = new UnitOutages();
    o.state("b.service", "m1", "launched", 0);
    o.state("b.service", "m2", "launched", 0);
    o.machineLeaving("m1", 10);
    assertThat(o.openOutages()).isZero();
    o.state("b.service", "m1", null, 20);
    o.state("b.service", "m2", null, 30);
    assertThat(o.openOutages()).isEqualTo(1);
    o.state("b.service", "m3", "launched", 75);
    assertThat(o.outages()).containsExactly(new UnitOutages.Outage("b.service", "m2", 45, -1));
  }

  @Test
  void percentilesAreNearestRank() {
    long[] v = {5, 1, 4, 2, 3};
    assertThat(UnitOutages.percentile(v, 50)).isEqualTo(3);
    assertThat(UnitOutages.percentile(v, 99)).isEqualTo(5);
    assertThat(UnitOutages.percentile(v, 100)).isEqualTo(5);
    assertThat(UnitOutages.percentile(new long[0], 50)).isZero();
  }
}
