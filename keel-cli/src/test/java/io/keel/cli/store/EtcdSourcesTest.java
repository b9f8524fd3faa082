package io.keel.cli.store;

import io.keel.testkit.Installed;
import java.util.List;

/** etcd's environment variables and config file, given to a real etcd 3.4: the control. */
class EtcdSourcesTest extends EtcdSourcesScenario {

    @Override
    protected List<String> program() {
        return List.of(Installed.require("etcd").toString());
    }
}
