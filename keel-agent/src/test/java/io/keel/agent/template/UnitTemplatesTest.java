package io.keel.agent.template;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.keel.cluster.unit.UnitFile;
import io.keel.cluster.unit.UnitFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class UnitTemplatesTest {

    private static UnitTemplates parse(String text) {
        return UnitTemplates.parse(UnitFile.parse(text));
    }

    @Test
    void readsPairsInOrderWithSharedAndPerTemplateOptions() {
        UnitTemplates t = parse("""
                [Service]
                ExecStart=/bin/web
                WorkingDirectory=/srv/web

                [Template]
                Source=templates/web.conf.mustache
                Destination=/etc/web/web.conf
                Source=/etc/keel/upstreams.mustache
                Destination=/etc/web/upstreams.conf
                Keys=/apps/web /apps/common/
                Keys=/apps/web/
                Mode=0640
                Mode=600
                CheckCmd=/usr/bin/web-check --config {{src}}
                CheckCmd=/bin/true
                ReloadCmd=/bin/kill -HUP $MAINPID
                EnvironmentKeys=/apps/web/env
                """);
        assertThat(t.templates()).hasSize(2);
        TemplateSpec first = t.templates().get(0);
        assertThat(first.source()).isEqualTo(Path.of("/srv/web/templates/web.conf.mustache"));
        assertThat(first.destination()).isEqualTo(Path.of("/etc/web/web.conf"));
        assertThat(first.mode()).isEqualTo(PosixFilePermissions.fromString("rw-r-----"));
        assertThat(first.checkArgv(Path.of("/etc/web/.web.conf.1.staged")))
                .containsExactly("/usr/bin/web-check", "--config", "/etc/web/.web.conf.1.staged");
        assertThat(t.templates().get(1).mode()).isEqualTo(PosixFilePermissions.fromString("rw-------"));
        assertThat(t.templates().get(1).checkCommand()).containsExactly("/bin/true");
        assertThat(t.keys()).containsExactly("/apps/web/", "/apps/common/");
        assertThat(t.reloadCommand()).contains(List.of("/bin/kill", "-HUP", "$MAINPID"));
        assertThat(t.environmentKeys()).containsExactly("/apps/web/env/");
        assertThat(t.destinations()).containsExactly(Path.of("/etc/web/web.conf"), Path.of("/etc/web/upstreams.conf"));
    }

    @Test
    void oneModeAndCheckApplyToEveryTemplateAndDefaultsAreSane() {
        UnitTemplates t = parse("""
                [Template]
                Source=/a.mustache
                Destination=/etc/a
                Source=/b.mustache
                Destination=/etc/b
                Keys=/x/
                CheckCmd=/bin/check {{src}}
                """);
        assertThat(t.templates()).allSatisfy(s -> {
            assertThat(s.mode()).isEqualTo(UnitTemplates.DEFAULT_MODE);
            assertThat(s.checkCommand()).containsExactly("/bin/check", "{{src}}");
        });
        assertThat(t.reloadCommand()).isEqualTo(Optional.empty());
    }

    @Test
    void aUnitWithoutTemplateSectionHasNone() {
        UnitTemplates t = parse("[Service]\nExecStart=/bin/true\n");
        assertThat(t.hasTemplates()).isFalse();
        assertThat(t.environmentKeys()).isEmpty();
    }

    @Test
    void environmentKeysAloneNeedNoTemplates() {
        UnitTemplates t = parse("[Template]\nEnvironmentKeys=/apps/web/env/ /apps/all/env\n");
        assertThat(t.hasTemplates()).isFalse();
        assertThat(t.environmentKeys()).containsExactly("/apps/web/env/", "/apps/all/env/");
    }

    @Test
    void refusesInconsistentOrInvalidOptionsNamingTheProblem() {
        assertRefused("[Template]\nSource=/a\nDestination=/etc/a\nSource=/b\nKeys=/x\n",
                "2 Source= and 1 Destination=");
        assertRefused("[Template]\nSource=/a\nDestination=/etc/a\nSource=/b\nDestination=/etc/b\nSource=/c\nDestination=/etc/c\n"
                + "Keys=/x\nMode=0644\nMode=0600\n", "Mode= is given 2 times for 3 templates");
        assertRefused("[Template]\nSource=a.mustache\nDestination=/etc/a\nKeys=/x\n", "Source=a.mustache is relative");
        assertRefused("[Template]\nSource=/a\nDestination=etc/a\nKeys=/x\n", "Destination=etc/a is not an absolute path");
        assertRefused("[Template]\nSource=/a\nDestination=/etc/a\n", "Keys= is missing");
        assertRefused("[Template]\nSource=/a\nDestination=/etc/a\nKeys=apps\n", "Keys=apps is not an absolute key prefix");
        assertRefused("[Template]\nSource=/a\nDestination=/etc/a\nKeys=/x\nMode=4755\n", "Mode=4755 is not an octal");
        assertRefused("[Template]\nSource=/a\nDestination=/etc/a\nKeys=/x\nMode=rw\n", "Mode=rw");
        assertRefused("[Template]\nSource=/a\nDestination=/etc/a\nSource=/b\nDestination=/etc/a\nKeys=/x\n",
                "Destination=/etc/a is given twice");
        assertRefused("[Template]\nSource=/a\nDestination=/etc/a\nKeys=/x\nTemplate=/a:/b\n", "unknown key Template=");
        assertRefused("[Template]\nKeys=/x\n", "no Source=/Destination= pair");
        assertRefused("[Template]\nSource=/a\nDestination=/etc/a\nKeys=/x\nCheckCmd=/bin/check \"unbalanced\n",
                "CheckCmd=");
    }

    private static void assertRefused(String text, String message) {
        assertThatThrownBy(() -> parse(text)).isInstanceOf(UnitFileException.class).hasMessageContaining(message);
    }
}
