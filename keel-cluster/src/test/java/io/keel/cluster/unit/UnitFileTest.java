package io.keel.cluster.unit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class UnitFileTest {

    @Test
    void readsSectionsAndKeysInOrder() {
        UnitFile file = UnitFile.parse("""
                [Unit]
                Description=Hello

                [Service]
                ExecStart=/bin/sleep 100
                """);
        assertThat(file.sections()).containsExactly("Unit", "Service");
        assertThat(file.value("Unit", "Description")).contains("Hello");
        assertThat(file.value("Service", "ExecStart")).contains("/bin/sleep 100");
        assertThat(file.value("Service", "Missing")).isEmpty();
        assertThat(file.value("Missing", "ExecStart")).isEmpty();
    }

    @Test
    void ignoresCommentsAndBlankLines() {
        UnitFile file = UnitFile.parse("""
                # leading comment
                ; another
                [Service]
                   # indented comment
                ExecStart=/bin/true
                ; trailing
                """);
        assertThat(file.options()).containsExactly(new UnitOption("Service", "ExecStart", "/bin/true"));
    }

    @Test
    void hashInsideAValueIsNotAComment() {
        UnitFile file = UnitFile.parse("[Service]\nExecStart=/bin/echo a # b\n");
        assertThat(file.value("Service", "ExecStart")).contains("/bin/echo a # b");
    }

    @Test
    void trimsKeysAndValues() {
        UnitFile file = UnitFile.parse("[Service]\n  ExecStart =   /bin/true  \n");
        assertThat(file.value("Service", "ExecStart")).contains("/bin/true");
    }

    @Test
    void valueMayContainEqualsSigns() {
        UnitFile file = UnitFile.parse("[Service]\nEnvironment=A=1 B=2\n");
        assertThat(file.value("Service", "Environment")).contains("A=1 B=2");
    }

    @Test
    void repeatedKeysKeepTheirOrderAndTheLastWins() {
        UnitFile file = UnitFile.parse("""
                [Service]
                ExecStartPre=/bin/a
                ExecStartPre=/bin/b
                ExecStart=/bin/c
                ExecStartPre=/bin/d
                """);
        assertThat(file.values("Service", "ExecStartPre")).containsExactly("/bin/a", "/bin/b", "/bin/d");
        assertThat(file.value("Service", "ExecStartPre")).contains("/bin/d");
    }

    @Test
    void emptyAssignmentResetsTheList() {
        UnitFile file = UnitFile.parse("""
                [Service]
                ExecStartPre=/bin/a
                ExecStartPre=
                ExecStartPre=/bin/b
                Environment=X=1
                Environment=
                """);
        assertThat(file.values("Service", "ExecStartPre")).containsExactly("/bin/b");
        assertThat(file.values("Service", "Environment")).isEmpty();
        assertThat(file.value("Service", "Environment")).isEmpty();
    }

    @Test
    void quotingIsKeptInValues() {
        UnitFile file = UnitFile.parse("[X-Fleet]\nMachineMetadata=\"region=us-east\" \"disk=ssd\"\n");
        assertThat(file.value("X-Fleet", "MachineMetadata")).contains("\"region=us-east\" \"disk=ssd\"");
    }

    @Test
    void backslashContinuesTheLine() {
        UnitFile file = UnitFile.parse("""
                [Service]
                ExecStart=/bin/echo one \\
                    two \\
                  three
                Type=simple
                """);
        assertThat(file.value("Service", "ExecStart")).contains("/bin/echo one two three");
        assertThat(file.value("Service", "Type")).contains("simple");
    }

    @Test
    void commentLinesInsideAContinuationAreSkipped() {
        UnitFile file = UnitFile.parse("""
                [Section C]
                KeyThree=value 3\\
                # this line is ignored
                ; this line is ignored too
                       value 3 continued
                """);
        assertThat(file.value("Section C", "KeyThree")).contains("value 3 value 3 continued");
    }

    @Test
    void escapedBackslashAtEndOfLineDoesNotContinue() {
        UnitFile file = UnitFile.parse("[Service]\nA=x\\\\\nB=y\n");
        assertThat(file.value("Service", "A")).contains("x\\\\");
        assertThat(file.value("Service", "B")).contains("y");
    }

    @Test
    void continuationAtEndOfFileEndsTheValue() {
        UnitFile file = UnitFile.parse("[Service]\nA=x \\");
        assertThat(file.value("Service", "A")).contains("x");
    }

    @Test
    void acceptsCrlfLineEndings() {
        UnitFile file = UnitFile.parse("[Service]\r\nExecStart=/bin/true\r\n");
        assertThat(file.value("Service", "ExecStart")).contains("/bin/true");
    }

    @Test
    void sectionsMayRepeatAndBeEmpty() {
        UnitFile file = UnitFile.parse("""
                [Unit]
                Description=a
                [Install]
                [Unit]
                After=b
                """);
        assertThat(file.sections()).containsExactly("Unit", "Install");
        assertThat(file.options()).extracting(UnitOption::name).containsExactly("Description", "After");
    }

    @Test
    void emptyTextHasNoSections() {
        UnitFile file = UnitFile.parse("");
        assertThat(file.sections()).isEmpty();
        assertThat(file.options()).isEmpty();
        assertThat(file.hash()).isEqualTo("da39a3ee5e6b4b0d3255bfef95601890afd80709");
    }

    @Test
    void keepsTheOriginalText() {
        String text = "# comment\n[Service]\nExecStart=/bin/true\n";
        assertThat(UnitFile.parse(text).text()).isEqualTo(text);
    }

    @Test
    void hashIsFleets() {
        UnitFile file = UnitFile.parse("[Service]\nExecStart=/bin/sleep 100\n");
        assertThat(file.hash()).isEqualTo("1c6fb6f3684bafb0c173d8b8b957ceff031180c1");
    }

    @Test
    void hashIgnoresCommentsAndFormatting() {
        UnitFile a = UnitFile.parse("[Service]\nExecStart=/bin/sleep 100\n");
        UnitFile b = UnitFile.parse("# note\n[Service]\n\n  ExecStart = /bin/sleep 100   \n");
        assertThat(a.hash()).isEqualTo(b.hash());
        assertThat(a).isEqualTo(b).hasSameHashCodeAs(b);
    }

    @Test
    void hashChangesWithContent() {
        assertThat(UnitFile.parse("[Service]\nExecStart=/bin/sleep 101\n").hash())
                .isNotEqualTo(UnitFile.parse("[Service]\nExecStart=/bin/sleep 100\n").hash());
    }

    @Test
    void serializesGroupedBySectionWithBlankLinesBetween() {
        UnitFile file = UnitFile.parse("[Unit]\nA=1\n[Service]\nB=2\n[Unit]\nC=3\n");
        assertThat(file.serialized()).isEqualTo("[Unit]\nA=1\nC=3\n\n[Service]\nB=2\n");
    }

    @Test
    void buildsFromOptionsWithTheSameHash() {
        UnitFile parsed = UnitFile.parse("[Unit]\nDescription=x\n\n[Service]\nExecStart=/bin/true\n");
        UnitFile built = UnitFile.of(List.of(
                new UnitOption("Unit", "Description", "x"), new UnitOption("Service", "ExecStart", "/bin/true")));
        assertThat(built.hash()).isEqualTo(parsed.hash());
        assertThat(built.text()).isEqualTo(parsed.serialized());
        assertThat(built.sections()).containsExactly("Unit", "Service");
        assertThat(UnitFile.parse(built.text()).options()).isEqualTo(built.options());
    }

    @Test
    void rejectsAssignmentOutsideASection() {
        assertThatThrownBy(() -> UnitFile.parse("# c\nExecStart=/bin/true\n"))
                .isInstanceOf(UnitFileException.class)
                .hasMessage("line 2: assignment ExecStart= outside of any section");
    }

    @Test
    void rejectsLineWithoutEquals() {
        assertThatThrownBy(() -> UnitFile.parse("[Service]\nExecStart=/bin/true\njunk\n"))
                .isInstanceOf(UnitFileException.class)
                .hasMessageStartingWith("line 3: expected Key=Value or [Section]")
                .hasMessageContaining("\"junk\"");
    }

    @Test
    void rejectsEmptyKey() {
        assertThatThrownBy(() -> UnitFile.parse("[Service]\n=value\n"))
                .hasMessage("line 2: assignment without a key");
    }

    @Test
    void rejectsKeyWithSpaces() {
        assertThatThrownBy(() -> UnitFile.parse("[Service]\nExec Start=x\n"))
                .hasMessageStartingWith("line 2: key \"Exec Start\"");
    }

    @Test
    void rejectsUnterminatedSectionHeader() {
        assertThatThrownBy(() -> UnitFile.parse("\n\n[Service\n"))
                .hasMessageStartingWith("line 3: invalid section header \"[Service\"");
    }

    @Test
    void rejectsGarbageAfterSectionHeader() {
        assertThatThrownBy(() -> UnitFile.parse("[Service] extra\n"))
                .hasMessageStartingWith("line 1: invalid section header");
    }

    @Test
    void rejectsEmptySectionName() {
        assertThatThrownBy(() -> UnitFile.parse("[]\n")).hasMessageStartingWith("line 1: invalid section name");
    }

    @Test
    void errorInAContinuedLineNamesTheLineItStartsOn() {
        assertThatThrownBy(() -> UnitFile.parse("[Service]\nA=1\nbroken \\\n  still broken\n"))
                .hasMessageStartingWith("line 3:");
    }
}
