package io.keel.cli.store;

import io.keel.testkit.Installed;
import java.util.List;

/** TLS on a real etcd 3.4's client and peer URLs: the control. */
class EtcdTlsTest extends TlsScenario {

    @Override
    protected List<String> program() {
        return List.of(Installed.require("etcd").toString());
    }
}
