package io.keel.cluster.unit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RequirementsTest {

    private static Requirements of(String unit, String xfleet) {
        return Requirements.of(UnitName.parse(unit), UnitFile.parse("[Service]\nExecStart=/bin/true\n[X-Fleet]\n" + xfleet));
    }

    @Test
    void noXFleetSectionMeansNoRequirements() {
        Requirements r = Requirements.of(UnitName.parse("a.service"), UnitFile.parse("[Service]\nExecStart=/bin/true\n"));
        assertThat(r).isEqualTo(Requirements.none());
        assertThat(r.global()).isFalse();
        assertThat(r.machineId()).isEmpty();
        assertThat(r.spread()).isEmpty();
    }

    @Test
    void machineId() {
        assertThat(of("a.service", "MachineID=abc123").machineId()).contains("abc123");
    }

    @Test
    void machineIdMatchesFullOrShortId() {
        Requirements full = of("a.service", "MachineID=0123456789abcdef");
        assertThat(full.machineIdMatches("0123456789abcdef")).isTrue();
        assertThat(full.machineIdMatches("0123456789abcdeX")).isFalse();
        Requirements shortId = of("a.service", "MachineID=01234567");
        assertThat(shortId.machineIdMatches("0123456789abcdef")).isTrue();
        assertThat(shortId.machineIdMatches("0123456")).isFalse();
        Requirements prefix = of("a.service", "MachineID=0123");
        assertThat(prefix.machineIdMatches("0123456789abcdef")).isFalse();
        assertThat(Requirements.none().machineIdMatches("anything")).isTrue();
    }

    @Test
    void legacyMachineIdKeysWithFleetsPrecedence() {
        assertThat(of("a.service", "X-ConditionMachineID=old").machineId()).contains("old");
        assertThat(of("a.service", "X-ConditionMachineBootID=boot").machineId()).contains("boot");
        assertThat(of("a.service", "X-ConditionMachineID=old\nMachineID=new").machineId()).contains("new");
    }

    @Test
    void machineIdNamingTwoMachinesIsAnError() {
        assertThatThrownBy(() -> of("a.service", "MachineID=m1\nMachineID=m2"))
                .isInstanceOf(UnitFileException.class)
                .hasMessage("unit a.service: MachineID names more than one machine: m1, m2");
        assertThat(of("a.service", "MachineID=m1\nMachineID=m1").machineId()).contains("m1");
    }

    @Test
    void machineOfAllValuesAndLegacyKey() {
        Requirements r = of("a.service", "MachineOf=b.service\nX-ConditionMachineOf=c.service\nMachineOf=d.service");
        assertThat(r.machineOf()).containsExactly("c.service", "b.service", "d.service");
    }

    @Test
    void machineOfMustNameAnotherNonTemplateUnit() {
        assertThatThrownBy(() -> of("a.service", "MachineOf=a.service")).hasMessageContaining("names the unit itself");
        assertThatThrownBy(() -> of("a.service", "MachineOf=web@.service")).hasMessageContaining("names a template");
        assertThatThrownBy(() -> of("a.service", "MachineOf=nosuffix"))
                .hasMessageStartingWith("unit a.service: MachineOf=nosuffix: unit name \"nosuffix\"");
    }

    @Test
    void machineMetadataSameKeyIsOrDifferentKeysAnd() {
        Requirements r = of("a.service", "MachineMetadata=region=us-east\nMachineMetadata=region=us-west\n"
                + "MachineMetadata=disk=ssd");
        assertThat(r.machineMetadata()).isEqualTo(Map.of("region", List.of("us-east", "us-west"), "disk", List.of("ssd")));
        assertThat(r.metadataMatches(Map.of("region", "us-west", "disk", "ssd"))).isTrue();
        assertThat(r.metadataMatches(Map.of("region", "us-east", "disk", "ssd", "extra", "x"))).isTrue();
        assertThat(r.metadataMatches(Map.of("region", "eu", "disk", "ssd"))).isFalse();
        assertThat(r.metadataMatches(Map.of("region", "us-east"))).isFalse();
        assertThat(r.metadataMatches(Map.of())).isFalse();
    }

    @Test
    void machineMetadataQuotedMultiValueAndLegacyKey() {
        Requirements r = of("a.service", "MachineMetadata=\"region=us-east-1\" \"diskType=SSD\"\n"
                + "X-ConditionMachineMetadata=rack=r1");
        assertThat(r.machineMetadata()).containsOnlyKeys("region", "diskType", "rack");
        assertThat(r.machineMetadata().get("region")).containsExactly("us-east-1");
    }

    @Test
    void quotedValueMayContainSpaces() {
        Requirements r = of("a.service", "MachineMetadata=\"name=big box\"");
        assertThat(r.machineMetadata()).isEqualTo(Map.of("name", List.of("big box")));
    }

    @ParameterizedTest
    @ValueSource(strings = {"region", "=x", "region=", "a=b=c"})
    void malformedMetadataIsAnError(String value) {
        assertThatThrownBy(() -> of("a.service", "MachineMetadata=" + value))
                .isInstanceOf(UnitFileException.class)
                .hasMessage("unit a.service: MachineMetadata=" + value + " is not of the form key=value");
    }

    @Test
    void conflictsGlobsFromBothKeysAndSpaceSeparatedLists() {
        Requirements r = of("a.service", "Conflicts=web@*.service\nX-Conflicts=old*\nConflicts=b.service c.service");
        assertThat(r.conflicts()).containsExactly("old*", "web@*.service", "b.service", "c.service");
    }

    @Test
    void malformedConflictGlobIsAnError() {
        assertThatThrownBy(() -> of("a.service", "Conflicts=web@[.service"))
                .hasMessageStartingWith("unit a.service: Conflicts=web@[.service: pattern");
    }

    @Test
    void replaces() {
        assertThat(of("b.service", "Replaces=a.service").replaces()).containsExactly("a.service");
    }

    @Test
    void globalIsABooleanLastOneWins() {
        assertThat(of("a.service", "Global=true").global()).isTrue();
        assertThat(of("a.service", "Global=yes").global()).isTrue();
        assertThat(of("a.service", "Global=1").global()).isTrue();
        assertThat(of("a.service", "Global=On").global()).isTrue();
        assertThat(of("a.service", "Global=false").global()).isFalse();
        assertThat(of("a.service", "Global=true\nGlobal=false").global()).isFalse();
        assertThat(of("a.service", "Global=true\nGlobal=").global()).isFalse();
        assertThatThrownBy(() -> of("a.service", "Global=maybe"))
                .hasMessageStartingWith("unit a.service: Global=maybe is not a boolean");
    }

    @Test
    void globalMayOnlyBeCombinedWithMetadataAndResources() {
        Requirements r = of("a.service", "Global=true\nMachineMetadata=role=edge\nCPU=100m\nMemory=64M");
        assertThat(r.global()).isTrue();
        assertThat(r.cpuMillis()).isEqualTo(100);
        for (String other : List.of("MachineOf=b.service", "MachineID=m1", "Conflicts=x*", "Replaces=x.service")) {
            String key = other.substring(0, other.indexOf('='));
            assertThatThrownBy(() -> of("a.service", "Global=true\n" + other))
                    .isInstanceOf(UnitFileException.class)
                    .hasMessageStartingWith("unit a.service: Global=true cannot be combined with " + key);
        }
        assertThatThrownBy(() -> of("a@1.service", "Global=true\nSpread=rack"))
                .hasMessageContaining("cannot be combined with Spread");
    }

    @Test
    void resources() {
        Requirements r = of("a.service", "CPU=500m\nMemory=512M");
        assertThat(r.cpuMillis()).isEqualTo(500);
        assertThat(r.memoryBytes()).isEqualTo(512L * 1024 * 1024);
        Requirements decimal = of("a.service", "CPU=1.5\nMemory=2G\nMemory=1G");
        assertThat(decimal.cpuMillis()).isEqualTo(1500);
        assertThat(decimal.memoryBytes()).isEqualTo(1L << 30);
    }

    @Test
    void badResourcesAreErrorsNamingTheKey() {
        assertThatThrownBy(() -> of("a.service", "CPU=lots")).hasMessageStartingWith("unit a.service: CPU=lots:");
        assertThatThrownBy(() -> of("a.service", "Memory=-1G")).hasMessageStartingWith("unit a.service: Memory=-1G:");
        assertThatThrownBy(() -> of("a.service", "CPU=1 2")).hasMessageContaining("must be a single value");
    }

    @Test
    void spreadOnInstancesAndTemplates() {
        assertThat(of("web@1.service", "Spread=rack").spread()).contains("rack");
        assertThat(of("web@.service", "Spread=rack").spread()).contains("rack");
        assertThatThrownBy(() -> of("web.service", "Spread=rack"))
                .hasMessageContaining("applies to instances of a template");
        assertThatThrownBy(() -> of("web@1.service", "Spread=rack=r1"))
                .hasMessageContaining("must name a metadata key");
        assertThatThrownBy(() -> of("web@1.service", "Spread=rack\nMachineOf=db.service"))
                .hasMessageContaining("Spread cannot be combined with MachineOf");
    }

    @Test
    void specifiersAreExpandedAgainstTheUnitName() {
        Requirements r = of("web@3.service", """
                MachineOf=%p-sidekick@%i.service
                Conflicts=%p@*.service
                Replaces=%N-old.service
                MachineMetadata=slot=%i
                MachineID=%n-%%
                """);
        assertThat(r.machineOf()).containsExactly("web-sidekick@3.service");
        assertThat(r.conflicts()).containsExactly("web@*.service");
        assertThat(r.replaces()).containsExactly("web@3-old.service");
        assertThat(r.machineMetadata()).isEqualTo(Map.of("slot", List.of("3")));
        assertThat(r.machineId()).contains("web@3.service-%");
    }

    @Test
    void unknownSpecifiersAreLeftAsWritten() {
        assertThat(of("a.service", "MachineMetadata=host=%H").machineMetadata().get("host")).containsExactly("%H");
    }

    @Test
    void unknownKeyIsAnErrorNamingTheKey() {
        assertThatThrownBy(() -> of("a.service", "MachineID=m1\nWeight=3"))
                .isInstanceOf(UnitFileException.class)
                .hasMessageStartingWith("unit a.service: unknown key Weight= in [X-Fleet]");
    }

    @Test
    void keysAreCaseSensitive() {
        assertThatThrownBy(() -> of("a.service", "machineid=m1")).hasMessageContaining("unknown key machineid=");
    }

    @Test
    void contradictionsBetweenMachineOfAndConflictsOrReplaces() {
        assertThatThrownBy(() -> of("a.service", "MachineOf=db.service\nConflicts=db*"))
                .hasMessage("unit a.service: MachineOf=db.service contradicts Conflicts=db*");
        assertThatThrownBy(() -> of("a.service", "MachineOf=db.service\nReplaces=db.service"))
                .hasMessage("unit a.service: MachineOf=db.service contradicts Replaces=db.service");
    }

    @Test
    void unbalancedQuoteIsAnError() {
        assertThatThrownBy(() -> of("a.service", "Conflicts=\"a*")).hasMessageContaining("unbalanced double quote");
    }

    @Test
    void emptyAssignmentResetsXFleetLists() {
        assertThat(of("a.service", "Conflicts=a*\nConflicts=\nConflicts=b*").conflicts()).containsExactly("b*");
    }
}
